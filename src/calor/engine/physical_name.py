"""Names given to backend objects: Heat's ``<stack>-<resource>-<short id>``."""

from __future__ import annotations

import base64
import uuid

#: Heat's default limit on a physical name's length.
DEFAULT_LIMIT = 255


def short_id(source: uuid.UUID | str) -> str:
    """Twelve lower-case base32 characters from a version-4 UUID's random bits.

    The same UUID always gives the same short id, as in Heat, so a resource
    keeps its physical name across engines and restarts.
    """
    value = uuid.UUID(str(source)) if not isinstance(source, uuid.UUID) else source
    if value.version != 4:
        raise ValueError(f"Invalid UUID version ({value.version})")
    # The 60 random bits of the "time" field, padded to 8 bytes on the right.
    raw = (value.time << 4).to_bytes(8, "big")
    return base64.b32encode(raw)[:12].decode("ascii").lower()


def physical_resource_name(
    stack_name: str, resource_name: str, resource_uuid: uuid.UUID | str,
    limit: int | None = DEFAULT_LIMIT,
) -> str:
    """The name a resource's backend object gets, shortened to ``limit`` if needed."""
    name = f"{stack_name.rstrip('*')}-{resource_name}-{short_id(resource_uuid)}"
    if limit is None:
        return name
    return reduce_name(name, limit)


def reduce_name(name: str, limit: int) -> str:
    """Keep the first two characters, a hyphen, and as much of the end as fits."""
    if len(name) <= limit:
        return name
    if limit < 4:
        raise ValueError("a physical name limit must be at least 4")
    return f"{name[:2]}-{name[-(limit - 3):]}"
