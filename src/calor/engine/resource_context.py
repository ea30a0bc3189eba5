"""The :class:`~calor.resources.lifecycle.ResourceContext` a worker gives a plugin."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from typing import Any

from calor.engine.physical_name import physical_resource_name
from calor.store import Store
from calor.store.records import ResourceRecord, StackRecord


def make_context(
    store: Store, stack: StackRecord, row: ResourceRecord, *,
    nested: Any = None, slot: asyncio.Semaphore | None = None,
) -> StoreResourceContext:
    """The context a worker gives the plugin of ``row`` (one place builds them all).

    ``nested`` is the service's way to run child stacks (None where there is
    none); ``slot`` is the worker's action semaphore, which long waits give up.
    """
    return StoreResourceContext(store, stack.id, stack.name, row)


class StoreResourceContext:
    """A plugin's view of the engine, backed by the store: every write is committed at once."""

    def __init__(self, store: Store, stack_id: str, stack_name: str, row: ResourceRecord) -> None:
        self._store = store
        self._stack_id = stack_id
        self._stack_name = stack_name
        self._row = row
        self._physical_id = row.physical_resource_id

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
        # Stored the moment the backend returns it: a crash leaves no orphan.
        await self._store.resources.update(self._row.id, physical_resource_id=physical_id)
        self._physical_id = physical_id

    async def get_data(self) -> Mapping[str, str]:
        records = await self._store.resource_data.get_all(self._row.id)
        return {key: record.value for key, record in records.items()}

    async def set_data(self, key: str, value: str, *, redact: bool = False) -> None:
        await self._store.resource_data.set(self._row.id, key, value, redact=redact)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def random(self) -> Any:
        return secrets.SystemRandom()
