"""Claiming work units in batches: the units delivered in one turn of the event loop.

A worker starts a task per delivery; when a fan of units becomes ready,
hundreds of those tasks start in the same turn. Each claiming its own unit
costs five statements; claimed together they cost five in all. The
batcher gathers the claims made in one turn and runs them as one
:meth:`WorkUnits.claim_many_with_inputs` call at the next.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from calor.store import Store
from calor.store.errors import WorkUnitNotFound
from calor.store.records import WorkUnitRecord
from calor.store.work_units import ClaimedUnit


class ClaimBatcher:
    """``await batcher.claim(unit_id)``: a claim that shares its transaction with its turn's."""

    def __init__(
        self, store: Store, worker_id: str, entity_id_of: Callable[[WorkUnitRecord], str],
    ) -> None:
        self._store = store
        self._worker_id = worker_id
        self._entity_id_of = entity_id_of
        self._waiting: dict[str, list[asyncio.Future[ClaimedUnit | None]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def claim(self, unit_id: str) -> ClaimedUnit | None:
        """The unit, running for this worker, with its inputs; None if another has it.

        Raises :class:`WorkUnitNotFound` when there is no such unit.
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[ClaimedUnit | None] = loop.create_future()
        first = not self._waiting
        self._waiting.setdefault(unit_id, []).append(done)
        if first:
            task = loop.create_task(self._flush())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await done

    async def _flush(self) -> None:
        waiting, self._waiting = self._waiting, {}
        try:
            claimed = await self._store.work_units.claim_many_with_inputs(
                list(waiting), self._worker_id, self._entity_id_of
            )
        except BaseException as exc:
            for futures in waiting.values():
                for done in futures:
                    if not done.done():
                        done.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for unit_id, futures in waiting.items():
            for index, done in enumerate(futures):
                if done.done():
                    continue
                if unit_id not in claimed:
                    done.set_exception(WorkUnitNotFound(unit_id))
                else:
                    # A unit delivered twice in one turn runs once.
                    done.set_result(claimed[unit_id] if index == 0 else None)
