"""Child stacks for the plugins that run one (provider templates, groups, OS::Heat::Stack).

A child stack is a stack like any other, run by the same engine, with
Heat's links to its parent: ``owner_id`` (the parent stack),
``parent_resource_name`` and ``nested_depth`` (the parent's plus one), in
the parent's project. It is validated as strictly as a stack a user
creates, inherits the parent's environment and files, and is never listed
among the top-level stacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.config import Limits
from calor.engine.converge import start_traversal
from calor.engine.loading import load_definition
from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.outputs import resolve_outputs
from calor.engine.plugin_classes import resolve_type
from calor.engine.resource_context import StoreResourceContext
from calor.engine.stack_events import stack_event
from calor.engine.states import Action, Status
from calor.resources.nested import (
    ChildStack,
    ChildStatus,
    NestedStacks,
    RequestLimitExceeded,
    StackValidationFailed,
)
from calor.service.stacks import StackService
from calor.service.templates import TemplateValidationFailed, check_template
from calor.store.errors import StackExists, StackNotFound
from calor.store.records import ResourceRecord, StackRecord
from calor.template.stack_definition import StackDefinition


class NestedStackService:
    """:class:`~calor.resources.nested.NestedStacks` on top of a :class:`StackService`."""

    def __init__(self, service: StackService) -> None:
        self.service = service
        self.store = service.store

    async def create_stack(
        self, parent_id: str, resource_name: str, *, stack_id: str, name: str, child: ChildStack
    ) -> None:
        parent = await self.store.stacks.get(parent_id)
        limits = Limits.from_environment()
        if parent.nested_depth >= limits.max_nested_stack_depth:
            raise RequestLimitExceeded(
                f"Recursion depth exceeds {limits.max_nested_stack_depth}."
            )
        depth = parent.nested_depth + 1
        definition, files = await self._checked(parent, resource_name, child, depth, limits)
        environment = definition.environment
        raw = await self.store.templates.create(
            template=dict(child.template), files=dict(files),
            environment=environment.to_dict(include_encrypted_param_names=True),
        )
        reason = "Stack CREATE started"
        try:
            stack = await self.store.stacks.create(
                id=stack_id, name=name, project_id=parent.project_id, raw_template_id=raw.id,
                owner_id=parent.id, parent_resource_name=resource_name, nested_depth=depth,
                action=str(Action.CREATE), status=str(Status.IN_PROGRESS), status_reason=reason,
                disable_rollback=True, parameters=dict(environment.parameters),
                timeout_mins=child.timeout_mins if child.timeout_mins is not None
                else parent.timeout_mins,
            )
        except StackExists as exc:
            raise StackValidationFailed(str(exc)) from None
        await self._event(stack, Action.CREATE, reason)
        await start_traversal(self.store, self.service.queue, stack, load_definition(stack, raw),
                              Action.CREATE, engine_id=self.service.engine_id)

    async def update_stack(self, stack_id: str, child: ChildStack) -> None:
        stack = await self.store.stacks.get(stack_id)
        if stack.owner_id is None or stack.parent_resource_name is None:
            raise StackValidationFailed(f"The stack {stack.name} is not a nested stack")
        parent = await self.store.stacks.get(stack.owner_id)
        limits = Limits.from_environment()
        definition, files = await self._checked(
            parent, stack.parent_resource_name, child, stack.nested_depth, limits
        )
        environment = definition.environment
        raw = await self.store.templates.create(
            template=dict(child.template), files=dict(files),
            environment=environment.to_dict(include_encrypted_param_names=True),
        )
        reason = "Stack UPDATE started"
        changes: dict[str, Any] = {}
        if child.timeout_mins is not None:
            changes["timeout_mins"] = child.timeout_mins
        await self.store.stacks.update(
            stack.id, action=str(Action.UPDATE), status=str(Status.IN_PROGRESS),
            status_reason=reason, raw_template_id=raw.id,
            prev_raw_template_id=stack.raw_template_id,
            parameters=dict(environment.parameters), **changes,
        )
        stack = await self.store.stacks.get(stack.id)
        await self._event(stack, Action.UPDATE, reason)
        # A child still busy (its parent's last action was cut short) is
        # superseded: the new traversal takes over from the old one.
        await start_traversal(self.store, self.service.queue, stack, load_definition(stack, raw),
                              Action.UPDATE, engine_id=self.service.engine_id)

    async def delete_stack(self, stack_id: str) -> bool:
        try:
            stack = await self.store.stacks.get(stack_id)
        except StackNotFound:
            return False
        reason = "Stack DELETE started"
        await self.store.stacks.update(
            stack.id, action=str(Action.DELETE), status=str(Status.IN_PROGRESS),
            status_reason=reason,
        )
        stack = await self.store.stacks.get(stack.id)
        await self._event(stack, Action.DELETE, reason)
        await start_traversal(self.store, self.service.queue, stack, None, Action.DELETE,
                              engine_id=self.service.engine_id)
        return True

    async def status(self, stack_id: str) -> ChildStatus | None:
        try:
            stack = await self.store.stacks.get(stack_id)
        except StackNotFound:
            return None
        return ChildStatus(
            id=stack.id, name=stack.name, project_id=stack.project_id, action=stack.action,
            status=stack.status, status_reason=stack.status_reason,
        )

    async def outputs(self, stack_id: str) -> Mapping[str, Any]:
        stack = await self.store.stacks.get(stack_id)
        definition = await self._definition(stack)
        rows = [r for r in await self.store.resources.list(stack.id) if r.replaced_by is None]
        nodes = {
            r.name: NodeData(r.name, await self._reference_id(stack, definition, r),
                             dict(r.attr_data or {}), Action(r.action), Status(r.status))
            for r in rows
        }
        ctx = RuntimeContext(definition.parameters, nodes, files=definition.template.files)
        return {o["output_key"]: o.get("output_value") for o in resolve_outputs(definition, ctx)}

    async def files(self, stack_id: str) -> Mapping[str, str]:
        stack = await self.store.stacks.get(stack_id)
        return dict((await self.store.templates.get(stack.raw_template_id)).files)

    # -- helpers -------------------------------------------------------------

    async def _checked(
        self, parent: StackRecord, resource_name: str, child: ChildStack, depth: int,
        limits: Limits,
    ) -> tuple[StackDefinition, Mapping[str, str]]:
        """The child's definition, validated as strictly as a user's stack."""
        parent_definition = await self._definition(parent)
        files = parent_definition.template.files
        environment = parent_definition.environment.child(
            resource_name, dict(child.parameters), provider=child.provider
        )
        text = files.get(child.template_name) if child.template_name else None
        try:
            result = check_template(
                child.template, text=text, filename=child.template_name if text else None,
                files=files, environment=environment.to_dict(),
                registry=self.service.registry, strict=True,
                max_depth=max(limits.max_nested_stack_depth - depth, 0),
            )
        except TemplateValidationFailed as exc:
            raise StackValidationFailed(str(exc)) from None
        return result.definition, files

    async def _definition(self, stack: StackRecord) -> StackDefinition:
        return load_definition(stack, await self.store.templates.get(stack.raw_template_id))

    async def _reference_id(
        self, stack: StackRecord, definition: StackDefinition, row: ResourceRecord
    ) -> str:
        """What ``get_resource`` of ``row`` yields: the plugin decides."""
        resolved = resolve_type(self.service.registry, definition, row.type)
        if resolved is None:
            return row.physical_resource_id or row.name
        ctx = StoreResourceContext(self.store, stack.id, stack.name, row)
        return await resolved[0](ctx, dict(row.properties_data or {})).reference_id()

    async def _event(self, stack: StackRecord, action: Action, reason: str) -> None:
        await stack_event(self.store, stack, action, Status.IN_PROGRESS, reason)


def nested_stacks(service: StackService) -> NestedStacks:
    """What a worker hands its plugins to create, update and delete child stacks."""
    return NestedStackService(service)
