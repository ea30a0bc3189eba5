"""A cloud Calor builds stacks in, reached only over HTTP through openstacksdk.

A :class:`Cloud` is a clouds.yaml entry or the embedded sandbox: the same
code drives both. Its connection is made the first time it is needed (for
the embedded sandbox that is when the sandbox starts), then kept, one per
project. Every call into openstacksdk runs on the cloud's bounded thread
pool (:meth:`Cloud.call`); :meth:`Cloud.request` is the REST call plugins
use, returning the service's own JSON and raising :mod:`calor.clouds.errors`
with the service's own message.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from calor.clouds.errors import (
    CloudError,
    CloudUnreachable,
    HttpError,
    error_for_status,
)
from calor.clouds.thread_pool import ThreadPool

if TYPE_CHECKING:
    from openstack.connection import Connection

# openstacksdk and keystoneauth are imported where they are used: importing them
# costs about half a second, which a command that never talks to a cloud should
# not pay.

P = ParamSpec("P")
T = TypeVar("T")

#: Service type (as the catalog names it) -> the openstacksdk proxy attribute.
PROXIES: Mapping[str, str] = {
    "compute": "compute",
    "network": "network",
    "volume": "block_storage",
    "block-storage": "block_storage",
    "image": "image",
    "object-store": "object_store",
    "identity": "identity",
}


@dataclass(frozen=True)
class ApiResponse:
    """A service's answer: status, headers (lower-case names) and the decoded JSON body."""

    status_code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    #: The JSON body, or None when the answer had none.
    body: Any = None
    text: str = ""

    def member(self, key: str) -> dict[str, Any]:
        """``body[key]`` as a dict (Neutron's ``{"network": {...}}`` envelope)."""
        value = self.body.get(key) if isinstance(self.body, Mapping) else None
        return dict(value) if isinstance(value, Mapping) else {}


def _decoded(response: Any) -> Any:
    if not response.content or "json" not in response.headers.get("content-type", ""):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _raise_for(response: Any) -> None:
    if response.status_code < 400:
        return
    from openstack import exceptions as sdk_exceptions

    try:
        sdk_exceptions.raise_from_response(response)
    except sdk_exceptions.HttpException as exc:
        # ``details`` is the message the service itself put in its error body.
        message = str(exc.details or exc.message or response.reason)
        raise error_for_status(response.status_code, message.strip(),
                               request_id=response.headers.get("x-openstack-request-id"),
                               ) from None


class Lookups:
    """What name-or-id lookups found, for a while (flavor and image ids, say).

    Only successes are kept, for ``ttl`` seconds: a stack of a hundred servers
    asks once which flavor ``m1.small`` is, and a name that is missing is asked
    again every time (Heat memoizes its finders the same way).
    """

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._found: dict[tuple[str, ...], tuple[float, str]] = {}

    def get(self, key: tuple[str, ...]) -> str | None:
        found = self._found.get(key)
        if found is None or time.monotonic() - found[0] > self.ttl:
            return None
        return found[1]

    def put(self, key: tuple[str, ...], value: str) -> None:
        self._found[key] = (time.monotonic(), value)


class Cloud:
    """One cloud: a lazily made openstacksdk connection per project, and a thread pool.

    ``connect`` makes the connection (blocking; it runs on the pool the first
    time a call needs it). ``on_close`` runs when the cloud is closed (the
    embedded sandbox stops its server there).
    """

    def __init__(self, name: str, connect: Callable[[], Connection], *,
                 pool: ThreadPool | None = None,
                 on_close: Callable[[], None] | None = None) -> None:
        self.name = name
        self.pool = pool or ThreadPool()
        self._connect = connect
        self._on_close = on_close
        self._lock = threading.Lock()
        self._connections: dict[str | None, Connection] = {}
        #: (service, project) -> (min, max) microversion the service speaks, or None.
        self._versions: dict[tuple[str, str | None], tuple[str, str] | None] = {}
        #: Recent name-or-id lookups (see :class:`Lookups`).
        self.lookups = Lookups()

    def __repr__(self) -> str:
        return f"Cloud({self.name!r})"

    # -- threads and connections ---------------------------------------------

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a blocking (openstacksdk) call on the cloud's thread pool."""
        return await self.pool.run(fn, *args, **kwargs)

    def connection(self, project: str | None = None) -> Connection:
        """The connection for ``project`` (None: the cloud's own); blocking, thread-safe."""
        with self._lock:
            found = self._connections.get(project)
            if found is not None:
                return found
            base = self._connections.get(None)
            if base is None:
                base = self._open()
                self._connections[None] = base
            if project is None:
                return base
            try:
                found = base.connect_as_project(project)
            except _client_errors() as exc:
                raise CloudError(str(exc)) from None
            self._connections[project] = found
            return found

    def _open(self) -> Connection:
        from keystoneauth1.session import TCPKeepAliveAdapter

        try:
            connection = self._connect()
        except CloudError:
            raise
        except _client_errors() as exc:
            raise CloudError(str(exc)) from None
        # As many pooled HTTP connections as threads may use them at once
        # (requests keeps 10 per host, and logs each one it has to drop).
        adapter = TCPKeepAliveAdapter(pool_maxsize=self.pool.size)
        for scheme in ("http://", "https://"):
            connection.session.session.mount(scheme, adapter)
        return connection

    # -- REST ----------------------------------------------------------------

    async def request(
        self, service: str, method: str, path: str, *, json: Any = None,
        params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
        data: bytes | None = None, max_microversion: str | None = None,
        project: str | None = None,
    ) -> ApiResponse:
        """``method path`` on ``service`` (a catalog service type), in a pool thread.

        ``max_microversion`` is the newest microversion the caller understands:
        the request carries the older of it and the service's newest (none
        when the service has no microversions). Errors raise
        :class:`~calor.clouds.errors.HttpError` subclasses carrying the
        service's own message.
        """
        return await self.call(self.request_sync, service, method, path, json=json,
                               params=params, headers=headers, data=data,
                               max_microversion=max_microversion, project=project)

    def request_sync(
        self, service: str, method: str, path: str, *, json: Any = None,
        params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
        data: bytes | None = None, max_microversion: str | None = None,
        project: str | None = None,
    ) -> ApiResponse:
        """:meth:`request`, blocking (for code already on a pool thread)."""
        from keystoneauth1 import exceptions as ksa_exceptions
        from openstack import exceptions as sdk_exceptions

        kwargs: dict[str, Any] = {"headers": dict(headers or {})}
        if json is not None:
            kwargs["data"] = jsonlib.dumps(json)
            kwargs["headers"].setdefault("Content-Type", "application/json")
        elif data is not None:
            kwargs["data"] = data
        if params:
            kwargs["params"] = dict(params)
        try:
            # Making the proxy may authenticate and discover versions: inside the try.
            proxy = self._proxy(service, project)
            if max_microversion is not None:
                version = self._microversion(proxy, service, project, max_microversion)
                if version is not None:
                    kwargs["microversion"] = version
            response = proxy.request(path, method, **kwargs)
        except ksa_exceptions.HttpError as exc:
            # Raised by keystoneauth itself, e.g. when the password is refused.
            raise error_for_status(exc.http_status or 500, str(exc.message or exc)) from None
        except (ksa_exceptions.ConnectionError, ksa_exceptions.EndpointNotFound,
                ksa_exceptions.DiscoveryFailure, sdk_exceptions.EndpointNotFound) as exc:
            raise CloudUnreachable(str(exc)) from None
        except (ksa_exceptions.ClientException, sdk_exceptions.SDKException) as exc:
            raise CloudError(str(exc)) from None
        _raise_for(response)
        return ApiResponse(
            status_code=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=_decoded(response),
            text=response.text if response.content else "",
        )

    def _proxy(self, service: str, project: str | None) -> Any:
        attribute = PROXIES.get(service)
        if attribute is None:
            raise CloudError(f"Calor does not know the {service} service")
        return getattr(self.connection(project), attribute)

    def _microversion(self, proxy: Any, service: str, project: str | None,
                      wanted: str) -> str | None:
        key = (service, project)
        if key not in self._versions:
            data = proxy.get_endpoint_data()
            low = getattr(data, "min_microversion", None)
            high = getattr(data, "max_microversion", None)
            self._versions[key] = (_text(low), _text(high)) if high else None
        found = self._versions[key]
        if found is None:
            return None
        low, high = found
        if _version(wanted) < _version(low):
            raise CloudError(f"the {service} service needs microversion {low} or newer; "
                             f"Calor speaks up to {wanted}")
        return wanted if _version(wanted) <= _version(high) else high

    async def microversion(self, service: str, wanted: str,
                           project: str | None = None) -> str | None:
        """The microversion a request asking for up to ``wanted`` carries (None: none)."""
        def negotiate() -> str | None:
            return self._microversion(self._proxy(service, project), service, project, wanted)

        return await self.call(negotiate)

    async def endpoint(self, service: str, project: str | None = None) -> str:
        """The URL the catalog gives for ``service`` (the account URL, for object-store)."""
        def find() -> str:
            try:
                return str(self._proxy(service, project).get_endpoint())
            except _client_errors() as exc:
                raise CloudUnreachable(str(exc)) from None

        return await self.call(find)

    async def project_id(self, project: str | None = None) -> str:
        """The id of the project the connection works in (authenticating if needed)."""
        def current() -> str:
            from keystoneauth1 import exceptions as ksa_exceptions

            try:
                return str(self.connection(project).current_project_id)
            except ksa_exceptions.HttpError as exc:
                raise error_for_status(exc.http_status or 500, str(exc.message or exc)) from None
            except _client_errors() as exc:
                raise CloudUnreachable(str(exc)) from None

        return await self.call(current)

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Close the connections and the thread pool (waiting for running calls)."""
        self.pool.close()
        with self._lock:
            connections = list(self._connections.values())
            self._connections.clear()
        for connection in connections:
            # A close that fails leaves nothing more to do.
            with contextlib.suppress(Exception):
                connection.close()
        if self._on_close is not None:
            self._on_close()


def _client_errors() -> tuple[type[Exception], ...]:
    """What keystoneauth and openstacksdk raise for a failure of theirs."""
    from keystoneauth1 import exceptions as ksa_exceptions
    from openstack import exceptions as sdk_exceptions

    return (ksa_exceptions.ClientException, sdk_exceptions.SDKException)


def _text(version: Any) -> str:
    if isinstance(version, tuple):
        return ".".join(str(part) for part in version[:2])
    return str(version)


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


__all__ = ["PROXIES", "ApiResponse", "Cloud", "HttpError", "Lookups"]
