"""The embedded deployment: store, in-memory queue and a worker, in this process."""

from __future__ import annotations

import asyncio
import uuid
from types import TracebackType

from calor.engine.worker import DEFAULT_MAX_PARALLEL, Worker
from calor.messaging.memory import InMemoryWorkQueue
from calor.resources import default_registry
from calor.service.nested import nested_stacks
from calor.service.stacks import StackService
from calor.store import Store


class Embedded:
    """``async with Embedded(url) as stacks:`` gives a :class:`StackService` with a live worker.

    Leaving the block lets the work already queued finish first (the CLI
    waits for its stack anyway) and closes the database.
    """

    def __init__(
        self, database_url: str | None = None, *, max_parallel: int = DEFAULT_MAX_PARALLEL
    ) -> None:
        self.database_url = database_url
        self.max_parallel = max_parallel
        self._store: Store | None = None
        self._queue: InMemoryWorkQueue | None = None
        self._worker_task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> StackService:
        self._store = await Store.open(self.database_url)
        self._queue = InMemoryWorkQueue()
        registry = default_registry()
        engine_id = str(uuid.uuid4())
        worker = Worker(self._store, self._queue, registry,
                        worker_id=engine_id, max_parallel=self.max_parallel)
        service = StackService(self._store, self._queue, registry, engine_id=engine_id)
        worker.nested = nested_stacks(service)
        self._worker_task = asyncio.create_task(worker.run())
        return service

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._queue is not None:
            await self._queue.close()
        if self._worker_task is not None:
            await self._worker_task
        if self._store is not None:
            await self._store.close()
