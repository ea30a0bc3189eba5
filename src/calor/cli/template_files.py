"""Reading a template and everything it names from the local disk.

This is what python-heatclient does before it calls Heat: it reads the
template, follows every ``get_file`` and every provider-template ``type``
(``*.yaml`` / ``*.template``), and every file an environment's
``resource_registry`` names, relative to the file that names it. Each
reference is rewritten to an absolute ``file://`` URL, and the contents go
into the ``files`` map under that URL. The template language never reads a
file itself; it only sees that map.

Unlike heatclient, nested templates keep their original text (not a JSON
re-dump), so errors inside them can still name a line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from calor.cli.arguments import format_parameters
from calor.template.environment import Environment
from calor.template.errors import TemplateError
from calor.template.loader import DEFAULT_MAX_TEMPLATE_SIZE, load_template, parse_yaml_or_json


class TemplateFileError(Exception):
    """A file a template or environment names could not be read."""


@dataclass
class TemplateBundle:
    """A template as heatclient would send it: data, text, its URL and the files map."""

    data: dict[str, Any]
    text: str
    url: str
    files: dict[str, str] = field(default_factory=dict)
    environment_files: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return display_name(self.url)


def to_url(path: str) -> str:
    """A local path (or an existing URL) as an absolute URL."""
    if urlparse(path).scheme in ("file", "http", "https"):
        return path
    # Path.as_uri quotes as pathname2url does, without importing urllib.request
    # (which brings ssl and sockets: 40 ms of start-up for nothing).
    return Path(os.path.abspath(path)).as_uri()


def display_name(url: str) -> str:
    """A file URL as a path relative to the working directory where that reads better."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return url
    path = unquote(parsed.path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def read_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise TemplateFileError(
            f'Could not fetch "{url}": only local files can be read (scheme {parsed.scheme!r})'
        )
    path = Path(unquote(parsed.path))
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateFileError(f"No such file: {display_name(url)}") from None
    except IsADirectoryError:
        raise TemplateFileError(f"Is a directory, not a file: {display_name(url)}") from None
    except UnicodeDecodeError:
        raise TemplateFileError(f"Not a UTF-8 text file: {display_name(url)}") from None
    except OSError as exc:
        raise TemplateFileError(f"Could not read {display_name(url)}: {exc.strerror}") from None


def _base(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/"


def _is_template_text(text: str) -> bool:
    try:
        load_template(text)
    except TemplateError:
        return False
    return True


def _gather(
    node: Any,
    files: dict[str, str],
    base_url: str,
    wanted: Callable[[Any, Any], bool],
    recurse: bool = True,
    missing_ok: bool = False,
) -> None:
    """Follow references in ``node`` (rewriting them in place) into ``files``."""
    if recurse and isinstance(node, dict):
        for value in node.values():
            _gather(value, files, base_url, wanted, missing_ok=missing_ok)
    elif recurse and isinstance(node, list):
        for value in node:
            _gather(value, files, base_url, wanted, missing_ok=missing_ok)
    if not isinstance(node, dict):
        return
    for key, value in list(node.items()):
        if not wanted(key, value):
            continue
        url = urljoin(base_url, value)
        if url not in files:
            try:
                text = read_url(url)
            except TemplateFileError:
                if not missing_ok:
                    raise
                node[key] = url
                continue
            files[url] = text
            if _is_template_text(text):
                # A provider template brings its own files, relative to itself.
                nested = parse_yaml_or_json(text, filename=display_name(url))
                _gather_template(nested, files, _base(url), missing_ok)
        node[key] = url


def _template_reference(key: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if key == "get_file":
        return True
    return key == "type" and value.endswith((".yaml", ".template"))


def _gather_template(
    data: Any, files: dict[str, str], base_url: str, missing_ok: bool = False
) -> None:
    _gather(data, files, base_url, _template_reference, missing_ok=missing_ok)


def load_template_bundle(
    path: str, *, missing_ok: bool = False, max_size: int = DEFAULT_MAX_TEMPLATE_SIZE
) -> TemplateBundle:
    """Read the template at ``path`` and every file it refers to.

    With ``missing_ok`` a referenced file that does not exist is left out of
    the files map instead of failing (the server then reports what it lacks).
    """
    url = to_url(path)
    text = read_url(url)
    data = load_template(text, filename=display_name(url), max_size=max_size)
    files: dict[str, str] = {}
    _gather_template(data, files, _base(url), missing_ok)
    return TemplateBundle(data=data, text=text, url=url, files=files)


def _registry_reference(key: Any, value: Any) -> bool:
    if key in ("base_url", "hooks", "restricted_actions"):
        return False
    if not isinstance(value, str):
        return False
    return "::" not in value


def add_environment_files(bundle: TemplateBundle, paths: list[str]) -> None:
    """Read each environment file into the bundle, in order, as heatclient does.

    Files named in each ``resource_registry`` are read relative to that
    environment file, and the environment itself goes into ``files`` so the
    server-side merge (``environment_files``) sees it.
    """
    for path in paths:
        url = to_url(path)
        text = read_url(url)
        # Parsed first so that a malformed file is reported with its own lines.
        Environment.parse(text, filename=display_name(url))
        raw = parse_yaml_or_json(text, filename=display_name(url)) or {}
        registry = raw.get("resource_registry") if isinstance(raw, dict) else None
        if isinstance(registry, dict):
            base = str(registry.get("base_url") or _base(url))
            _gather(registry, bundle.files, base, _registry_reference, recurse=False)
            for res_entry in (registry.get("resources") or {}).values():
                if isinstance(res_entry, dict):
                    res_base = str(res_entry.get("base_url") or base)
                    _gather(res_entry, bundle.files, res_base, _registry_reference,
                            recurse=False)
            # The rewritten environment replaces the text: its file references are now URLs.
            bundle.files[url] = json.dumps(raw)
        else:
            bundle.files[url] = text
        bundle.environment_files.append(url)


def read_parameter_files(pairs: list[str]) -> dict[str, str]:
    """``--parameter-file key=path``: each file's contents become the value."""
    values = {}
    for pair in pairs:
        key, sep, path = pair.partition("=")
        if not sep or not key:
            raise TemplateFileError(
                f"Malformed parameter file ({pair}). Use the key=path format."
            )
        values[key] = read_url(to_url(path))
    return values


def load_stack_inputs(
    template: str | None,
    environments: list[str] | None,
    parameters: list[str] | None,
    parameter_files: list[str] | None,
    *,
    max_size: int,
) -> tuple[TemplateBundle, dict[str, Any]]:
    """What ``-t``, ``-e``, ``--parameter`` and ``--parameter-file`` name, read as heatclient
    does. Without ``-t`` (``stack update --existing``) the bundle's template is empty."""
    bundle = (
        load_template_bundle(template, max_size=max_size) if template is not None
        else TemplateBundle(data={}, text="", url=to_url("."))
    )
    add_environment_files(bundle, environments or [])
    params = format_parameters(parameters)
    params.update(read_parameter_files(parameter_files or []))
    return bundle, params
