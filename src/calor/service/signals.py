"""Signals to resources and what a resource shows (resource show|metadata|signal, event show).

A signal is delivered at once, in the caller's process: the plugin's
``signal`` writes what it keeps (a wait condition handle: its metadata) to
the store, and whatever waits on it -- a wait condition polling in another
process's engine -- sees it there. As in Heat, a signal that was handled is
recorded as a ``SIGNAL`` event with the resource's current status; unlike
Heat (which hands signals to a background thread and only logs a signal
its handler refuses) the caller hears why a signal was refused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from calor.engine.hooks import clear_hook, has_hook
from calor.engine.loading import load_definition
from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.physical_name import physical_resource_name
from calor.engine.resource_context import make_context
from calor.engine.states import Action, Status, joined
from calor.resources.base import Resource
from calor.resources.heat.wait_condition_base import ORCHESTRATION_URL
from calor.resources.lifecycle import ResourceFailure
from calor.service.stacks import StackService
from calor.store.errors import ResourceNotFound
from calor.store.records import EventRecord, ResourceRecord, StackRecord
from calor.template import function
from calor.template.errors import TemplateError
from calor.template.stack_definition import StackDefinition

#: Heat refuses signals to a resource in these actions (``no_signal_actions``).
NO_SIGNAL_ACTIONS = (Action.SUSPEND, Action.DELETE)

#: The hook types a signal's ``unset_hook`` may name (Heat's HOOK_TYPES).
HOOK_TYPES = ("pre-create", "pre-update", "pre-delete", "post-create", "post-update",
              "post-delete")


class SignalError(Exception):
    """A signal that was not delivered; the message is Heat's answer."""


class SignalNotSupported(SignalError):
    """The resource does not take signals, or not in its current action."""


class ResourceNotAvailable(SignalError):
    """The resource has not been created yet."""

    def __init__(self, resource_name: str) -> None:
        super().__init__(f"The Resource ({resource_name}) is not available.")


class InvalidBreakPointHook(SignalError):
    """An ``unset_hook`` signal naming a hook that is not set (or not a hook)."""


class SignalRefused(SignalError):
    """The resource's signal handler refused the signal (``ValueError: resources.x: ...``)."""


class StackResourceNotFound(ResourceNotFound):
    """No resource of that name in the stack (Heat's engine wording)."""

    def __init__(self, resource_name: str, stack_name: str) -> None:
        super().__init__(resource_name)
        self.message = f"The Resource ({resource_name}) could not be found in Stack {stack_name}."
        self.args = (self.message,)
        self.stack_name = stack_name


class EventNotInResource(ResourceNotFound):
    """No event of that id among the resource's events (Heat's API wording)."""

    def __init__(self, event_id: str) -> None:
        super().__init__(event_id)
        self.message = f"No event {event_id} found"
        self.args = (self.message,)


async def find_resource(
    service: StackService, stack_name_or_id: str, resource_name: str
) -> tuple[StackRecord, ResourceRecord]:
    """The stack and the (newest) row of its resource ``resource_name``."""
    stack = await service.find(stack_name_or_id)
    try:
        row = await service.store.resources.get_by_name(stack.id, resource_name)
    except ResourceNotFound:
        raise StackResourceNotFound(resource_name, stack.name) from None
    return stack, row


# -- signals ------------------------------------------------------------------


async def signal_resource(
    service: StackService, stack_name_or_id: str, resource_name: str,
    details: Mapping[str, Any] | None,
) -> None:
    """Deliver ``details`` to the resource's plugin (Heat's ``resource_signal``).

    ``{"unset_hook": "<hook>"}`` clears a hook instead, on any resource.
    """
    stack, row = await find_resource(service, stack_name_or_id, resource_name)
    if row.action in NO_SIGNAL_ACTIONS:
        await _event(service, stack, row, row.action, f"Cannot signal resource during {row.action}")
        raise SignalNotSupported(f"Signal resource during {row.action} is not supported.")
    if details and "unset_hook" in details:
        await _unset_hook(service, stack, row, str(details["unset_hook"]))
        return
    cls = service.registry.get_class(row.type)
    if cls is None or not cls.supports_signal:
        raise SignalNotSupported("signal is not supported for resource.")
    if row.action == Action.INIT:
        # Not created yet: there is nothing to take the signal (Heat would
        # keep it in a row that its create then builds on; Calor says so).
        raise ResourceNotAvailable(row.name)
    plugin = cls(make_context(service.store, stack, row), dict(row.properties_data or {}))
    try:
        result = await plugin.signal(details)
    except ResourceFailure as exc:
        raise SignalRefused(f"{type(exc).__name__}: resources.{row.name}: {exc}") from None
    reason = f"Signal: {result}" if result else _details_text(details)
    await _event(service, stack, row, "SIGNAL", reason)


async def _unset_hook(
    service: StackService, stack: StackRecord, row: ResourceRecord, hook: str
) -> None:
    described = _describe(service, stack, row)
    if hook not in HOOK_TYPES:
        raise InvalidBreakPointHook(f'Invalid hook type "{hook}" for {described}')
    if not await has_hook(service.store, row.id, hook) or not await clear_hook(
        service.store, stack, row, hook
    ):
        raise InvalidBreakPointHook(f'The "{hook}" hook is not defined on {described}')


def _details_text(details: Any) -> str:
    """Heat's reason for a signal whose handler said nothing."""
    if details is None:
        return "No signal details provided"
    if isinstance(details, str):
        return details
    if isinstance(details, Mapping) and all(k in details for k in ("previous", "current",
                                                                     "reason")):
        # An alarm's signal.
        return (f"alarm state changed from {details['previous']} to {details['current']} "
                f"({details['reason']})")
    return "Unknown"


def _describe(service: StackService, stack: StackRecord, row: ResourceRecord) -> str:
    """A resource as Heat names one in messages: ``TestResource "web" [<id>] Stack "s" [<id>]``."""
    cls = service.registry.get_class(row.type)
    kind = cls.__name__ if cls is not None else "Resource"
    physical = f" [{row.physical_resource_id}]" if row.physical_resource_id else ""
    return f'{kind} "{row.name}"{physical} Stack "{stack.name}" [{stack.id}]'


async def _event(
    service: StackService, stack: StackRecord, row: ResourceRecord, action: str, reason: str
) -> None:
    await service.store.events.create(
        stack_id=stack.id, resource_name=row.name, resource_action=str(action),
        resource_status=row.status, resource_status_reason=reason,
        physical_resource_id=row.physical_resource_id
        or physical_resource_name(stack.name, row.name, row.uuid),
        resource_type=row.type,
        resource_properties=dict(row.properties_data or {}),
    )


# -- what a resource shows ----------------------------------------------------


async def resource_metadata(
    service: StackService, stack_name_or_id: str, resource_name: str
) -> dict[str, Any]:
    """The resource's metadata (Heat's ``GET .../resources/<name>/metadata``).

    What the resource stored (a handle's signals), else its template
    ``Metadata`` resolved against the stack, once the resource exists.
    """
    stack, row = await find_resource(service, stack_name_or_id, resource_name)
    if row.rsrc_metadata is not None:
        return dict(row.rsrc_metadata)
    if row.action == Action.INIT:
        return {}
    definition = await _definition(service, stack)
    rdef = definition.resources.get(row.name)
    if rdef is None or rdef.metadata is None:
        return {}
    try:
        resolved = function.resolve(rdef.metadata, await _runtime(service, stack, definition))
    except TemplateError:
        return {}
    return dict(resolved) if isinstance(resolved, Mapping) else {}


async def resource_show(
    service: StackService, stack_name_or_id: str, resource_name: str,
    *, with_attr: Sequence[str] = (), base_url: str = ORCHESTRATION_URL,
) -> dict[str, Any]:
    """Heat's resource show body (``GET .../resources/<name>``), attributes resolved now.

    ``base_url`` is the orchestration API's ``.../v1`` the links start with.
    """
    stack, row = await find_resource(service, stack_name_or_id, resource_name)
    return await resource_body(service, stack, row, with_attr=with_attr, base_url=base_url)


async def resource_body(
    service: StackService, stack: StackRecord, row: ResourceRecord,
    *, with_attr: Sequence[str] = (), base_url: str = ORCHESTRATION_URL,
) -> dict[str, Any]:
    """The show body of a resource already found (``with_detail`` listings use it too)."""
    definition = await _definition(service, stack)
    rdef = definition.resources.get(row.name)
    required_by = [
        name for name, other in definition.resources.items()
        if row.name in other.required_resources()
    ]
    body: dict[str, Any] = {
        "attributes": await _attributes(service, stack, row, with_attr),
        "creation_time": _time(row.created_at),
        "description": rdef.description if rdef is not None else "",
        "links": [
            {"href": f"{_stack_url(stack, base_url)}/resources/{row.name}", "rel": "self"},
            {"href": _stack_url(stack, base_url), "rel": "stack"},
        ],
        "logical_resource_id": row.name,
        "physical_resource_id": row.physical_resource_id or "",
        "required_by": required_by,
        "resource_name": row.name,
        "resource_status": joined(row.action, row.status),
        "resource_status_reason": row.status_reason,
        "resource_type": row.type,
        "updated_time": _time(row.updated_at or row.created_at),
    }
    if stack.parent_resource_name:
        body["parent_resource"] = stack.parent_resource_name
    return body


async def _attributes(
    service: StackService, stack: StackRecord, row: ResourceRecord, with_attr: Sequence[str]
) -> dict[str, Any]:
    # As Heat: every attribute of the type (``show`` when it resolves to a
    # map stands for them all) plus any asked for, each resolved now; one
    # that cannot be resolved is None.
    stored = dict(row.attr_data or {})
    cls = service.registry.get_class(row.type)
    schema = service.registry.get(row.type)
    if cls is None or schema is None:
        names = [n for n in stored if n != "show"]
        return {n: stored.get(n) for n in dict.fromkeys([*names, *with_attr])}
    plugin = cls(make_context(service.store, stack, row, cloud=service.cloud),
                 dict(row.properties_data or {}))
    created = row.action != Action.INIT

    async def resolve(name: str) -> Any:
        if not created:
            return None
        try:
            return await plugin.resolve_attribute(name)
        except Exception:  # a plugin's failure to answer is a None, as in Heat
            return stored.get(name)

    if "show" in schema.attributes:
        shown = await resolve("show")
        if isinstance(shown, Mapping):
            result = dict(shown)
            for name in with_attr:
                if name not in result:
                    result[name] = await resolve(name)
            return result
    names = [n for n in schema.attributes if n != "show"]
    return {n: await resolve(n) for n in dict.fromkeys([*names, *with_attr])}


async def event_show(
    service: StackService, stack_name_or_id: str, resource_name: str, event_id: str
) -> dict[str, Any]:
    """Heat's event show body (``GET .../resources/<name>/events/<id>``)."""
    stack, row = await find_resource(service, stack_name_or_id, resource_name)
    found = [e for e in await service.store.events.list(stack.id, resource_name=row.name)
             if e.id == event_id]
    if not found:
        raise EventNotInResource(event_id)
    return event_body(stack, found[0])


def event_body(
    stack: StackRecord, event: EventRecord, *, base_url: str = ORCHESTRATION_URL
) -> dict[str, Any]:
    """One event as Heat's API shows it, fields in its order."""
    resource_url = f"{_stack_url(stack, base_url)}/resources/{event.resource_name}"
    return {
        "id": event.id,
        "links": [
            {"href": f"{resource_url}/events/{event.id}", "rel": "self"},
            {"href": resource_url, "rel": "resource"},
            {"href": _stack_url(stack, base_url), "rel": "stack"},
        ],
        "event_time": _time(event.created_at),
        "logical_resource_id": event.resource_name,
        "resource_name": event.resource_name,
        "physical_resource_id": event.physical_resource_id,
        "resource_status": joined(event.resource_action, event.resource_status),
        "resource_status_reason": event.resource_status_reason,
        "resource_type": event.resource_type,
        "resource_properties": dict(event.resource_properties or {}),
    }


# -- helpers -------------------------------------------------------------------


def _stack_url(stack: StackRecord, base_url: str = ORCHESTRATION_URL) -> str:
    return f"{base_url}/{stack.project_id}/stacks/{stack.name}/{stack.id}"


async def _definition(service: StackService, stack: StackRecord) -> StackDefinition:
    return load_definition(stack, await service.store.templates.get(stack.raw_template_id))


async def _runtime(
    service: StackService, stack: StackRecord, definition: StackDefinition
) -> RuntimeContext:
    """What functions resolve against: each resource's reference and stored attributes."""
    nodes = {}
    for r in await service.resources(stack):
        reference = r.physical_resource_id or r.name
        cls = service.registry.get_class(r.type)
        if cls is not None:
            with contextlib.suppress(Exception):
                plugin: Resource = cls(make_context(service.store, stack, r),
                                       dict(r.properties_data or {}))
                reference = await plugin.reference_id()
        nodes[r.name] = NodeData(r.name, reference, dict(r.attr_data or {}),
                                 Action(r.action), Status(r.status))
    return RuntimeContext(definition.parameters, nodes, files=definition.template.files)


def _time(value: Any) -> str | None:
    return None if value is None else str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
