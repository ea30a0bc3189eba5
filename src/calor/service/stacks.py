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

from calor.clouds import Cloud
from calor.engine.converge import start_traversal
from calor.engine.loading import load_definition
from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.outputs import resolve_outputs
from calor.engine.plugin_classes import resolve_type
from calor.engine.resource_context import StoreResourceContext
from calor.engine.rollback import start_rollback, stop_traversal
from calor.engine.stack_events import stack_event
from calor.engine.states import Action, Status, joined
from calor.messaging.queue import WorkQueue
from calor.resources.registry import ResourceTypeRegistry
from calor.service.cloud_validation import check_with_cloud
from calor.service.errors import ServiceError
from calor.store import Store
from calor.store.column_types import utc_now
from calor.store.errors import StackExists, StackNotFound
from calor.store.records import EventRecord, ResourceRecord, StackRecord
from calor.template.environment import Environment, merge_environments
from calor.template.stack_definition import StackDefinition

#: The project of the embedded (single-user) mode.
LOCAL_PROJECT = "local"

#: Heat's rule for stack names.
_STACK_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_.-]{0,254}")


class StackActionInProgress(ServiceError):
    """Heat allows one action at a time per stack."""

    def __init__(self, name: str, action: str) -> None:
        super().__init__(f"Stack {name} already has an action ({action}) in progress.")


class NotSupported(ServiceError):
    """Heat's NotSupported: ``<feature> is not supported.``"""

    def __init__(self, feature: str) -> None:
        super().__init__(f"{feature} is not supported.")


class InvalidListOption(ServiceError):
    """A stack list option Heat would not take."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Invalid {what}.")


class MissingTemplate(ServiceError):
    """An update names no template and does not reuse the existing one."""

    def __init__(self) -> None:
        super().__init__("Need more arguments: a template, or --existing to reuse the "
                         "stack's own.")


class InvalidStackName(ServiceError, ValueError):
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
        cloud: Cloud | None = None,
    ) -> None:
        self.store = store
        #: The cloud stacks are built in: validation checks cloud-backed constraints there.
        self.cloud = cloud
        #: The engine whose worker runs the traversals this service starts.
        self.engine_id = engine_id
        self.queue = queue
        self.registry = registry
        self.project_id = project_id

    def for_project(self, project_id: str) -> StackService:
        """The same service (store, queue, registry, engine) acting for another project.

        The API builds one per request, for the project its caller's token is scoped to.
        """
        if project_id == self.project_id:
            return self
        return StackService(self.store, self.queue, self.registry, project_id=project_id,
                            engine_id=self.engine_id, cloud=self.cloud)

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
        environment: Mapping[str, Any] | str | None = None,
    ) -> StackRecord:
        """Validate strictly, store the stack, and start its CREATE traversal.

        ``environment`` is the request's own environment (ignored, as in Heat,
        when ``environment_files`` are given).
        """
        await self.check_new_name(name)
        result = await check_with_cloud(
            self.cloud, template,
            text=text, filename=filename, files=files, environment=environment,
            environment_files=environment_files, parameters=parameters,
            registry=self.registry, strict=True,
        )
        stored_env = result.definition.environment.to_dict(include_encrypted_param_names=True)
        raw = await self.store.templates.create(
            template=dict(template), files=dict(files or {}), environment=stored_env,
        )
        reason = "Stack CREATE started"
        stack = await self.store.stacks.create(
            name=name, project_id=self.project_id, raw_template_id=raw.id,
            action=str(Action.CREATE), status=str(Status.IN_PROGRESS), status_reason=reason,
            disable_rollback=disable_rollback, timeout_mins=timeout_mins, tags=tags,
            parameters=dict(result.definition.environment.parameters),
            engine_id=self.engine_id,
        )
        await self._stack_event(stack, Action.CREATE, Status.IN_PROGRESS, reason)
        definition = load_definition(stack, raw)
        await start_traversal(self.store, self.queue, stack, definition, Action.CREATE,
                              engine_id=self.engine_id)
        return await self.store.stacks.get(stack.id)

    async def check_new_name(self, name: str) -> None:
        """A new stack's name: Heat's rule, and no live stack of the project so named."""
        if not _STACK_NAME.fullmatch(name):
            raise InvalidStackName(name)
        if await self.store.stacks.list(self.project_id, name=name):
            raise StackExists(name)

    async def update_stack(
        self,
        name_or_id: str,
        template: Mapping[str, Any] | None = None,
        *,
        text: str | None = None,
        filename: str | None = None,
        files: Mapping[str, str] | None = None,
        environment_files: Sequence[str] | None = None,
        parameters: Mapping[str, Any] | None = None,
        existing: bool = False,
        clear_parameters: Sequence[str] = (),
        timeout_mins: int | None = None,
        disable_rollback: bool | None = None,
        tags: Sequence[str] | None = None,
        action: Action = Action.UPDATE,
        environment: Mapping[str, Any] | None = None,
        patch_environment: Mapping[str, Any] | None = None,
    ) -> StackRecord:
        """Converge a stack to a new template: Heat's PUT, or with ``existing`` its PATCH.

        Resources the new template keeps are updated in place where their
        changed properties allow it, replaced (new one first) where not;
        resources it drops are deleted after the resources that needed them.
        A PATCH keeps the stored template (unless one is given), files,
        environment and parameters, with ``parameters`` on top and the
        ``clear_parameters`` dropped. ``timeout_mins``, ``disable_rollback``
        and ``tags`` left as None keep the stack's values. ``patch_environment``
        (a PATCH's own environment) is loaded on top of the stored one, as
        Heat's ``Environment.load`` does.
        """
        stack = await self.find(name_or_id)
        _check_idle(stack)
        # ``environment``: a whole environment to converge to (a snapshot's, on RESTORE).
        environment = None if environment is None else dict(environment)
        if existing:
            current = await self.store.templates.get(stack.raw_template_id)
            if template is None:
                template, text, filename = current.template, None, None
            files = {**current.files, **(files or {})}
            environment = dict(current.environment)
            cleared = set(clear_parameters)
            environment["parameters"] = {
                k: v for k, v in dict(environment.get("parameters", {})).items()
                if k not in cleared
            }
            if patch_environment:
                environment = merge_environments(
                    [("environment", dict(patch_environment))], Environment.parse(environment),
                ).to_dict(include_encrypted_param_names=True)
            if environment_files:
                # A PATCH's environment files go on top of the stored
                # environment (as Heat's update loads them), not instead of it.
                missing = [name for name in environment_files if name not in files]
                if not missing:
                    environment = merge_environments(
                        [(name, files[name]) for name in environment_files],
                        Environment.parse(environment),
                    ).to_dict(include_encrypted_param_names=True)
                    environment_files = None
        elif template is None:
            raise MissingTemplate()
        result = await check_with_cloud(
            self.cloud, template,
            text=text, filename=filename, files=files, environment=environment,
            environment_files=environment_files, parameters=parameters,
            registry=self.registry, strict=True,
        )
        stored_env = result.definition.environment.to_dict(include_encrypted_param_names=True)
        raw = await self.store.templates.create(
            template=dict(template), files=dict(files or {}), environment=stored_env,
        )
        reason = f"Stack {action} started"
        changes: dict[str, Any] = {}
        if timeout_mins is not None:
            changes["timeout_mins"] = timeout_mins
        if disable_rollback is not None:
            changes["disable_rollback"] = disable_rollback
        if tags is not None:
            changes["tags"] = list(tags)
        if not await self.store.stacks.update(
            stack.id, expected_atomic_key=stack.atomic_key,
            action=str(action), status=str(Status.IN_PROGRESS),
            status_reason=reason, raw_template_id=raw.id,
            prev_raw_template_id=stack.raw_template_id, updated_at=utc_now(),
            parameters=dict(result.definition.environment.parameters),
            engine_id=self.engine_id, **changes,
        ):
            raise StackActionInProgress(stack.name, "another")
        stack = await self.store.stacks.get(stack.id)
        await self._stack_event(stack, action, Status.IN_PROGRESS, reason)
        await start_traversal(self.store, self.queue, stack, load_definition(stack, raw),
                              action, engine_id=self.engine_id)
        return stack

    async def cancel_update(self, name_or_id: str, *, rollback: bool = True) -> StackRecord:
        """Stop the running update (Heat's ``cancel_update``), rolling it back by default.

        Without rollback a create can be cancelled too: the stack is marked
        ``<ACTION>_FAILED`` "Stack <ACTION> cancelled" and nothing more starts;
        actions already running finish, as in Heat.
        """
        stack = await self.find(name_or_id)
        allowed = (Action.UPDATE,) if rollback else (Action.UPDATE, Action.CREATE)
        if stack.status != Status.IN_PROGRESS or stack.action not in allowed:
            raise NotSupported(
                f"Cancelling update when stack is {joined(stack.action, stack.status)}"
            )
        if rollback:
            await start_rollback(self.store, self.queue, stack, engine_id=self.engine_id)
        else:
            await stop_traversal(self.store, stack, f"Stack {stack.action} cancelled")
        return await self.store.stacks.get(stack.id)

    async def delete_stack(self, name_or_id: str) -> StackRecord:
        """Start deleting a stack: every resource, in reverse dependency order."""
        stack = await self.find(name_or_id)
        reason = "Stack DELETE started"
        # A delete may start while another action runs (Heat allows it): the
        # running resource actions finish first, then their resources go.
        await self.store.stacks.update(
            stack.id, action=str(Action.DELETE), status=str(Status.IN_PROGRESS),
            status_reason=reason, updated_at=utc_now(), engine_id=self.engine_id,
        )
        stack = await self.store.stacks.get(stack.id)
        await self._stack_event(stack, Action.DELETE, Status.IN_PROGRESS, reason)
        await start_traversal(self.store, self.queue, stack, None, Action.DELETE,
                              engine_id=self.engine_id)
        return stack

    async def find(self, name_or_id: str) -> StackRecord:
        return await self.store.stacks.find(name_or_id, project_id=self.project_id)

    async def list_stacks(
        self, *, show_deleted: bool = False, show_nested: bool = False,
        filters: Mapping[str, str | Sequence[str]] | None = None, tags: Sequence[str] = (),
        tag_mode: str = "all", limit: int | None = None, marker: str | None = None,
        sort_keys: Sequence[str] = (), sort_dir: str | None = None,
        all_projects: bool = False,
    ) -> list[StackRecord]:
        """Heat's stack list: ``filters`` on name, status, action, id (a value, or
        several to match any of); ``tag_mode`` says how ``tags`` match (all, any,
        not, not-any). ``all_projects``: every project's stacks (an admin's
        ``global_tenant`` listing)."""
        by_tags = {"all": "tags", "any": "tags_any", "not": "not_tags",
                   "not-any": "not_tags_any"}
        if tag_mode not in by_tags:
            raise InvalidListOption(f"tag mode {tag_mode!r} (use all, any, not or not-any)")
        wanted = dict(filters or {})
        unknown = sorted(set(wanted) - {"name", "status", "action", "id"})
        if unknown:
            raise InvalidListOption(f"filter {', '.join(unknown)} (use name, status, action, id)")
        if marker is not None:
            project = None if all_projects else self.project_id
            marker = (await self.store.stacks.find(marker, project_id=project)).id
        return list(await self.store.stacks.list(
            project_id=None if all_projects else self.project_id,
            show_deleted=show_deleted, show_nested=show_nested,
            limit=limit, marker=marker, sort_keys=sort_keys, sort_dir=sort_dir,
            **{by_tags[tag_mode]: list(tags)}, **wanted,
        ))

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

    async def outputs(
        self, stack: StackRecord, definition: StackDefinition | None = None
    ) -> list[dict[str, Any]]:
        """The stack's outputs, each resolved or with its ``output_error``."""
        if definition is None:
            raw = await self.store.templates.get(stack.raw_template_id)
            definition = load_definition(stack, raw)
        nodes = {
            r.name: NodeData(r.name, await self._reference_id(stack, definition, r),
                             dict(r.attr_data or {}), Action(r.action), Status(r.status))
            for r in await self.resources(stack)
        }
        ctx = RuntimeContext(definition.parameters, nodes, files=definition.template.files)
        return resolve_outputs(definition, ctx)

    async def show(self, stack: StackRecord, *, resolve_outputs: bool = True) -> dict[str, Any]:
        """Heat's ``GET /stacks/{name}/{id}`` body (without ``outputs`` unless resolved)."""
        raw = await self.store.templates.get(stack.raw_template_id)
        definition = load_definition(stack, raw)
        body = {
            "id": stack.id,
            "stack_name": stack.name,
            "description": definition.template.description,
            "stack_status": joined(stack.action, stack.status),
            "stack_status_reason": stack.status_reason,
            "creation_time": _time(stack.created_at),
            "updated_time": _time(stack.updated_at),
            "deletion_time": _time(stack.deleted_at),
            "parameters": definition.parameters.masked(),
            "outputs": await self.outputs(stack, definition) if resolve_outputs else None,
            "disable_rollback": stack.disable_rollback,
            "timeout_mins": stack.timeout_mins,
            "tags": list(stack.tags) or None,
            "parent": stack.owner_id,
            "stack_owner": None,
            "template_description": definition.template.description,
        }
        if not resolve_outputs:
            del body["outputs"]
        return body

    async def _reference_id(
        self, stack: StackRecord, definition: StackDefinition, row: ResourceRecord
    ) -> str:
        """What ``get_resource`` of ``row`` yields: the plugin decides (RandomString: its value)."""
        resolved = resolve_type(self.registry, definition, row.type, resource_name=row.name)
        if resolved is None:
            return row.physical_resource_id or row.name
        ctx = StoreResourceContext(self.store, stack.id, stack.name, row)
        return await resolved[0](ctx, dict(row.properties_data or {})).reference_id()

    async def _stack_event(
        self, stack: StackRecord, action: Action, status: Status, reason: str
    ) -> None:
        await stack_event(self.store, stack, action, status, reason)


def _check_idle(stack: StackRecord) -> None:
    """Heat allows one action at a time: refuse a second while one runs."""
    if stack.status == Status.IN_PROGRESS:
        raise StackActionInProgress(stack.name, stack.action)


def _time(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
