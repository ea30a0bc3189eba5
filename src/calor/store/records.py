"""What the store hands out: frozen snapshots of rows, never ORM objects.

A record is what the database held when it was read; changing a stack means
calling the store again, so no object silently goes stale or writes itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, Self


class WorkUnitState(StrEnum):
    """Where a work unit is in its life."""

    PENDING = "pending"  # planned; waiting for its dependencies
    QUEUED = "queued"  # its dependencies are met and it was put on the queue
    RUNNING = "running"  # a worker claimed it and sends heartbeats
    DONE = "done"
    FAILED = "failed"


class _Record:
    __slots__ = ()

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """The record of a result row whose columns carry the field names."""
        return cls(**_values(cls, row))


def _values(cls: type[Any], row: Any) -> dict[str, Any]:
    mapping = row._mapping
    return {name: mapping[name] for name in field_names(cls)}


#: A memo of facts fixed at import (each record class's fields), not state.
_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def field_names(cls: type[Any]) -> tuple[str, ...]:
    """A dataclass's field names (``dataclasses.fields`` costs more than the row it reads)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


@dataclass(frozen=True, slots=True)
class RawTemplateRecord(_Record):
    """A stored template with its files map and environment."""

    id: int
    template: Mapping[str, Any]
    files: Mapping[str, str]
    environment: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StackRecord(_Record):
    """A stack row."""

    id: str
    name: str
    project_id: str
    owner_id: str | None
    parent_resource_name: str | None
    raw_template_id: int
    prev_raw_template_id: int | None
    action: str
    status: str
    status_reason: str
    disable_rollback: bool
    timeout_mins: int | None
    tags: Sequence[str]
    parameters: Mapping[str, Any]
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None
    current_traversal: str | None
    nested_depth: int
    engine_id: str | None
    lock_heartbeat_at: datetime | None
    atomic_key: int

    @property
    def state(self) -> str:
        """Heat's ``stack_status`` string, as in ``CREATE_COMPLETE``."""
        return f"{self.action}_{self.status}"


@dataclass(frozen=True, slots=True)
class ResourceRecord(_Record):
    """A resource row."""

    id: int
    uuid: str
    stack_id: str
    name: str
    type: str
    physical_resource_id: str | None
    action: str
    status: str
    status_reason: str
    properties_data: Mapping[str, Any] | None
    attr_data: Mapping[str, Any] | None
    rsrc_metadata: Mapping[str, Any] | None
    requires: Sequence[int]
    needed_by: Sequence[int]
    replaces: int | None
    replaced_by: int | None
    current_template_id: int | None
    engine_id: str | None
    atomic_key: int
    created_at: datetime
    updated_at: datetime | None

    @property
    def state(self) -> str:
        return f"{self.action}_{self.status}"


@dataclass(frozen=True, slots=True)
class ResourceDataRecord(_Record):
    """One key of a resource's persistent data; ``redact`` hides it in output."""

    resource_id: int
    key: str
    value: str
    redact: bool


@dataclass(frozen=True, slots=True)
class EventRecord(_Record):
    """An event; ``sequence`` orders events and is the cursor of ``after``."""

    sequence: int
    id: str
    stack_id: str
    resource_name: str
    physical_resource_id: str | None
    resource_action: str
    resource_status: str
    resource_status_reason: str
    resource_type: str | None
    resource_properties: Mapping[str, Any] | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SyncPointRecord(_Record):
    """A sync point; ``input_data`` maps each reporting predecessor to its data."""

    entity_id: str
    traversal_id: str
    is_update: bool
    stack_id: str
    atomic_key: int
    input_data: Mapping[str, Any]
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class WorkUnitRecord(_Record):
    """A work unit: one resource, in one traversal, doing one action."""

    id: str
    stack_id: str
    traversal_id: str
    resource_id: int
    is_update: bool
    action: str
    state: WorkUnitState
    worker_id: str | None
    heartbeat_at: datetime | None
    attempts: int
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> Self:
        values = _values(cls, row)
        values["state"] = WorkUnitState(values["state"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class SnapshotRecord(_Record):
    """A stack snapshot."""

    id: str
    stack_id: str
    name: str | None
    action: str
    status: str
    status_reason: str
    data: Mapping[str, Any] | None
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class EngineServiceRecord(_Record):
    """An engine or worker process and its last heartbeat."""

    id: str
    hostname: str
    pid: int
    topic: str
    created_at: datetime
    last_heartbeat: datetime


@dataclass(frozen=True, slots=True)
class NewResource:
    """A resource to create (see :meth:`Resources.create_many`)."""

    stack_id: str
    name: str
    type: str
    action: str = "INIT"
    status: str = "COMPLETE"
    status_reason: str = ""
    physical_resource_id: str | None = None
    properties_data: Mapping[str, Any] | None = None
    attr_data: Mapping[str, Any] | None = None
    rsrc_metadata: Mapping[str, Any] | None = None
    requires: Sequence[int] = ()
    needed_by: Sequence[int] = ()
    replaces: int | None = None
    current_template_id: int | None = None
    uuid: str | None = None


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to record (see :meth:`Events.create_many`)."""

    stack_id: str
    resource_name: str
    resource_action: str
    resource_status: str
    resource_status_reason: str = ""
    physical_resource_id: str | None = None
    resource_type: str | None = None
    resource_properties: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class NewWorkUnit:
    """A work unit to plan (see :meth:`WorkUnits.create_many`)."""

    resource_id: int
    action: str
    is_update: bool = True
    state: WorkUnitState = WorkUnitState.PENDING
