"""Snapshots: created, listed per stack, updated as they complete, deleted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from calor.store import SnapshotNotFound, StackRecord, Store

MakeStack = Callable[..., Awaitable[StackRecord]]


async def test_snapshot_completes_with_its_data(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    snapshot = await store.snapshots.create(stack_id=stack.id, name="before-upgrade")
    assert (snapshot.action, snapshot.status) == ("CREATE", "IN_PROGRESS")
    await store.snapshots.update(snapshot.id, status="COMPLETE",
                                 data={"resources": {"db": {"resource_data": {}}}})
    done = await store.snapshots.get(snapshot.id, stack_id=stack.id)
    assert done.status == "COMPLETE"
    assert done.data == {"resources": {"db": {"resource_data": {}}}}


async def test_snapshots_are_listed_per_stack_oldest_first(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack("a")
    other = await make_stack("b")
    first = await store.snapshots.create(stack_id=stack.id, name="one")
    second = await store.snapshots.create(stack_id=stack.id, name="two")
    await store.snapshots.create(stack_id=other.id, name="elsewhere")
    assert [s.id for s in await store.snapshots.list(stack.id)] == [first.id, second.id]


async def test_deleted_snapshot_is_not_found(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    snapshot = await store.snapshots.create(stack_id=stack.id)
    await store.snapshots.delete(snapshot.id)
    with pytest.raises(SnapshotNotFound, match="could not be found"):
        await store.snapshots.get(snapshot.id)
    with pytest.raises(SnapshotNotFound):
        await store.snapshots.delete(snapshot.id)


async def test_a_snapshot_of_another_stack_is_not_found(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    snapshot = await store.snapshots.create(stack_id=stack.id)
    with pytest.raises(SnapshotNotFound):
        await store.snapshots.get(snapshot.id, stack_id="other")
