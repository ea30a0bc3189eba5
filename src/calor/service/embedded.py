"""The embedded deployment: store, in-memory queue and a worker, in this process."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from types import TracebackType

from calor.clouds import Cloud
from calor.config import EngineLiveness, max_parallel_actions
from calor.engine.recovery import EngineHeartbeat, engine_lock_dir, recover_interrupted
from calor.engine.worker import Worker
from calor.messaging.memory import InMemoryWorkQueue
from calor.resources import default_registry
from calor.service.nested import nested_stacks
from calor.service.sandbox_backend import default_cloud
from calor.service.stacks import StackService
from calor.store import Store


class Embedded:
    """``async with Embedded(url) as stacks:`` gives a :class:`StackService` with a live worker.

    Entering registers this process as an engine (with a heartbeat) and
    marks FAILED the stacks that engines which stopped mid-operation left
    IN_PROGRESS. Leaving the block lets the work already queued finish first
    (the CLI waits for its stack anyway), unless the block was cancelled
    (Ctrl-C): then the running actions stop at once. Either way, whatever
    this engine leaves IN_PROGRESS is marked interrupted before the database
    closes. With ``drain_on_exit=False`` (a server shutting down) leaving
    the block always stops the running actions at once.
    """

    def __init__(
        self, database_url: str | None = None, *, max_parallel: int | None = None,
        liveness: EngineLiveness | None = None, drain_on_exit: bool = True,
        cloud: Cloud | None = None,
    ) -> None:
        self.database_url = database_url
        #: The cloud stacks are built in. None: the one CALOR_CLOUD / OS_CLOUD names,
        #: else the embedded sandbox (started when a stack first needs it); a
        #: cloud this engine made itself is closed when the block ends.
        self.cloud = cloud
        self._own_cloud: Cloud | None = None
        #: Let queued work finish when the block ends normally (the CLI waits for it anyway).
        self.drain_on_exit = drain_on_exit
        #: Plugin actions at once (default: CALOR_MAX_PARALLEL_ACTIONS, else 1000).
        self.max_parallel = max_parallel
        #: Heartbeat interval and stale threshold (default: from CALOR_ENGINE_* variables).
        self.liveness = liveness
        self.engine_id = str(uuid.uuid4())
        self._store: Store | None = None
        self._queue: InMemoryWorkQueue | None = None
        self._worker_task: asyncio.Task[None] | None = None
        self._heartbeat: EngineHeartbeat | None = None

    async def __aenter__(self) -> StackService:
        liveness = self.liveness or EngineLiveness.from_environment()
        self._store = await Store.open(self.database_url)
        try:
            await self._start_engine(self._store, liveness)
        except BaseException:
            await self._close()
            raise
        self._queue = InMemoryWorkQueue()
        registry = default_registry()
        engine_id = self.engine_id
        cloud = self.cloud
        if cloud is None:
            try:
                cloud = self._own_cloud = default_cloud()
            except BaseException:
                await self._close()
                raise
        worker = Worker(self._store, self._queue, registry,
                        worker_id=engine_id,
                        max_parallel=self.max_parallel or max_parallel_actions(), cloud=cloud)
        service = StackService(self._store, self._queue, registry, engine_id=engine_id,
                               cloud=cloud)
        worker.nested = nested_stacks(service)
        self._worker_task = asyncio.create_task(worker.run())
        return service

    async def _start_engine(self, store: Store, liveness: EngineLiveness) -> None:
        lock_dir = engine_lock_dir(store)
        self._heartbeat = EngineHeartbeat(
            store, self.engine_id, interval=liveness.heartbeat_interval,
            stale_after=liveness.stale_after, lock_dir=lock_dir,
        )
        # Registered first, so that an engine recovering at the same moment sees this one alive.
        await self._heartbeat.start()
        await recover_interrupted(store, stale_after=liveness.stale_after,
                                  engine_id=self.engine_id, lock_dir=lock_dir)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        interrupted = not self.drain_on_exit or (exc_type is not None and issubclass(
            exc_type, (asyncio.CancelledError, KeyboardInterrupt)
        ))
        try:
            if self._queue is not None:
                await self._queue.close()
            if self._worker_task is not None:
                await _stop_worker(self._worker_task, cancel=interrupted)
            if self._store is not None and self._heartbeat is not None:
                # Nothing of this engine runs any more: what it left IN_PROGRESS was interrupted.
                await recover_interrupted(
                    self._store, stale_after=self._heartbeat.stale_after,
                    engine_id=self.engine_id, stopped={self.engine_id},
                    lock_dir=engine_lock_dir(self._store),
                )
        finally:
            await self._close()

    async def _close(self) -> None:
        try:
            if self._heartbeat is not None:
                await self._heartbeat.stop()
                self._heartbeat = None
        finally:
            if self._store is not None:
                await self._store.close()
                self._store = None
            if self._own_cloud is not None:
                # Blocking: it waits for cloud calls still running, and stops the sandbox.
                await asyncio.to_thread(self._own_cloud.close)
                self._own_cloud = None


async def _stop_worker(task: asyncio.Task[None], *, cancel: bool) -> None:
    """Wait for the worker to drain its queue or, with ``cancel``, stop its actions now."""
    while cancel and not task.done():
        # The first cancel ends its wait on the queue; the next one reaches the
        # gather of the actions it still runs, which cancels each of them.
        task.cancel()
        await asyncio.wait({task}, timeout=0.05)
    with contextlib.suppress(asyncio.CancelledError):
        await task
