"""A worker runs work units: one resource, one traversal, one action.

The executing node stays thin (STYLE §3): load the unit and its resource,
resolve the properties from the data its requirements sent, call the
plugin, record the outcome and events, and pass the resource's node data to
the units that wait for it — queueing those whose last requirement this was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from calor.clouds import Cloud
from calor.config import DEFAULT_MAX_PARALLEL_ACTIONS
from calor.engine.claims import ClaimBatcher
from calor.engine.converge import node_key, parse_node_key
from calor.engine.hooks import wait_for_hooks
from calor.engine.loading import load_definition
from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.nodes import Node
from calor.engine.plugin_classes import resolve_type
from calor.engine.resource_context import StoreResourceContext, holding_slot, make_context
from calor.engine.stack_completion import complete_stack, fail_stack
from calor.engine.stack_timeout import time_remaining, timed_out
from calor.engine.state_actions import STATE_ACTIONS, run_state_action
from calor.engine.states import Action, Status
from calor.engine.unit_outcomes import DEFERRED as _DEFERRED
from calor.engine.unit_outcomes import UNIT as _UNIT
from calor.engine.unit_outcomes import ActionFailed, ActionTimedOut, ResourceLocked, lock_token
from calor.engine.update_diff import (
    StoredState,
    UpdateKind,
    UpdateNotSupported,
    UpdateRestricted,
    decide,
)
from calor.messaging.queue import Delivery, QueueClosed, WorkQueue
from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceFailure, UpdateReplace
from calor.resources.registry import ResourceTypeRegistry
from calor.store import Store
from calor.store.column_types import utc_now
from calor.store.errors import EntityNotFound
from calor.store.records import NewEvent, NewResource, ResourceRecord, StackRecord, WorkUnitRecord
from calor.store.work_units import ClaimedUnit, Successor
from calor.template import function
from calor.template.errors import TemplateError
from calor.template.resource_types import ResourceTypeSchema
from calor.template.schema import Properties
from calor.template.stack_definition import StackDefinition

LOG = logging.getLogger(__name__)

#: Plugin actions one worker runs at once. Generous: most actions wait on a
#: backend (HTTP, a timer) rather than use this process's CPU.
DEFAULT_MAX_PARALLEL = DEFAULT_MAX_PARALLEL_ACTIONS

#: Stack definitions (one per template) a worker keeps in memory.
_DEFINITIONS_CACHED = 256

#: How soon a unit whose resource is locked by a running action is offered again.
LOCK_RETRY_SECS = 0.2

#: The prefix of a predecessor's node data in a sync point's input data.
_INPUT = "in:"



class Worker:
    """Takes units off the queue and runs them, at most ``max_parallel`` actions at once."""

    def __init__(
        self,
        store: Store,
        queue: WorkQueue,
        registry: ResourceTypeRegistry,
        *,
        worker_id: str,
        max_parallel: int = DEFAULT_MAX_PARALLEL,
        nested: Any = None,
        cloud: Cloud | None = None,
    ) -> None:
        if max_parallel < 1:
            raise ValueError("max_parallel must be at least 1")
        self.store = store
        self.queue = queue
        self.registry = registry
        self.worker_id = worker_id
        #: How plugins run child stacks (set by the service that owns this worker).
        self.nested = nested
        #: The cloud plugins build resources in (None: no cloud).
        self.cloud = cloud
        # Only plugin actions are throttled; bookkeeping never waits here.
        self._actions = asyncio.Semaphore(max_parallel)
        self._definitions: dict[int, asyncio.Future[StackDefinition]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._claims = ClaimBatcher(
            store, worker_id, lambda u: node_key(Node(u.resource_id, u.is_update))
        )

    async def run(self) -> None:
        """Take deliveries until the queue closes; each runs in its own task."""
        try:
            while True:
                try:
                    delivery = await self.queue.get()
                except QueueClosed:
                    break
                task = asyncio.create_task(self._handle(delivery))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _handle(self, delivery: Delivery) -> None:
        continued: ClaimedUnit | None = None
        try:
            body = delivery.body
            if "unit" in body:
                continued = await self.process(str(body["unit"]))
            elif "stack_done" in body:
                await complete_stack(self.store, str(body["stack_done"]), str(body["traversal"]))
        except EntityNotFound:
            pass  # the unit's stack was deleted (or abandoned) while it ran
        except Exception:  # pragma: no cover - logged, and the message goes back
            LOG.exception("work unit failed unexpectedly: %s", delivery.body)
            await delivery.nack(requeue=False)
            return
        await delivery.ack()
        # The message is done with; the successor its unit claimed runs on
        # here (a chain of units goes on without a trip through the queue).
        while continued is not None:
            running = continued
            try:
                continued = await self._run(running)
            except EntityNotFound:
                return
            except Exception:  # pragma: no cover - logged; the unit stays running
                LOG.exception("work unit failed unexpectedly: %s", running.unit.id)
                return

    # -- one unit ------------------------------------------------------------

    async def process(self, unit_id: str) -> ClaimedUnit | None:
        """Claim and run one unit; the successor it claimed to run next, if any."""
        try:
            claimed = await self._claims.claim(unit_id)
        except EntityNotFound:
            return None  # its stack (and with it the unit) was deleted meanwhile
        if claimed is None:
            return None  # another worker has it, or it already ran
        return await self._run(claimed)

    async def _run(self, claimed: ClaimedUnit) -> ClaimedUnit | None:
        unit, row, stack = claimed.unit, claimed.resource, claimed.stack
        if stack is None or stack.deleted_at is not None:
            return None
        if stack.current_traversal != unit.traversal_id or row is None:
            # A newer traversal superseded this one: its units do the work now.
            await self.store.work_units.finish(unit.id, self.worker_id)
            return None
        if timed_out(stack):
            await self.store.work_units.finish(unit.id, self.worker_id, failed=True)
            await self._fail(stack, unit, "Timed out")
            return None
        if row.engine_id is not None and row.engine_id != unit.id:
            # Another unit's action (of an older traversal) is still running on
            # this resource: as in Heat, it finishes before this one looks.
            await self._retry_later(unit)
            return None
        _UNIT.set(unit.id)
        _DEFERRED.set([])
        key = node_key(Node(unit.resource_id, unit.is_update))
        point = claimed.sync_point
        inputs = dict(point.input_data) if point else {}
        remove_row = False
        try:
            if Action(unit.action) in STATE_ACTIONS:
                data = await run_state_action(self, stack, row, Action(unit.action))
            elif unit.is_update:
                data = await self._converge_resource(stack, row, inputs, Action(unit.action))
            else:
                data, remove_row = await self._cleanup_resource(stack, row)
        except ResourceLocked:
            await self._retry_later(unit)
            return None
        except ActionTimedOut:
            await self.store.work_units.finish(unit.id, self.worker_id, failed=True)
            await self._fail(stack, unit, "Timed out")
            return None
        except ResourceFailure as exc:
            if unit.action == Action.CHECK:
                # As in Heat, a check goes on past a failed resource: the stack's
                # CHECK fails at the end, naming every resource that failed.
                data = await self._node_data(stack, await self.store.resources.get(row.id),
                                             Action.CHECK)
            else:
                await self.store.work_units.finish(unit.id, self.worker_id, failed=True)
                action = getattr(exc, "action", unit.action)
                await self._fail(stack, unit, f"Resource {action} failed: {exc}")
                return None
        return await self._propagate(stack, unit, key, inputs, data, remove_row=remove_row)

    async def _retry_later(self, unit: WorkUnitRecord) -> None:
        """Give the unit back and offer it again shortly: its resource is still busy.

        That happens when a new traversal (a rollback, a delete during a
        create) reaches a resource whose action from the older one is still
        running; as in Heat, the running action finishes first.
        """
        await self.store.work_units.release(unit.id, self.worker_id)

        async def offer_again() -> None:
            await asyncio.sleep(LOCK_RETRY_SECS)
            with contextlib.suppress(QueueClosed):
                await self.queue.put({"unit": unit.id})

        task = asyncio.create_task(offer_again())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _converge_resource(
        self, stack: StackRecord, row: ResourceRecord, inputs: Mapping[str, Any], action: Action
    ) -> NodeData:
        definition = await self._definition(stack)
        rdef = definition.resources.get(row.name)
        if rdef is None:
            raise ResourceFailure(f"resource {row.name} is not in the template")
        # The data each requirement sent, by the node key it came from.
        received = {
            k[len(_INPUT):]: NodeData.from_dict(v) for k, v in inputs.items()
            if k.startswith(_INPUT)
        }
        nodes = {n.name: n for n in received.values()}
        ctx = RuntimeContext(definition.parameters, nodes, files=definition.template.files)
        resolved = resolve_type(self.registry, definition, rdef.type, resource_name=row.name)
        if resolved is None:
            raise ResourceFailure(f"The Resource Type ({rdef.type}) cannot be created yet.")
        cls, schema = resolved
        try:
            raw = function.resolve(rdef.properties, ctx) if rdef.properties else {}
            properties = (
                dict(raw) if schema.accepts_any_property
                else Properties(schema.properties_for(raw)).resolve(raw)
            )
            update_policy = (
                dict(function.resolve(rdef.update_policy, ctx)) if rdef.update_policy else {}
            )
        except TemplateError as exc:
            await self._event(stack, row, action, Status.FAILED, str(exc))
            raise ResourceFailure(str(exc)) from None
        # The rows this one needs are the rows that now stand for its
        # requirements (a replaced requirement's new row, not the old one).
        requires = sorted(
            n.resource_id if n.resource_id is not None else parse_node_key(k).resource_id
            for k, n in received.items()
        )
        exists = row.action != Action.INIT and row.physical_resource_id is not None
        if exists:
            plugin = cls(self._context(stack, row), properties)
            stored = dict(row.properties_data or {})
            changed = frozenset(
                k for k in {*properties, *stored} if properties.get(k) != stored.get(k)
            )
            try:
                decision = decide(
                    row.name,
                    StoredState(type=row.type, properties=dict(row.properties_data or {}),
                                definition=None, action=Action(row.action),
                                status=Status(row.status)),
                    rdef.type, properties, None, schema,
                    restricted=definition.environment.resource_registry.restricted_actions_for(
                        row.name),
                    plugin_wants_replace=bool(changed) and plugin.needs_replace(
                        properties, changed),
                )
            except (UpdateNotSupported, UpdateRestricted) as exc:
                await self._event(stack, row, Action.UPDATE, Status.FAILED, str(exc))
                raise ResourceFailure(str(exc)) from None
            if decision.kind is UpdateKind.UNCHANGED and not (
                cls.replaced_by_every_update and stack.action == Action.UPDATE
            ):
                return await self._node_data(stack, row, Action(row.action))
            if decision.kind is UpdateKind.UPDATE:
                try:
                    return await self._run_action(
                        stack, row, cls, schema, properties, requires, Action.UPDATE,
                        create=False, changed=decision.changed, update_policy=update_policy,
                    )
                except UpdateReplace:
                    pass  # the plugin asks for a new resource: replace, as below
            # Create-new-then-delete-old: a new row does the create under this
            # node; the old row's cleanup node deletes it once nothing needs it.
            (replacement,) = await self.store.resources.create_many(
                [NewResource(stack_id=stack.id, name=row.name, type=rdef.type,
                             replaces=row.id)]
            )
            await self.store.resources.update(row.id, replaced_by=replacement.id)
            return await self._run_action(
                stack, replacement, cls, schema, properties, requires, action, create=True,
            )
        return await self._run_action(
            stack, row, cls, schema, properties, requires, action, create=True
        )

    async def _run_action(
        self, stack: StackRecord, row: ResourceRecord, cls: type[Resource],
        schema: ResourceTypeSchema, properties: dict[str, Any], requires: list[int],
        action: Action, *, create: bool, changed: frozenset[str] = frozenset(),
        update_policy: Mapping[str, Any] | None = None,
    ) -> NodeData:
        # An update starts from the resource as it stands (its stored
        # properties) and is handed the new ones, as Heat's handle_update is.
        plugin = cls(self._context(stack, row, defer_physical_id=cls.local_only),
                     properties if create else dict(row.properties_data or {}))
        plugin.update_policy = dict(update_policy or {})
        # Hooks go by the traversal's action (a replacement is held by pre-update) ...
        await wait_for_hooks(self.store, stack, row, await self._definition(stack), action,
                             plugin.ctx)
        if create and action != Action.ADOPT:
            # ... but a resource an update (or rollback) adds, or a replacement, is created.
            action = Action.CREATE
        if not await self.store.resources.lock_and_update(
            row.id, lock_token(),
            action=str(action), status=str(Status.IN_PROGRESS), status_reason="",
            # Known before the action runs (as Heat's create_convergence stores them):
            # a resource that fails still gets deleted after what it needs.
            requires=sorted({*requires, *([] if create else row.requires)}),
            event=_new_event(stack, row, action, Status.IN_PROGRESS, "state changed"),
        ):
            raise ResourceLocked(row.name)

        async def act() -> None:
            if action == Action.ADOPT:
                await plugin.adopt(await plugin.ctx.get_data())
            elif create:
                await plugin.create()
            else:
                await plugin.update(properties, changed)

        try:
            await self._perform(stack, row, cls, action, act)
        except UpdateReplace:
            # The plugin found the change needs a new resource after all: put
            # the row back as it was, and let the caller replace it.
            await self.store.resources.release_lock(
                row.id, lock_token(), action=row.action, status=row.status,
                status_reason=row.status_reason,
            )
            raise
        attributes = {}
        for name in schema.attributes:
            if name != "show":
                attributes[name] = await plugin.resolve_attribute(name)
        reference = await plugin.reference_id()
        unsaved = getattr(plugin.ctx, "unsaved_physical_id", None)
        extra = {"physical_resource_id": unsaved} if unsaved is not None else {}
        # Committed with the unit's completion (see _propagate).
        _DEFERRED.get().append(self.store.resources.release_lock_work(
            row.id, lock_token(), action=str(action), status=str(Status.COMPLETE),
            status_reason="state changed", properties_data=properties, updated_at=utc_now(),
            attr_data=attributes, requires=requires, type=schema.type_name, **extra,
            event=_new_event(stack, row, action, Status.COMPLETE, "state changed",
                             physical_resource_id=plugin.ctx.physical_resource_id,
                             properties=properties),
        ))
        return NodeData(row.name, reference, attributes, action, Status.COMPLETE, row.id)

    async def _perform(
        self, stack: StackRecord, row: ResourceRecord, cls: type[Resource], action: Action,
        act: Callable[[], Awaitable[None]],
    ) -> None:
        """Run a plugin action in a slot, within the stack's time; record a failure.

        Any exception a plugin raises fails the resource (Heat's reason
        ``<Type>: resources.<name>: <message>``) and releases its lock.
        """
        try:
            await self._actions.acquire()
            holding = holding_slot.set(True)
            try:
                async with asyncio.timeout(time_remaining(stack)) as limit:
                    await act()
            finally:
                # The plugin may have given the slot back (waiting) and been
                # stopped before it had it again: release only a slot it holds.
                if holding_slot.get():
                    self._actions.release()
                holding_slot.reset(holding)
        except UpdateReplace:
            if action != Action.UPDATE:
                raise ActionFailed(
                    f"UpdateReplace: resources.{row.name}: {action} cannot replace", action
                ) from None
            raise
        except TimeoutError as exc:
            if not limit.expired():
                await self._record_failure(stack, row, action, exc)
            reason = (f'{action} aborted (Task {action.lower()} from {cls.__name__} '
                      f'"{row.name}" Stack "{stack.name}" [{stack.id}] Timed out)')
            await self._mark_failed(stack, row, action, reason)
            raise ActionTimedOut(reason, action) from None
        except Exception as exc:
            if not isinstance(exc, ResourceFailure):
                LOG.warning("%s of %s raised", action, row.name, exc_info=True)
            await self._record_failure(stack, row, action, exc)

    async def _record_failure(
        self, stack: StackRecord, row: ResourceRecord, action: Action, exc: BaseException
    ) -> None:
        name = "ResourceFailure" if isinstance(exc, ActionFailed) else type(exc).__name__
        reason = f"{name}: resources.{row.name}: {exc}"
        await self._mark_failed(stack, row, action, reason)
        raise ActionFailed(reason, action) from None

    async def _mark_failed(
        self, stack: StackRecord, row: ResourceRecord, action: Action, reason: str
    ) -> None:
        await self.store.resources.release_lock(
            row.id, lock_token(), action=str(action), status=str(Status.FAILED),
            status_reason=reason, event=_new_event(stack, row, action, Status.FAILED, reason),
        )

    async def _node_data(self, stack: StackRecord, row: ResourceRecord, action: Action) -> NodeData:
        resolved = resolve_type(self.registry, await self._definition(stack), row.type,
                                resource_name=row.name)
        reference = row.physical_resource_id or row.name
        if resolved is not None:
            cls = resolved[0]
            ctx = self._context(stack, row)
            reference = await cls(ctx, dict(row.properties_data or {})).reference_id()
        return NodeData(row.name, reference, dict(row.attr_data or {}), action,
                        Status(row.status), row.id)

    async def _cleanup_resource(
        self, stack: StackRecord, row: ResourceRecord
    ) -> tuple[NodeData, bool]:
        """Delete the row's resource unless the template keeps it; (node data, remove row?)."""
        definition = await self._definition(stack)
        kept = stack.action != Action.DELETE and row.name in definition.resources and (
            row.replaced_by is None
        )
        if kept:
            node = NodeData(row.name, row.physical_resource_id, row.attr_data or {},
                            Action(row.action), Status(row.status))
            return node, False
        if row.action == Action.INIT:
            # Never created; but an older traversal may be creating it right now.
            if not await self.store.resources.lock_and_update(row.id, lock_token()):
                raise ResourceLocked(row.name)
            return NodeData(row.name, None, {}, Action.DELETE, Status.COMPLETE), True
        resolved = resolve_type(self.registry, definition, row.type, resource_name=row.name)
        cls = resolved[0] if resolved is not None else None
        ctx = self._context(stack, row)
        await wait_for_hooks(self.store, stack, row, definition, Action.DELETE, ctx)
        if not await self.store.resources.lock_and_update(
            row.id, lock_token(), action=str(Action.DELETE), status=str(Status.IN_PROGRESS),
            status_reason="",
            event=_new_event(stack, row, Action.DELETE, Status.IN_PROGRESS, "state changed"),
        ):
            raise ResourceLocked(row.name)
        policy = await self._deletion_policy(stack, row, definition)
        if cls is not None and policy != "Retain":
            plugin: Resource = cls(ctx, dict(row.properties_data or {}))
            act = plugin.snapshot_delete if policy == "Snapshot" else plugin.delete
            await self._perform(stack, row, cls, Action.DELETE, act)
        _DEFERRED.get().append(self.store.events.create_many_work(
            [_new_event(stack, row, Action.DELETE, Status.COMPLETE, "state changed")]
        ))
        return NodeData(row.name, None, {}, Action.DELETE, Status.COMPLETE), True

    async def _deletion_policy(
        self, stack: StackRecord, row: ResourceRecord, definition: StackDefinition
    ) -> str:
        """The row's deletion_policy: from the template that still has it."""
        rdef = definition.resources.get(row.name)
        if rdef is None and stack.prev_raw_template_id is not None:
            previous = await self._definition_of(stack, stack.prev_raw_template_id)
            rdef = previous.resources.get(row.name)
        return rdef.deletion_policy if rdef is not None else "Delete"

    # -- the graph -----------------------------------------------------------

    async def _propagate(
        self, stack: StackRecord, unit: WorkUnitRecord, key: str,
        inputs: Mapping[str, Any], data: NodeData, *, remove_row: bool,
    ) -> ClaimedUnit | None:
        """Finish the unit and hand its node data to its successors, in one transaction.

        The row of a deleted resource goes (its unit with it) before anyone
        hears it is done. Every last node reports to the stack; rather than
        all of them racing to merge into one sync point, the one that
        finished the traversal's last unit completes the stack.
        """
        required_by = list(inputs.get("required_by", []))
        successors = []
        for successor in required_by:
            if successor != stack.id:
                node = parse_node_key(successor)
                successors.append(Successor(successor, node.is_update, node.resource_id))
        completed = await self.store.work_units.complete(
            unit, self.worker_id, delete_resource=remove_row,
            check_last=stack.id in required_by, successors=successors,
            data={_INPUT + key: data.to_dict()}, ready=_satisfied, before=_DEFERRED.get([]),
            continue_for=self.worker_id,
        )
        for queued in completed.queued:
            await self.queue.put({"unit": queued})
        if completed.last:
            await complete_stack(self.store, stack.id, unit.traversal_id)
        return completed.continued

    # -- helpers -------------------------------------------------------------

    async def _fail(self, stack: StackRecord, unit: WorkUnitRecord, reason: str) -> None:
        await fail_stack(self.store, self.queue, stack, unit.traversal_id, reason,
                         engine_id=self.worker_id)

    def _context(
        self, stack: StackRecord, row: ResourceRecord, *, defer_physical_id: bool = False,
    ) -> StoreResourceContext:
        return make_context(self.store, stack, row, nested=self.nested, slot=self._actions,
                            defer_physical_id=defer_physical_id, cloud=self.cloud)

    async def _definition(self, stack: StackRecord) -> StackDefinition:
        return await self._definition_of(stack, stack.raw_template_id)

    async def _definition_of(self, stack: StackRecord, raw_template_id: int) -> StackDefinition:
        # The first unit of a traversal loads the template; the units that
        # start meanwhile await the same load instead of parsing it again.
        found = self._definitions.get(raw_template_id)
        if found is not None and found.done() and not found.cancelled() and (
            found.exception() is None
        ):
            return found.result()  # the usual case: loaded already
        if found is None:
            found = asyncio.ensure_future(self._load_definition(stack, raw_template_id))
            self._definitions[raw_template_id] = found
            while len(self._definitions) > _DEFINITIONS_CACHED:
                self._definitions.pop(next(iter(self._definitions)))
        try:
            return await asyncio.shield(found)
        except BaseException:
            if found.done():
                self._definitions.pop(raw_template_id, None)
            raise

    async def _load_definition(self, stack: StackRecord, raw_template_id: int) -> StackDefinition:
        raw = await self.store.templates.get(raw_template_id)
        return load_definition(stack, raw)

    async def _event(
        self, stack: StackRecord, row: ResourceRecord, action: Action, status: Status,
        reason: str, *, physical_resource_id: str | None = None,
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        await self.store.events.create_many([_new_event(
            stack, row, action, status, reason, physical_resource_id=physical_resource_id,
            properties=properties,
        )])


def _new_event(
    stack: StackRecord, row: ResourceRecord, action: Action, status: Status, reason: str,
    *, physical_resource_id: str | None = None, properties: Mapping[str, Any] | None = None,
) -> NewEvent:
    return NewEvent(
        stack_id=stack.id, resource_name=row.name, resource_action=str(action),
        resource_status=str(status), resource_status_reason=reason,
        physical_resource_id=physical_resource_id or row.physical_resource_id,
        resource_type=row.type,
        resource_properties=dict(properties if properties is not None
                                 else row.properties_data or {}),
    )


def _satisfied(inputs: Mapping[str, Any]) -> bool:
    required = inputs.get("requires", [])
    return all(_INPUT + r in inputs for r in required)
