"""Stack operations of the orchestration service: create, list, show, delete, and what they hold.

The same calls serve the embedded CLI now and the API later. Create and
delete return once the work is planned and queued (as Heat's API does);
:meth:`StackService.wait` follows a stack until its action ends.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from typing import Any

from calor.engine.converge import start_traversal
from calor.engine.loading import load_definition
from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.outputs import resolve_outputs
from calor.engine.resource_context import StoreResourceContext
from calor.engine.states import Action, Status, joined
from calor.messaging.queue import WorkQueue
from calor.resources.registry import ResourceTypeRegistry
from calor.service.templates import check_template
from calor.store import Store
from calor.store.errors import StackExists, StackNotFound
from calor.store.records import EventRecord, ResourceRecord, StackRecord

#: The project of the embedded (single-user) mode.
LOCAL_PROJECT = "local"

#: Heat's rule for stack names.
_STACK_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_.-]{0,254}")


class StackActionInProgress(Exception):
    """Heat allows one action at a time per stack."""

    def __init__(self, name: str, action: str) -> None:
        super().__init__(f"Stack {name} already has an action ({action}) in progress.")


class InvalidStackName(ValueError):
    """A stack name Heat would refuse."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f'Invalid stack name {name} must contain only alphanumeric or "_-." '
            "characters, must start with alpha and must be 255 characters or less."
        )


class StackService:
    """Stack operations on one store and work queue."""

    def __init__(
        self, store: Store, queue: WorkQueue, registry: ResourceTypeRegistry,
        *, project_id: str = LOCAL_PROJECT, engine_id: str | None = None,
    ) -> None:
        self.store = store
        #: The engine whose worker runs the traversals this service starts.
        self.engine_id = engine_id
        self.queue = queue
        self.registry = registry
        self.project_id = project_id

    async def create_stack(
        self,
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
    ) -> StackRecord:
        """Validate strictly, store the stack, and start its CREATE traversal."""
        if not _STACK_NAME.fullmatch(name):
            raise InvalidStackName(name)
        if await self.store.stacks.list(self.project_id, name=name):
            raise StackExists(name)
        result = check_template(
            template, text=text, filename=filename, files=files,
            environment_files=environment_files, parameters=parameters,
            registry=self.registry, strict=True,
        )
        environment = result.definition.environment.to_dict(include_encrypted_param_names=True)
        raw = await self.store.templates.create(
            template=dict(template), files=dict(files or {}), environment=environment,
        )
        reason = "Stack CREATE started"
        stack = await self.store.stacks.create(
            name=name, project_id=self.project_id, raw_template_id=raw.id,
            action=str(Action.CREATE), status=str(Status.IN_PROGRESS), status_reason=reason,
            disable_rollback=disable_rollback, timeout_mins=timeout_mins, tags=tags,
            parameters=dict(result.definition.environment.parameters),
        )
        await self._stack_event(stack, Action.CREATE, Status.IN_PROGRESS, reason)
        definition = load_definition(stack, raw)
        await start_traversal(self.store, self.queue, stack, definition, Action.CREATE,
                              engine_id=self.engine_id)
        return await self.store.stacks.get(stack.id)

    async def update_stack(
        self,
        name_or_id: str,
        template: Mapping[str, Any],
        *,
        text: str | None = None,
        filename: str | None = None,
        files: Mapping[str, str] | None = None,
        environment_files: Sequence[str] | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> StackRecord:
        """A full update (Heat's PUT): converge the stack to a new template.

        Resources the new template keeps are updated in place where their
        changed properties allow it, replaced (new one first) where not;
        resources it drops are deleted after the resources that needed them.
        """
        stack = await self.find(name_or_id)
        if stack.status == Status.IN_PROGRESS:
            raise StackActionInProgress(stack.name, stack.action)
        result = check_template(
            template, text=text, filename=filename, files=files,
            environment_files=environment_files, parameters=parameters,
            registry=self.registry, strict=True,
        )
        environment = result.definition.environment.to_dict(include_encrypted_param_names=True)
        raw = await self.store.templates.create(
            template=dict(template), files=dict(files or {}), environment=environment,
        )
        reason = "Stack UPDATE started"
        await self.store.stacks.update(
            stack.id, action=str(Action.UPDATE), status=str(Status.IN_PROGRESS),
            status_reason=reason, raw_template_id=raw.id,
            prev_raw_template_id=stack.raw_template_id,
            parameters=dict(result.definition.environment.parameters),
        )
        stack = await self.store.stacks.get(stack.id)
        await self._stack_event(stack, Action.UPDATE, Status.IN_PROGRESS, reason)
        await start_traversal(self.store, self.queue, stack, load_definition(stack, raw),
                              Action.UPDATE, engine_id=self.engine_id)
        return stack

    async def delete_stack(self, name_or_id: str) -> StackRecord:
        """Start deleting a stack: every resource, in reverse dependency order."""
        stack = await self.find(name_or_id)
        reason = "Stack DELETE started"
        await self.store.stacks.update(
            stack.id, action=str(Action.DELETE), status=str(Status.IN_PROGRESS),
            status_reason=reason,
        )
        stack = await self.store.stacks.get(stack.id)
        await self._stack_event(stack, Action.DELETE, Status.IN_PROGRESS, reason)
        await start_traversal(self.store, self.queue, stack, None, Action.DELETE,
                              engine_id=self.engine_id)
        return stack

    async def find(self, name_or_id: str) -> StackRecord:
        return await self.store.stacks.find(name_or_id, project_id=self.project_id)

    async def list_stacks(self) -> list[StackRecord]:
        return list(await self.store.stacks.list(project_id=self.project_id))

    async def wait(
        self, stack_id: str, *, poll: float = 0.05, timeout: float | None = None
    ) -> StackRecord | None:
        """The stack once its action has ended (None once a deleted stack is gone)."""
        async def until_done() -> StackRecord | None:
            while True:
                try:
                    stack = await self.store.stacks.get(stack_id)
                except StackNotFound:
                    return None
                deleted = (stack.action, stack.status) == (Action.DELETE, Status.COMPLETE)
                if stack.status != Status.IN_PROGRESS and not deleted:
                    return stack
                # A deleted stack is marked DELETE_COMPLETE a moment before it goes.
                await asyncio.sleep(poll)

        return await asyncio.wait_for(until_done(), timeout)

    # -- what a stack holds --------------------------------------------------

    async def resources(self, stack: StackRecord) -> list[ResourceRecord]:
        return list(await self.store.resources.list(stack.id))

    async def events(self, stack: StackRecord, *, after: int | None = None) -> list[EventRecord]:
        if after is None:
            return list(reversed(await self.store.events.list(stack.id)))
        return list(await self.store.events.list(stack.id, after=after))

    async def outputs(self, stack: StackRecord) -> list[dict[str, Any]]:
        raw = await self.store.templates.get(stack.raw_template_id)
        definition = load_definition(stack, raw)
        nodes = {
            r.name: NodeData(r.name, await self._reference_id(stack, r),
                             dict(r.attr_data or {}), Action(r.action), Status(r.status))
            for r in await self.resources(stack)
        }
        ctx = RuntimeContext(definition.parameters, nodes, files=definition.template.files)
        return resolve_outputs(definition, ctx)

    async def show(self, stack: StackRecord) -> dict[str, Any]:
        """Heat's ``GET /stacks/{name}/{id}`` body."""
        raw = await self.store.templates.get(stack.raw_template_id)
        definition = load_definition(stack, raw)
        return {
            "id": stack.id,
            "stack_name": stack.name,
            "description": definition.template.description,
            "stack_status": joined(stack.action, stack.status),
            "stack_status_reason": stack.status_reason,
            "creation_time": _time(stack.created_at),
            "updated_time": _time(stack.updated_at),
            "deletion_time": _time(stack.deleted_at),
            "parameters": definition.parameters.masked(),
            "outputs": await self.outputs(stack),
            "disable_rollback": stack.disable_rollback,
            "timeout_mins": stack.timeout_mins,
            "tags": list(stack.tags) or None,
            "parent": stack.owner_id,
            "stack_owner": None,
            "template_description": definition.template.description,
        }

    async def _reference_id(self, stack: StackRecord, row: ResourceRecord) -> str:
        """What ``get_resource`` of ``row`` yields: the plugin decides (RandomString: its value)."""
        cls = self.registry.get_class(row.type)
        if cls is None:
            return row.physical_resource_id or row.name
        ctx = StoreResourceContext(self.store, stack.id, stack.name, row)
        return await cls(ctx, dict(row.properties_data or {})).reference_id()

    async def _stack_event(
        self, stack: StackRecord, action: Action, status: Status, reason: str
    ) -> None:
        await self.store.events.create(
            stack_id=stack.id, resource_name=stack.name, resource_action=str(action),
            resource_status=str(status), resource_status_reason=reason,
            physical_resource_id=stack.id, resource_type="OS::Heat::Stack",
        )


def _time(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
