"""Work units: planned, queued, claimed once, kept alive by heartbeats, taken over when stale."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from calor.store import (
    NewWorkUnit,
    StackRecord,
    Store,
    WorkUnitNotFound,
    WorkUnitRecord,
    WorkUnitState,
)
from calor.store.column_types import utc_now

MakeStack = Callable[..., Awaitable[StackRecord]]


async def _units(store: Store, make_stack: MakeStack, count: int) -> list[WorkUnitRecord]:
    stack = await make_stack()
    resources = [
        await store.resources.create(stack_id=stack.id, name=f"r{i}", type="OS::Heat::None")
        for i in range(count)
    ]
    return await store.work_units.create_many(
        stack_id=stack.id, traversal_id="t1",
        units=[NewWorkUnit(resource_id=r.id, action="CREATE") for r in resources],
    )


async def test_planned_units_are_pending(store: Store, make_stack: MakeStack) -> None:
    units = await _units(store, make_stack, 2)
    assert await store.work_units.list(traversal_id="t1") == units
    assert {u.state for u in units} == {WorkUnitState.PENDING}


async def test_a_unit_is_queued_once(store: Store, make_stack: MakeStack) -> None:
    (unit,) = await _units(store, make_stack, 1)
    assert await store.work_units.queue(unit.id)
    assert not await store.work_units.queue(unit.id)
    assert (await store.work_units.get(unit.id)).state is WorkUnitState.QUEUED


async def test_units_are_queued_in_bulk(store: Store, make_stack: MakeStack) -> None:
    units = await _units(store, make_stack, 3)
    assert await store.work_units.queue_many([u.id for u in units[:2]]) == 2
    queued = await store.work_units.list(state=WorkUnitState.QUEUED)
    assert {u.id for u in queued} == {u.id for u in units[:2]}


async def test_of_two_workers_claiming_a_unit_one_gets_it(
    store: Store, make_stack: MakeStack
) -> None:
    (unit,) = await _units(store, make_stack, 1)
    await store.work_units.queue(unit.id)
    claims = await asyncio.gather(
        store.work_units.claim(unit.id, "worker-a"), store.work_units.claim(unit.id, "worker-b")
    )
    won = [c for c in claims if c is not None]
    assert len(won) == 1
    assert won[0].state is WorkUnitState.RUNNING
    assert (won[0].attempts, won[0].heartbeat_at is not None) == (1, True)


async def test_a_pending_unit_cannot_be_claimed(store: Store, make_stack: MakeStack) -> None:
    (unit,) = await _units(store, make_stack, 1)
    assert await store.work_units.claim(unit.id, "worker-a") is None
    with pytest.raises(WorkUnitNotFound):
        await store.work_units.claim("no-such-unit", "worker-a")


async def test_heartbeat_renews_every_unit_a_worker_runs(
    store: Store, make_stack: MakeStack
) -> None:
    units = await _units(store, make_stack, 2)
    for unit in units:
        await store.work_units.queue(unit.id)
        await store.work_units.claim(unit.id, "worker-a")
    before = await store.work_units.get(units[0].id)
    assert await store.work_units.heartbeat("worker-a") == 2
    assert await store.work_units.heartbeat("worker-b") == 0
    after = await store.work_units.get(units[0].id)
    assert after.heartbeat_at is not None and before.heartbeat_at is not None
    assert after.heartbeat_at >= before.heartbeat_at


async def test_only_the_claiming_worker_finishes_a_unit(
    store: Store, make_stack: MakeStack
) -> None:
    ok, bad = await _units(store, make_stack, 2)
    for unit in (ok, bad):
        await store.work_units.queue(unit.id)
        await store.work_units.claim(unit.id, "worker-a")
    assert not await store.work_units.finish(ok.id, "worker-b")
    assert await store.work_units.finish(ok.id, "worker-a")
    assert await store.work_units.finish(bad.id, "worker-a", failed=True)
    assert not await store.work_units.finish(ok.id, "worker-a")
    states = {u.id: u.state for u in await store.work_units.list(traversal_id="t1")}
    assert states == {ok.id: WorkUnitState.DONE, bad.id: WorkUnitState.FAILED}


async def test_a_released_unit_can_be_claimed_again(store: Store, make_stack: MakeStack) -> None:
    (unit,) = await _units(store, make_stack, 1)
    await store.work_units.queue(unit.id)
    await store.work_units.claim(unit.id, "worker-a")
    assert await store.work_units.release(unit.id, "worker-a")
    again = await store.work_units.claim(unit.id, "worker-b")
    assert again is not None and again.attempts == 2


async def test_stale_units_are_taken_over_by_exactly_one_rescuer(
    store: Store, make_stack: MakeStack
) -> None:
    units = await _units(store, make_stack, 4)
    for unit in units:
        await store.work_units.queue(unit.id)
        await store.work_units.claim(unit.id, "dead-worker")
    fresh = await store.work_units.take_over_stale(utc_now() - timedelta(minutes=1))
    assert fresh == []
    first, second = await asyncio.gather(
        store.work_units.take_over_stale(utc_now() + timedelta(seconds=1)),
        store.work_units.take_over_stale(utc_now() + timedelta(seconds=1)),
    )
    taken = sorted(u.id for u in first + second)
    assert taken == sorted(u.id for u in units)
    assert {u.state for u in first + second} == {WorkUnitState.QUEUED}
    assert {u.worker_id for u in first + second} == {None}
    assert not await store.work_units.finish(units[0].id, "dead-worker")


async def test_a_traversals_units_are_deleted_together(
    store: Store, make_stack: MakeStack
) -> None:
    units = await _units(store, make_stack, 3)
    assert await store.work_units.delete_traversal(units[0].stack_id, "t1") == 3


async def test_count_unfinished_counts_pending_queued_and_running_units(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    first = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    second = await store.resources.create(stack_id=stack.id, name="b", type="OS::Heat::None")
    units = await store.work_units.create_many(
        stack_id=stack.id, traversal_id="t1",
        units=[NewWorkUnit(resource_id=first.id, action="CREATE"),
               NewWorkUnit(resource_id=second.id, action="CREATE")],
    )
    assert await store.work_units.count_unfinished(stack.id, "t1") == 2
    await store.work_units.queue(units[0].id)
    await store.work_units.claim(units[0].id, "w")
    await store.work_units.finish(units[0].id, "w")
    assert await store.work_units.count_unfinished(stack.id, "t1") == 1
    assert await store.work_units.count_unfinished(stack.id, "other") == 0
