"""Swift metadata as headers: ``X-<Kind>-Meta-<Name>`` in requests and answers.

Names come back title-cased (``X-Object-Meta-Color``), as Swift's WSGI layer
stores them. Setting a name to an empty value, or sending
``X-Remove-<Kind>-Meta-<Name>``, removes it. Swift's limits apply: 90 items,
names of 128 bytes, values of 256, 4096 bytes in all.
"""

from __future__ import annotations

from collections.abc import Mapping

from calor.sandbox.errors import BadRequest

MAX_ITEMS = 90
MAX_NAME = 128
MAX_VALUE = 256
MAX_TOTAL = 4096

#: Container settings that are headers of their own (ACLs, versioning, sync).
CONTAINER_SETTINGS = ("X-Container-Read", "X-Container-Write", "X-Versions-Location",
                      "X-History-Location", "X-Container-Sync-To", "X-Container-Sync-Key")


def title(name: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def changes(headers: Mapping[str, str], kind: str) -> tuple[dict[str, str], set[str]]:
    """``(set, remove)``: the metadata a request sets and removes for ``kind`` (Account...)."""
    prefix = f"x-{kind.lower()}-meta-"
    remove_prefix = f"x-remove-{kind.lower()}-meta-"
    to_set: dict[str, str] = {}
    to_remove: set[str] = set()
    for key, value in headers.items():
        lowered = key.lower()
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            name = title(key[len(prefix):])
            if value.strip():
                to_set[name] = value.strip()
            else:
                to_remove.add(name)
        elif lowered.startswith(remove_prefix) and len(lowered) > len(remove_prefix):
            to_remove.add(title(key[len(remove_prefix):]))
    return to_set, to_remove


def checked(metadata: dict[str, str]) -> dict[str, str]:
    """``metadata`` if it is within Swift's limits, else its 400."""
    if len(metadata) > MAX_ITEMS:
        raise BadRequest(f"Too many metadata items; max {MAX_ITEMS}")
    total = 0
    for name, value in metadata.items():
        if len(name.encode()) > MAX_NAME:
            raise BadRequest(f"Metadata name too long: {name}; max {MAX_NAME}")
        if len(value.encode()) > MAX_VALUE:
            raise BadRequest(f"Metadata value longer than {MAX_VALUE}: {value}")
        total += len(name.encode()) + len(value.encode())
    if total > MAX_TOTAL:
        raise BadRequest(f"Total metadata too large; max {MAX_TOTAL}")
    return metadata


def updated(current: Mapping[str, str], headers: Mapping[str, str], kind: str) -> dict[str, str]:
    """``current`` with a request's changes applied (accounts and containers)."""
    to_set, to_remove = changes(headers, kind)
    merged = {k: v for k, v in current.items() if k not in to_remove}
    merged.update(to_set)
    return checked(merged)


def as_headers(metadata: Mapping[str, str], kind: str) -> dict[str, str]:
    return {f"X-{kind}-Meta-{name}": value for name, value in metadata.items()}


def container_settings(current: Mapping[str, str],
                       headers: Mapping[str, str]) -> dict[str, str]:
    """ACLs and friends: set by their header, removed by ``X-Remove-...`` or an empty value."""
    settings = dict(current)
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in CONTAINER_SETTINGS:
        value = lowered.get(name.lower())
        if value is not None:
            if value.strip():
                settings[name] = value.strip()
            else:
                settings.pop(name, None)
        if f"x-remove-{name[2:].lower()}" in lowered:
            settings.pop(name, None)
    return settings
