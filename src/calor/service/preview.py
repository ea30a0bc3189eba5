"""Previews: what a create would build (``stack preview``) and what an update would change
(``stack update --dry-run``). Nothing is written to the store.

The update preview decides each resource as the worker will, with
:func:`calor.engine.update_diff.decide`, on properties resolved from the
stack's stored resources (their reference ids and attributes). Heat resolves
them against an empty copy of the new stack, so a property fed by
``get_attr`` always looks changed there; here it only does when it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calor.engine.loading import load_definition
from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.outputs import resolve_outputs
from calor.engine.plugin_classes import resolve_type
from calor.engine.resource_context import StoreResourceContext
from calor.engine.states import Action, Status
from calor.engine.update_diff import (
    StoredState,
    UpdateKind,
    UpdateNotSupported,
    UpdateRestricted,
    decide,
)
from calor.service.errors import ServiceError
from calor.service.stacks import StackService
from calor.service.templates import check_template
from calor.store.column_types import utc_now
from calor.store.records import ResourceRecord, StackRecord
from calor.template import function
from calor.template.definitions import ResourceDefinition
from calor.template.errors import TemplateError
from calor.template.schema import Properties
from calor.template.stack_definition import StackDefinition

#: The lists of an update preview, in the order osc prints them (sorted).
CHANGE_KINDS = ("added", "deleted", "replaced", "unchanged", "updated")


class UpdatePreviewFailed(ServiceError):
    """The update would be refused (an immutable property, a restricted action)."""

    error_type = "NotSupported"


def _time(value: Any) -> str | None:
    return None if value is None else str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _identity(project_id: str, stack_name: str, stack_id: str | None,
              resource_name: str | None = None) -> dict[str, Any]:
    """Heat's identifier map of a stack, or of one of its resources."""
    path = "" if resource_name is None else f"/resources/{resource_name}"
    return {"tenant": project_id, "stack_name": stack_name, "stack_id": stack_id, "path": path}


def _required_by(definition: StackDefinition, name: str) -> list[str]:
    return [other for other, rdef in definition.resources.items()
            if name in rdef.required_resources()]


class _Previewer:
    """Formats resources of one (real or would-be) stack as Heat's resource bodies."""

    def __init__(self, service: StackService, definition: StackDefinition,
                 stack_name: str, stack_id: str | None) -> None:
        self.service = service
        self.definition = definition
        self.stack_name = stack_name
        self.stack_id = stack_id
        self.nodes: dict[str, NodeData] = {}

    @property
    def context(self) -> RuntimeContext:
        return RuntimeContext(self.definition.parameters, self.nodes,
                              files=self.definition.template.files)

    def properties(self, rdef: ResourceDefinition) -> dict[str, Any]:
        """The resolved property values (defaults in), as far as they can be known now."""
        try:
            raw = function.resolve(rdef.properties, self.context) if rdef.properties else {}
        except TemplateError:
            return {}
        resolved = resolve_type(self.service.registry, self.definition, rdef.type)
        if resolved is None or resolved[1].accepts_any_property:
            return dict(raw)
        schema = resolved[1]
        try:
            return Properties(schema.properties_for(raw)).resolve(raw)
        except TemplateError:
            return dict(raw)

    def would_be(self, name: str, *, with_properties: bool) -> dict[str, Any]:
        """A resource of the template that does not exist yet (INIT_COMPLETE, as in Heat)."""
        rdef = self.definition.resources[name]
        resolved = resolve_type(self.service.registry, self.definition, rdef.type)
        attributes = [] if resolved is None else [a for a in resolved[1].attributes if a != "show"]
        try:
            metadata = function.resolve(rdef.metadata, self.context) if rdef.metadata else {}
        except TemplateError:
            metadata = {}
        body = self._summary(name, rdef.type, None, Action.INIT, Status.COMPLETE, "",
                             None, None)
        body.update(description=rdef.description, metadata=metadata,
                    attributes=dict.fromkeys(attributes))
        if with_properties:
            values = self.properties(rdef)
            keys = list(resolved[1].properties) if resolved is not None else list(values)
            body["properties"] = {key: values.get(key) for key in keys}
        return body

    def stored(self, row: ResourceRecord) -> dict[str, Any]:
        """A resource as the store has it."""
        body = self._summary(row.name, row.type, row.physical_resource_id, row.action,
                             row.status, row.status_reason, row.created_at, row.updated_at)
        rdef = self.definition.resources.get(row.name)
        body.update(description=rdef.description if rdef else "",
                    metadata=dict(row.rsrc_metadata or {}),
                    attributes=dict(row.attr_data or {}))
        return body

    def _summary(self, name: str, type_name: str, physical_id: str | None, action: str,
                 status: str, reason: str, created: Any, updated: Any) -> dict[str, Any]:
        project = self.service.project_id
        return {
            "resource_name": name,
            "resource_type": type_name,
            "physical_resource_id": physical_id or "",
            "resource_action": str(action),
            "resource_status": str(status),
            "resource_status_reason": reason,
            "resource_identity": _identity(project, self.stack_name, self.stack_id, name),
            "stack_identity": _identity(project, self.stack_name, self.stack_id),
            "stack_name": self.stack_name,
            "required_by": _required_by(self.definition, name),
            "creation_time": _time(created),
            "updated_time": _time(updated or created),
        }


# -- create ------------------------------------------------------------------


async def preview_stack(
    service: StackService,
    name: str,
    template: Mapping[str, Any],
    *,
    text: str | None = None,
    filename: str | None = None,
    files: Mapping[str, str] | None = None,
    environment_files: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    timeout_mins: int | None = None,
    disable_rollback: bool = True,
    tags: Sequence[str] = (),
    environment: Mapping[str, Any] | str | None = None,
) -> dict[str, Any]:
    """Heat's ``preview_stack``: the stack body a create would start with, and its resources.

    The create's checks run first (the name, a stack already so named, the
    strict validation), so a preview that succeeds is a create that starts.
    """
    await service.check_new_name(name)
    result = check_template(
        template, text=text, filename=filename, files=files, environment=environment,
        environment_files=environment_files, parameters=parameters,
        registry=service.registry, strict=True,
    )
    checked = result.definition
    # The same definition with the pseudo parameters a stack of this name gets.
    definition = StackDefinition(checked.template, checked.environment, stack_name=name,
                                 project_id=service.project_id)
    previewer = _Previewer(service, definition, name, None)
    description = definition.template.description
    return {
        "id": None,
        "stack_name": name,
        "description": description,
        "template_description": description,
        "creation_time": _time(utc_now()),
        "updated_time": None,
        "deletion_time": None,
        "notification_topics": [],
        "capabilities": [],
        "parameters": definition.parameters.masked(),
        "outputs": resolve_outputs(definition, previewer.context),
        "disable_rollback": disable_rollback,
        "timeout_mins": timeout_mins,
        "stack_owner": None,
        "parent": None,
        "stack_user_project_id": None,
        "tags": list(tags) or None,
        "resources": [previewer.would_be(n, with_properties=True)
                      for n in definition.resources],
    }


# -- update ------------------------------------------------------------------


async def preview_update_stack(
    service: StackService,
    name_or_id: str,
    template: Mapping[str, Any],
    *,
    text: str | None = None,
    filename: str | None = None,
    files: Mapping[str, str] | None = None,
    environment_files: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    show_nested: bool = False,
    environment: Mapping[str, Any] | str | None = None,
) -> dict[str, Any]:
    """Heat's ``preview_update_stack``: ``{"resource_changes": {added, deleted, ...}}``.

    As in Heat, ``updated`` and ``deleted`` show the resources as they are;
    ``added``, ``replaced`` and ``unchanged`` show them as the new template
    has them (not yet created). ``show_nested`` is accepted; nested stacks'
    own changes are not listed yet.
    """
    stack = await service.find(name_or_id)
    result = check_template(
        template, text=text, filename=filename, files=files, environment=environment,
        environment_files=environment_files, parameters=parameters,
        registry=service.registry, strict=True,
    )
    new = StackDefinition(result.definition.template, result.definition.environment,
                          stack_name=stack.name, stack_id=stack.id,
                          project_id=stack.project_id)
    current = load_definition(stack, await service.store.templates.get(stack.raw_template_id))
    rows = {r.name: r for r in await service.store.resources.list(stack.id)
            if r.replaced_by is None}
    after = _Previewer(service, new, stack.name, stack.id)
    before = _Previewer(service, current, stack.name, stack.id)
    after.nodes = {name: await _node(service, stack, row) for name, row in rows.items()}
    changes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in CHANGE_KINDS}
    for name in new.resources:
        row = rows.get(name)
        if row is None:
            changes["added"].append(after.would_be(name, with_properties=False))
            continue
        kind = await _decide(service, stack, after, row, new.resources[name])
        if kind is UpdateKind.UPDATE:
            changes["updated"].append(before.stored(row))
        elif kind is UpdateKind.REPLACE:
            changes["replaced"].append(after.would_be(name, with_properties=False))
        else:
            changes["unchanged"].append(after.would_be(name, with_properties=False))
    for name, row in rows.items():
        if name not in new.resources:
            changes["deleted"].append(before.stored(row))
    return {"resource_changes": changes}


async def _decide(service: StackService, stack: StackRecord, previewer: _Previewer,
                  row: ResourceRecord, rdef: ResourceDefinition) -> UpdateKind:
    if row.action == Action.INIT or row.physical_resource_id is None:
        # Never built (a failed create): the update creates it, as a replacement would.
        return UpdateKind.REPLACE
    resolved = resolve_type(service.registry, previewer.definition, rdef.type)
    if resolved is None:
        return UpdateKind.REPLACE
    cls, schema = resolved
    properties = previewer.properties(rdef)
    stored = dict(row.properties_data or {})
    changed = frozenset(k for k in set(properties) | set(stored)
                        if properties.get(k) != stored.get(k))
    plugin = cls(StoreResourceContext(service.store, stack.id, stack.name, row), properties)
    restricted = previewer.definition.environment.resource_registry.restricted_actions_for(
        row.name)
    try:
        decision = decide(
            row.name,
            StoredState(type=row.type, properties=stored, definition=None,
                        action=Action(row.action), status=Status(row.status)),
            rdef.type, properties, None, schema, restricted=restricted,
            plugin_wants_replace=bool(changed) and plugin.needs_replace(properties, changed),
        )
    except (UpdateNotSupported, UpdateRestricted) as exc:
        raise UpdatePreviewFailed(str(exc)) from None
    return decision.kind


async def _node(service: StackService, stack: StackRecord, row: ResourceRecord) -> NodeData:
    """What the row's readers get from it now (its reference id and attributes)."""
    reference = row.physical_resource_id or row.name
    cls = service.registry.get_class(row.type)
    if cls is not None and row.physical_resource_id is not None:
        ctx = StoreResourceContext(service.store, stack.id, stack.name, row)
        reference = await cls(ctx, dict(row.properties_data or {})).reference_id()
    return NodeData(row.name, reference, dict(row.attr_data or {}), Action(row.action),
                    Status(row.status), row.id)
