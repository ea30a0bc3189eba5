"""The :class:`~calor.resources.lifecycle.ResourceContext` a worker gives a plugin."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from calor.clouds import Cloud
from calor.engine.physical_name import physical_resource_name
from calor.resources.lifecycle import ResourceView
from calor.resources.nested import ChildStatus, NestedStacks
from calor.store import Store
from calor.store.records import ResourceRecord, StackRecord

#: How often a parent looks at a child stack it waits for: soon at first
#: (most children of small stacks finish quickly), then less often.
_FIRST_POLL = 0.02
_MAX_POLL = 0.1


def make_context(
    store: Store, stack: StackRecord, row: ResourceRecord, *,
    nested: NestedStacks | None = None, slot: asyncio.Semaphore | None = None,
    defer_physical_id: bool = False, cloud: Cloud | None = None,
) -> StoreResourceContext:
    """The context a worker gives the plugin of ``row`` (one place builds them all).

    ``nested`` is the service's way to run child stacks (None where there is
    none); ``slot`` is the worker's action semaphore, which long waits give up.
    """
    return StoreResourceContext(store, stack.id, stack.name, row, nested=nested, slot=slot,
                                project_id=stack.project_id,
                                defer_physical_id=defer_physical_id, cloud=cloud)


#: True while this task holds its worker's action slot (inside a plugin action).
holding_slot: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "calor_holding_slot", default=False
)


class StoreResourceContext:
    """A plugin's view of the engine, backed by the store: every write is committed at once.

    It is also a :class:`~calor.resources.nested.NestedStackContext` when
    the worker runs nested stacks.
    """

    def __init__(
        self, store: Store, stack_id: str, stack_name: str, row: ResourceRecord, *,
        nested: NestedStacks | None = None, slot: asyncio.Semaphore | None = None,
        project_id: str = "", defer_physical_id: bool = False, cloud: Cloud | None = None,
    ) -> None:
        self._store = store
        self._cloud = cloud
        #: A local-only plugin's id, kept until the worker stores the action's outcome.
        self.unsaved_physical_id: str | None = None
        self._defer_physical_id = defer_physical_id
        self._project_id = project_id
        self._stack_id = stack_id
        self._stack_name = stack_name
        self._row = row
        self._physical_id = row.physical_resource_id
        self._nested = nested
        self._slot = slot

    @property
    def stack_name(self) -> str:
        return self._stack_name

    @property
    def stack_id(self) -> str:
        return self._stack_id

    @property
    def resource_name(self) -> str:
        return self._row.name

    @property
    def physical_resource_name(self) -> str:
        return physical_resource_name(self._stack_name, self._row.name, self._row.uuid)

    @property
    def physical_resource_id(self) -> str | None:
        return self._physical_id

    async def set_physical_resource_id(self, physical_id: str) -> None:
        if self._defer_physical_id:
            # It names nothing outside Calor: it goes with the outcome's write.
            self.unsaved_physical_id = self._physical_id = physical_id
            return
        # Stored the moment the backend returns it: a crash leaves no orphan.
        await self._store.resources.update(self._row.id, physical_resource_id=physical_id)
        self._physical_id = physical_id

    async def get_data(self) -> Mapping[str, str]:
        records = await self._store.resource_data.get_all(self._row.id)
        return {key: record.value for key, record in records.items()}

    async def set_data(self, key: str, value: str, *, redact: bool = False) -> None:
        await self._store.resource_data.set(self._row.id, key, value, redact=redact)

    async def sleep(self, seconds: float) -> None:
        # A plugin waiting (for a server to boot, a signal) gives its action
        # slot back meanwhile: the slots bound the work in flight, not the waits.
        async with self._slot_given_back():
            await asyncio.sleep(seconds)

    @contextlib.asynccontextmanager
    async def _slot_given_back(self) -> AsyncIterator[None]:
        if self._slot is None or not holding_slot.get():
            yield
            return
        self._slot.release()
        holding_slot.set(False)
        try:
            yield
        finally:
            await self._slot.acquire()
            holding_slot.set(True)

    def random(self) -> Any:
        return secrets.SystemRandom()

    # -- metadata and the stack's other resources ----------------------------

    @property
    def project_id(self) -> str:
        return self._project_id

    async def get_metadata(self) -> Mapping[str, Any]:
        row = await self._store.resources.get(self._row.id)
        return dict(row.rsrc_metadata or {})

    async def merge_metadata(
        self, merge: Callable[[Mapping[str, Any]], Mapping[str, Any]]
    ) -> Mapping[str, Any]:
        # Compare-and-swap on the row's atomic key: a writer that lost the
        # race merges again into what the winner stored.
        while True:
            row = await self._store.resources.get(self._row.id)
            merged = dict(merge(dict(row.rsrc_metadata or {})))
            if await self._store.resources.update(
                row.id, expected_atomic_key=row.atomic_key, rsrc_metadata=merged
            ):
                return merged

    @property
    def cloud(self) -> Cloud | None:
        return self._cloud

    async def find_resource(self, reference: str) -> ResourceView | None:
        # Newest rows first: a replacement stands for the row it replaces.
        rows = list(reversed(await self._store.resources.list(self._stack_id)))
        found = next((r for r in rows if r.physical_resource_id == reference), None)
        if found is None:
            found = next((r for r in rows if r.name == reference), None)
        if found is None:
            return None
        # The same engine services, looking at the other row.
        other = copy.copy(self)
        other._row = found
        other._physical_id = found.physical_resource_id
        return ResourceView(found.name, found.type, dict(found.properties_data or {}), other)

    # -- nested stacks -------------------------------------------------------

    @property
    def nested(self) -> NestedStacks | None:
        return self._nested

    async def wait_for_child(self, stack_id: str, action: str) -> ChildStatus | None:
        if self._nested is None:
            raise RuntimeError("this worker runs no nested stacks")
        # A parent holding its slot while its child's resources wait for one
        # could deadlock the worker: give the slot back for the wait.
        async with self._slot_given_back():
            return await _until_done(self._nested, stack_id, action)


async def _until_done(nested: NestedStacks, stack_id: str, action: str) -> ChildStatus | None:
    poll = _FIRST_POLL
    while True:
        found = await nested.status(stack_id)
        if found is None or found.action != action or found.status != "IN_PROGRESS":
            return found
        await asyncio.sleep(poll)
        poll = min(poll * 1.5, _MAX_POLL)
