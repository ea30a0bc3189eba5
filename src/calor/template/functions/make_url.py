"""The make_url function."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib import parse as urlparse

from calor.template import function
from calor.template.function import Function
from calor.template.types import ResolveContext

#: The URL parts make_url takes, in the order Heat checks them.
URL_PARTS = ("scheme", "username", "password", "host", "port", "path", "query", "fragment")


class MakeURL(Function):
    """A function for building a correctly escaped URL from its parts.

    ``make_url: {scheme, username, password, host, port, path, query, fragment}``;
    every part is optional, ``query`` is a map.
    """

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.args, Mapping):
            raise TypeError(f'The arguments to "{self.fn_name}" must be a map')
        unknown = [str(k) for k in self.args if k not in URL_PARTS]
        if unknown:
            raise ValueError(f'Invalid arguments to "{self.fn_name}": {", ".join(sorted(unknown))}')
        self._check_parts(self.args, function.to_snippet(self.args))

    def _check_parts(self, parts: Mapping[str, Any], shown: Any) -> None:
        """Check the parts given; functions among them are checked once resolved."""
        for name in URL_PARTS:
            if name not in parts:
                continue
            value = parts[name]
            if name == "query":
                if not isinstance(value, (Function, Mapping)):
                    raise TypeError(f'The "query" argument to "{self.fn_name}" must be a map')
                # Heat stops checking here, so a fragment after a query goes unchecked.
                return
            if isinstance(value, Function):
                continue
            if name == "port":
                self._check_port(value, shown)
            elif not isinstance(value, str):
                raise TypeError(f'The "{name}" argument to "{self.fn_name}" must be a string')

    def _check_port(self, port: Any, shown: Any) -> None:
        if not isinstance(port, int):
            try:
                port = int(port)
            except (TypeError, ValueError):
                raise ValueError(
                    f'Invalid URL port "{port}" for {self.fn_name} called with {shown}'
                ) from None
        if not 0 < port <= 65535:
            raise ValueError(f"Invalid URL port {port:d}, must be in range 1-65535")

    def result(self, ctx: ResolveContext) -> Any:
        parts = function.resolve(self.args, ctx)
        self._check_parts(parts, parts)
        scheme = parts.get("scheme", "")
        if ":" in scheme:
            raise ValueError("URL \"scheme\" should not contain ':'")
        path = urlparse.quote(parts.get("path", ""))
        # Slashes read better unescaped in query values, and servers accept them.
        query = urlparse.urlencode(parts.get("query", {})).replace("%2F", "/")
        fragment = urlparse.quote(parts.get("fragment", ""))
        return urlparse.urlunsplit((scheme, "".join(_netloc(parts)), path, query, fragment))


def _netloc(parts: Mapping[str, Any]) -> Iterator[str]:
    """``user:password@host:port``, each piece escaped, IPv6 hosts in brackets."""
    username = urlparse.quote(parts.get("username", ""), safe="")
    password = urlparse.quote(parts.get("password", ""), safe="")
    if username or password:
        yield username
        if password:
            yield ":"
            yield password
        yield "@"
    host = parts.get("host", "")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = urlparse.quote(host, safe=":")
    yield f"[{host}]" if ":" in host else host
    port = parts.get("port", "")
    if port:
        yield f":{port}"
