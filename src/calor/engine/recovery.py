"""Engines that stop mid-operation: their heartbeat, and failing what they left IN_PROGRESS.

Every engine (a CLI process in embedded mode, later each worker process)
registers an ``engine_service`` row and refreshes it every few seconds. A
stack IN_PROGRESS whose engine has no row, or a row silent for longer than
the stale threshold, was interrupted: :func:`recover_interrupted` marks it
FAILED, with Heat's reason ("Engine went down during stack CREATE"), fails
the resources left IN_PROGRESS ("Worker went down during resource CREATE")
and abandons the traversal, so that the next update or delete starts clean.
Physical ids need no rescue: plugins store them the moment they have them.

On SQLite an engine also holds an exclusive ``flock`` on a file beside the
database while it runs. The kernel drops it when the process dies, however
it dies, so another process on this machine knows at once that the engine
is gone instead of waiting for its heartbeat to go stale.

This is for engines whose queue lives in their own process (embedded mode):
the traversal's queued work dies with them. With a durable queue shared by
many workers, a dead worker's running units are put back on the queue
instead (``WorkUnits.take_over_stale``) and the traversal goes on.

Heat resets the stacks of a dead engine only in its legacy (non-convergence)
mode, when an engine starts; a convergence stack there stays IN_PROGRESS
until a user acts on it. Calor, whose only mode is convergence, resets both.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from calor.engine.stack_events import stack_event
from calor.engine.states import Status
from calor.store import Backend, Store
from calor.store.column_types import utc_now
from calor.store.errors import ResourceNotFound, StackNotFound, WorkUnitNotFound
from calor.store.records import ResourceRecord, StackRecord, WorkUnitState

LOG = logging.getLogger(__name__)

#: The ``topic`` of an engine's ``engine_service`` row.
ENGINE_TOPIC = "engine"


def stack_interrupted_reason(action: str) -> str:
    """Heat's reason for a stack whose engine stopped during ``action``."""
    return f"Engine went down during stack {action}"


def resource_interrupted_reason(action: str) -> str:
    """Heat's (convergence) reason for a resource whose worker stopped during ``action``."""
    return f"Worker went down during resource {action}"


# -- telling that an engine on this machine has exited -------------------------


def engine_lock_dir(store: Store) -> Path | None:
    """Where the engines of a SQLite file keep their lock files (None: not a file database)."""
    if store.backend is not Backend.SQLITE or sys.platform == "win32":
        return None
    database = store.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    return path.with_name(f"{path.name}-engines")


class _EngineLock:
    """The lock file an engine holds while it runs (released by the kernel when it dies)."""

    def __init__(self, directory: Path, engine_id: str) -> None:
        self.path = directory / f"{engine_id}.lock"
        self._fd: int | None = None

    def hold(self) -> None:
        if sys.platform == "win32":  # pragma: no cover - engine_lock_dir gives None there
            return
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)  # closing drops the flock
        self._fd = None


def has_exited(directory: Path, engine_id: str) -> bool:
    """True only when the engine's lock file exists and nobody holds it any more.

    Without its file (another machine, another folder) nothing is known and
    the heartbeat decides.
    """
    if sys.platform == "win32":  # pragma: no cover - engine_lock_dir gives None there
        return False
    import fcntl

    path = directory / f"{engine_id}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: that engine is running
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return True
    finally:
        os.close(fd)


# -- the heartbeat ---------------------------------------------------------------


class EngineHeartbeat:
    """An engine's ``engine_service`` row, kept fresh by a background task while it runs.

    ``await start()`` registers the row (and takes the SQLite lock file);
    every ``interval`` seconds the task refreshes the row and the heartbeat
    of the work units the engine runs; ``await stop()`` ends the task and
    deletes the row, along with the rows of engines long silent.
    """

    def __init__(
        self, store: Store, engine_id: str, *, interval: float, stale_after: float,
        topic: str = ENGINE_TOPIC, lock_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.engine_id = engine_id
        self.interval = interval
        self.stale_after = stale_after
        self.topic = topic
        self.hostname = socket.gethostname()
        self._lock = _EngineLock(lock_dir, engine_id) if lock_dir is not None else None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._lock is not None:
            try:
                self._lock.hold()
            except OSError as exc:
                # Without its lock file the engine is still known by its heartbeat.
                LOG.info("engine %s runs without a lock file: %s", self.engine_id, exc)
                self._lock = None
        await self._register()
        self._task = asyncio.create_task(self._run(), name=f"heartbeat {self.engine_id}")

    async def beat(self) -> None:
        """Say once that this engine is alive."""
        if not await self.store.engine_services.heartbeat(self.engine_id):
            # Another engine took this one for dead (it was silent too long,
            # a blocked loop perhaps) and removed the row: be counted again.
            LOG.warning("engine %s was presumed dead; registering again", self.engine_id)
            await self._register()
        await self.store.work_units.heartbeat(self.engine_id)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await self.store.engine_services.delete(self.engine_id)
            stale = utc_now() - timedelta(seconds=self.stale_after)
            await self.store.engine_services.delete_stale(stale)
        finally:
            if self._lock is not None:
                self._lock.release()

    async def _register(self) -> None:
        await self.store.engine_services.register(
            id=self.engine_id, hostname=self.hostname, pid=os.getpid(), topic=self.topic
        )

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.beat()
            except Exception:  # a database hiccup must not stop the engine; try again
                LOG.exception("engine %s could not send its heartbeat", self.engine_id)


# -- recovery --------------------------------------------------------------------


@dataclass(frozen=True)
class InterruptedStack:
    """A stack :func:`recover_interrupted` marked FAILED."""

    stack_id: str
    stack_name: str
    action: str
    engine_id: str | None
    reason: str
    #: The resources that were IN_PROGRESS and are now FAILED.
    resources: tuple[str, ...]


async def recover_interrupted(
    store: Store,
    *,
    stale_after: float,
    engine_id: str | None = None,
    stopped: Collection[str] = (),
    lock_dir: Path | None = None,
) -> list[InterruptedStack]:
    """Mark FAILED every stack IN_PROGRESS whose engine is no longer alive.

    ``engine_id`` is the caller's own engine (alive, unless it is also in
    ``stopped``: engines known to have stopped, as an engine whose worker has
    just ended). An engine is alive when its row was refreshed within
    ``stale_after`` seconds, unless its lock file in ``lock_dir`` shows it
    exited.

    Going IN_PROGRESS and naming the engine that runs the traversal are two
    steps, so a stack with no unfinished work may be one a live engine is
    just starting (its row still names the previous engine, or none): such a
    stack is only taken for interrupted when no other engine is alive.

    Each stack is failed by a compare-and-swap on its ``atomic_key``: of two
    engines recovering the same stack, one does it and the other skips it.
    When nothing is IN_PROGRESS this is a single query.
    """
    candidates = await store.stacks.list(None, status=str(Status.IN_PROGRESS), show_nested=True)
    if not candidates:
        return []
    alive = await _alive_engines(
        store, {s.engine_id for s in candidates if s.engine_id is not None},
        stale_after=stale_after, lock_dir=lock_dir,
    )
    if engine_id is not None:
        alive.add(engine_id)
    alive.difference_update(stopped)
    others_alive = bool(alive - {engine_id})
    recovered = []
    for stack in candidates:
        if stack.engine_id is not None and stack.engine_id in alive:
            continue
        if others_alive and not await _has_unfinished_work(store, stack):
            continue
        done = await _fail_stack(store, stack, alive)
        if done is not None:
            recovered.append(done)
    return recovered


async def _alive_engines(
    store: Store, named: set[str], *, stale_after: float, lock_dir: Path | None
) -> set[str]:
    since = utc_now() - timedelta(seconds=stale_after)
    rows = await store.engine_services.list(alive_since=since)
    hostname = socket.gethostname()
    alive = set()
    for row in rows:
        # Only the engines a stack names are worth a look at their lock file.
        if lock_dir is not None and row.id in named and row.hostname == hostname and (
            has_exited(lock_dir, row.id)
        ):
            await store.engine_services.delete(row.id)
            continue
        alive.add(row.id)
    return alive


async def _has_unfinished_work(store: Store, stack: StackRecord) -> bool:
    if stack.current_traversal is None:
        return False
    return await store.work_units.any_unfinished(stack.id, stack.current_traversal)


async def _fail_stack(
    store: Store, stack: StackRecord, alive: set[str]
) -> InterruptedStack | None:
    reason = stack_interrupted_reason(stack.action)
    try:
        won = await store.stacks.update(
            stack.id, expected_atomic_key=stack.atomic_key, status=str(Status.FAILED),
            status_reason=reason, current_traversal=None, engine_id=None,
        )
    except StackNotFound:
        return None  # deleted meanwhile
    if not won:
        return None  # it moved on (its engine was alive after all), or another engine won
    LOG.info("Engine %s went down when stack %s was in action %s",
             stack.engine_id, stack.id, stack.action)
    failed = []
    for row in await store.resources.list(stack.id):
        if row.status != Status.IN_PROGRESS and row.engine_id is None:
            continue
        if await _still_running(store, row, alive):
            continue  # an older traversal's action, in a live engine: it reports itself
        if not await _reset_resource(store, row):
            continue
        if row.status == Status.IN_PROGRESS:
            failed.append(row.name)
            await store.events.create(
                stack_id=stack.id, resource_name=row.name, resource_action=row.action,
                resource_status=str(Status.FAILED),
                resource_status_reason=resource_interrupted_reason(row.action),
                physical_resource_id=row.physical_resource_id, resource_type=row.type,
                resource_properties=dict(row.properties_data or {}),
            )
    if stack.current_traversal is not None:
        await store.work_units.abandon(stack.id, stack.current_traversal)
    # The stack's own event last: in ``event list`` it is the final word.
    await stack_event(store, stack, stack.action, str(Status.FAILED), reason)
    return InterruptedStack(stack.id, stack.name, stack.action, stack.engine_id, reason,
                            tuple(failed))


async def _still_running(store: Store, row: ResourceRecord, alive: set[str]) -> bool:
    """Whether the work unit holding the row's lock runs in a live engine."""
    if row.engine_id is None:
        return False
    try:
        unit = await store.work_units.get(row.engine_id)
    except WorkUnitNotFound:
        return False
    return unit.state is WorkUnitState.RUNNING and unit.worker_id in alive


async def _reset_resource(store: Store, row: ResourceRecord) -> bool:
    """FAILED if it was IN_PROGRESS, and its lock released; False if the row changed meanwhile."""
    values: dict[str, Any] = {}
    if row.status == Status.IN_PROGRESS:
        values = {"status": str(Status.FAILED),
                  "status_reason": resource_interrupted_reason(row.action)}
    try:
        if row.engine_id is not None:
            # The lock is the unit's that ran the action: a compare-and-swap on it.
            return await store.resources.release_lock(row.id, row.engine_id, **values)
        return await store.resources.update(row.id, expected_atomic_key=row.atomic_key, **values)
    except ResourceNotFound:
        return False
