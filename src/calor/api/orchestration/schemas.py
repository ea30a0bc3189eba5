"""The shapes of Heat's response bodies, for the OpenAPI document.

Routes return their bodies directly (built by :mod:`.views` and the
service); these models describe them so ``/openapi.json`` documents what a
client really gets. Every model takes further fields, as Heat's do.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Link(_Open):
    href: str
    rel: str


class FaultDetail(_Open):
    type: str
    message: str
    traceback: str | None = None


class Fault(_Open):
    """Heat's error body."""

    code: int
    title: str
    explanation: str
    error: FaultDetail


class StackSummary(_Open):
    id: str
    links: list[Link]
    stack_name: str
    description: str | None = None
    stack_status: str
    stack_status_reason: str | None = None
    creation_time: str | None = None
    deletion_time: str | None = None
    updated_time: str | None = None
    stack_owner: str | None = None
    parent: str | None = None
    stack_user_project_id: str | None = None
    tags: list[str] | None = None
    project: str | None = None


class StackList(_Open):
    stacks: list[StackSummary]
    links: list[Link] | None = None
    count: int | None = None


class Output(_Open):
    output_key: str
    output_value: Any = None
    description: str | None = None
    output_error: str | None = None


class StackDetail(StackSummary):
    parameters: dict[str, Any] = {}
    outputs: list[Output] | None = None
    capabilities: list[Any] = []
    disable_rollback: bool | None = None
    timeout_mins: int | None = None
    notification_topics: list[Any] = []
    template_description: str | None = None


class StackDetailList(_Open):
    stacks: list[StackDetail]


class StackShow(_Open):
    stack: StackDetail


class StackRef(_Open):
    id: str
    links: list[Link]


class StackCreated(_Open):
    stack: StackRef


class StackPreview(_Open):
    stack: dict[str, Any]


class ResourceChanges(_Open):
    resource_changes: dict[str, list[dict[str, Any]]]


class Resource(_Open):
    resource_name: str
    logical_resource_id: str
    links: list[Link]
    physical_resource_id: str
    resource_status: str
    resource_status_reason: str | None = None
    resource_type: str
    creation_time: str | None = None
    updated_time: str | None = None
    required_by: list[str] = []
    parent_resource: str | None = None
    attributes: dict[str, Any] | None = None
    description: str | None = None


class ResourceList(_Open):
    resources: list[Resource]


class ResourceShow(_Open):
    resource: Resource


class ResourceMetadata(_Open):
    metadata: dict[str, Any]


class Event(_Open):
    id: str
    links: list[Link]
    event_time: str | None = None
    resource_name: str
    logical_resource_id: str
    resource_status: str
    resource_status_reason: str | None = None
    physical_resource_id: str | None = None
    resource_type: str | None = None
    resource_properties: dict[str, Any] | None = None


class EventList(_Open):
    events: list[Event]


class EventShow(_Open):
    event: Event


class Snapshot(_Open):
    id: str
    name: str | None = None
    status: str
    status_reason: str | None = None
    action: str | None = None
    data: dict[str, Any] | None = None
    creation_time: str | None = None


class SnapshotList(_Open):
    snapshots: list[Snapshot]


class SnapshotShow(_Open):
    snapshot: Snapshot


class OutputList(_Open):
    outputs: list[Output]


class OutputShow(_Open):
    output: Output


class TemplateVersion(_Open):
    version: str
    type: str
    aliases: list[str] = []


class TemplateVersions(_Open):
    template_versions: list[TemplateVersion]


class TemplateFunction(_Open):
    functions: str
    description: str


class TemplateFunctions(_Open):
    template_functions: list[TemplateFunction]


class ResourceTypes(_Open):
    resource_types: list[str | dict[str, Any]]


class Revision(_Open):
    revision: str


class BuildInfo(_Open):
    api: Revision
    engine: Revision


class Service(_Open):
    id: str
    host: str
    binary: str
    topic: str
    engine_id: str
    status: str
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    report_interval: int | None = None


class Services(_Open):
    services: list[Service]


class VersionEntry(_Open):
    id: str
    status: str
    links: list[Link]


class Versions(_Open):
    versions: list[VersionEntry]


#: Error answers every orchestration route may give.
FAULTS: dict[int | str, dict[str, Any]] = {
    status: {"model": Fault, "description": description}
    for status, description in (
        (400, "Bad request"), (401, "No valid token"), (403, "Not allowed"),
        (404, "Not found"), (409, "Conflict"),
    )
}
