"""Abandon, export and adopt: a stack as portable data, and a stack made from that data.

The data is Heat's abandon format (``Stack.prepare_abandon``): the stack's
name, id, state, template, files and user environment, and for every
resource its physical id, state, type, metadata and resource data. Export
returns it; abandon returns it and forgets the stack without touching a
single backend object; adopt creates a stack whose resources take over the
objects the data names. Snapshots hold the same data (:mod:`.snapshots`).

Also here, because they read the same stored parts: ``stack template show``
and ``stack environment show``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any

from calor.engine.converge import start_traversal
from calor.engine.loading import load_definition
from calor.engine.stack_events import stack_event
from calor.engine.states import Action, Status
from calor.service.errors import ServiceError
from calor.service.stacks import StackService
from calor.service.templates import check_template
from calor.store.records import NewResource, RawTemplateRecord, StackRecord
from calor.template.environment import PARAMETER_DEFAULTS, PARAMETERS, Environment
from calor.template.errors import TemplateError
from calor.template.loader import parse_yaml_or_json

#: What ``stack environment show`` prints instead of a hidden parameter's value.
_MASK = "******"


class InvalidAdoptData(ServiceError, ValueError):
    """Adopt data that cannot make a stack; the message says what is wrong and where."""

    error_type = "HTTPBadRequest"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Invalid adopt data: {reason}")


# -- abandon and export ------------------------------------------------------


async def prepare_abandon(
    service: StackService, stack: StackRecord, *, resources: bool = True
) -> dict[str, Any]:
    """Heat's abandon data of ``stack`` (without resources when ``resources`` is False)."""
    store = service.store
    raw = await store.templates.get(stack.raw_template_id)
    entries: dict[str, Any] = {}
    if resources:
        for row in await store.resources.list(stack.id):
            if row.replaced_by is not None:
                continue  # a replaced row is on its way out; its name has a newer row
            data = await store.resource_data.get_all(row.id)
            entry: dict[str, Any] = {
                "name": row.name,
                "resource_id": row.physical_resource_id,
                "type": row.type,
                "action": row.action,
                "status": row.status,
                "metadata": dict(row.rsrc_metadata or {}),
                "resource_data": {key: record.value for key, record in data.items()},
            }
            child = await _child_stack(service, stack, row.name)
            if child is not None:
                # A nested stack's resources go under its parent resource, as in Heat.
                entry["resources"] = (await prepare_abandon(service, child))["resources"]
            entries[row.name] = entry
    return {
        "name": stack.name,
        "id": stack.id,
        "action": stack.action,
        "status": stack.status,
        "template": copy.deepcopy(dict(raw.template)),
        "environment": _user_environment(raw),
        "files": dict(raw.files),
        "resources": entries,
        "project_id": stack.project_id,
        "stack_user_project_id": None,
        "tags": list(stack.tags) or None,
    }


async def export_stack(service: StackService, name_or_id: str) -> dict[str, Any]:
    """Heat's ``export_stack``: the abandon data, the stack left as it is."""
    return await prepare_abandon(service, await service.find(name_or_id))


async def abandon_stack(service: StackService, name_or_id: str) -> dict[str, Any]:
    """Heat's ``abandon_stack``: the abandon data; the stack is gone, its resources stay.

    No traversal runs and no plugin is called: the rows (the nested stacks'
    too) are simply dropped, so every backend object lives on, owned by
    whoever adopts the data.
    """
    stack = await service.find(name_or_id)
    data = await prepare_abandon(service, stack)
    await _forget(service, stack)
    return data


async def _forget(service: StackService, stack: StackRecord) -> None:
    for child in await service.store.stacks.list(owner_id=stack.id, show_nested=True):
        await _forget(service, child)
    # A running traversal's units find their traversal gone and stop.
    await service.store.stacks.update(stack.id, current_traversal=None)
    await service.store.stacks.soft_delete(stack.id)


async def _child_stack(
    service: StackService, stack: StackRecord, resource_name: str
) -> StackRecord | None:
    children = await service.store.stacks.list(owner_id=stack.id, show_nested=True)
    found = [c for c in children if c.parent_resource_name == resource_name]
    return found[0] if found else None


def _user_environment(raw: RawTemplateRecord) -> dict[str, Any]:
    """The environment as the user gave it (Heat's ``user_env_as_dict``)."""
    return Environment.parse(dict(raw.environment) or None).to_dict()


# -- adopt -------------------------------------------------------------------


def parse_adopt_data(data: Mapping[str, Any] | str) -> dict[str, Any]:
    """The adopt data as a mapping, checked as far as adopting needs it."""
    if isinstance(data, str):
        try:
            data = parse_yaml_or_json(data, what="adopt data")
        except TemplateError as exc:
            raise InvalidAdoptData(str(exc)) from None
    if not isinstance(data, Mapping):
        raise InvalidAdoptData("it is not a map (a JSON object)")
    template = data.get("template")
    if template is None:
        raise InvalidAdoptData("'template' is missing")
    if not isinstance(template, Mapping):
        raise InvalidAdoptData("'template' is not a map")
    for key in ("environment", "files", "resources"):
        if not isinstance(data.get(key) or {}, Mapping):
            raise InvalidAdoptData(f"'{key}' is not a map")
    for name, entry in (data.get("resources") or {}).items():
        if not isinstance(entry, Mapping):
            raise InvalidAdoptData(f"resources.{name} is not a map")
        if not isinstance(entry.get("resource_data") or {}, Mapping):
            raise InvalidAdoptData(f"resources.{name}.resource_data is not a map")
    return dict(data)


async def adopt_stack(
    service: StackService,
    name: str,
    adopt_data: Mapping[str, Any] | str,
    *,
    files: Mapping[str, str] | None = None,
    environment_files: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    timeout_mins: int | None = None,
    disable_rollback: bool = True,
    tags: Sequence[str] = (),
) -> StackRecord:
    """Heat's create with ``adopt_stack_data``: a new stack taking over existing resources.

    The template, files and environment come from the data; ``parameters``
    override the data's, and ``environment_files`` (contents in ``files``)
    are merged on top, as heatclient's ``stack adopt -e`` sends them. The
    rows are stored with the adopted physical ids, metadata and resource
    data before an ADOPT traversal runs each plugin's ``adopt``.
    """
    data = parse_adopt_data(adopt_data)
    await service.check_new_name(name)
    store = service.store
    template = dict(data["template"])
    environment = dict(data.get("environment") or {})
    params = {**(environment.get(PARAMETERS) or {}), **(parameters or {})}
    all_files = {**(data.get("files") or {}), **(files or {})}
    result = check_template(
        template, files=all_files, environment=environment,
        environment_files=environment_files, parameters=params,
        registry=service.registry, strict=True,
    )
    adopted = data.get("resources") or {}
    for resource_name in result.definition.resources:
        entry = adopted.get(resource_name) or {}
        if not entry.get("resource_id"):
            # Heat fails the resource's ADOPT for this; saying so first is kinder.
            raise InvalidAdoptData(f"resources.{resource_name}: Resource ID was not provided.")
    stored_env = result.definition.environment.to_dict(include_encrypted_param_names=True)
    raw = await store.templates.create(template=template, files=all_files,
                                       environment=stored_env)
    reason = "Stack ADOPT started"
    stack = await store.stacks.create(
        name=name, project_id=service.project_id, raw_template_id=raw.id,
        action=str(Action.ADOPT), status=str(Status.IN_PROGRESS), status_reason=reason,
        disable_rollback=disable_rollback, timeout_mins=timeout_mins, tags=tags,
        parameters=dict(result.definition.environment.parameters),
    )
    await stack_event(service.store, stack, Action.ADOPT, Status.IN_PROGRESS, reason)
    definition = load_definition(stack, raw)
    rows = await store.resources.create_many([
        NewResource(
            stack_id=stack.id, name=resource_name, type=rdef.type,
            physical_resource_id=str(adopted[resource_name]["resource_id"]),
            rsrc_metadata=adopted[resource_name].get("metadata") or None,
        )
        for resource_name, rdef in definition.resources.items()
    ])
    for row in rows:
        for key, value in (adopted[row.name].get("resource_data") or {}).items():
            await store.resource_data.set(row.id, str(key), resource_data_text(value))
    # The rows exist, so the traversal allocates none; its units adopt them.
    await start_traversal(store, service.queue, stack, definition, Action.ADOPT,
                          engine_id=service.engine_id)
    return await store.stacks.get(stack.id)


def resource_data_text(value: Any) -> str:
    """Resource data is text; a structured value (hand-written data) is kept as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


# -- what the store keeps of a stack -------------------------------------------


async def stack_template(service: StackService, name_or_id: str) -> dict[str, Any]:
    """Heat's ``get_template``: the template as stored."""
    return await template_of(service, await service.find(name_or_id))


async def template_of(service: StackService, stack: StackRecord) -> dict[str, Any]:
    """The stored template of a stack already found (a deleted one too, as Heat)."""
    raw = await service.store.templates.get(stack.raw_template_id)
    return copy.deepcopy(dict(raw.template))


async def stack_environment(service: StackService, name_or_id: str) -> dict[str, Any]:
    """Heat's ``get_environment``: the stored environment, hidden parameters masked."""
    return await environment_of(service, await service.find(name_or_id))


async def environment_of(service: StackService, stack: StackRecord) -> dict[str, Any]:
    """The stored environment of a stack already found, hidden parameters masked."""
    raw = await service.store.templates.get(stack.raw_template_id)
    environment = copy.deepcopy(dict(raw.environment))
    schemas = load_definition(stack, raw).parameter_schemas
    for section in (PARAMETERS, PARAMETER_DEFAULTS):
        values = environment.get(section) or {}
        for key in values:
            if key in schemas and schemas[key].hidden:
                values[key] = _MASK
    return environment
