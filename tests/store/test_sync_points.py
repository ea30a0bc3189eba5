"""Sync points: compare-and-swap merges that never lose a predecessor's report."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from calor.store import StackRecord, Store

MakeStack = Callable[..., Awaitable[StackRecord]]


async def test_sync_points_are_created_empty(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await store.sync_points.create_many(
        stack_id=stack.id, traversal_id="t1", entities=[("1", True), ("1", False), (stack.id, True)]
    )
    point = await store.sync_points.get("1", "t1", False)
    assert point is not None
    assert (point.input_data, point.atomic_key, point.is_update) == ({}, 0, False)
    assert await store.sync_points.get("1", "t2", True) is None


async def test_an_update_from_a_stale_read_loses(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await store.sync_points.create(stack_id=stack.id, traversal_id="t1", entity_id="1",
                                   is_update=True)
    assert await store.sync_points.update_input_data("1", "t1", True, input_data={"a": 1},
                                                      expected_atomic_key=0)
    assert not await store.sync_points.update_input_data("1", "t1", True, input_data={"b": 2},
                                                          expected_atomic_key=0)
    point = await store.sync_points.get("1", "t1", True)
    assert point is not None
    assert (point.input_data, point.atomic_key) == ({"a": 1}, 1)


async def test_concurrent_merges_keep_every_report(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await store.sync_points.create(stack_id=stack.id, traversal_id="t1", entity_id="9",
                                   is_update=True)
    await asyncio.gather(
        *(store.sync_points.merge("9", "t1", True, {f"{i}:True": {"ref": f"p{i}"}})
          for i in range(8))
    )
    point = await store.sync_points.get("9", "t1", True)
    assert point is not None
    assert point.input_data == {f"{i}:True": {"ref": f"p{i}"} for i in range(8)}
    assert point.atomic_key == 8


async def test_merging_into_a_superseded_traversal_gives_none(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await store.sync_points.create_many(stack_id=stack.id, traversal_id="old",
                                        entities=[("1", True)])
    await store.sync_points.create_many(stack_id=stack.id, traversal_id="new",
                                        entities=[("1", True)])
    assert await store.sync_points.delete_superseded(stack.id, "new") == 1
    assert await store.sync_points.merge("1", "old", True, {"x": 1}) is None
    merged = await store.sync_points.merge("1", "new", True, {"x": 1})
    assert merged is not None and merged.input_data == {"x": 1}


async def test_a_traversals_sync_points_are_deleted_together(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await store.sync_points.create_many(stack_id=stack.id, traversal_id="t1",
                                        entities=[("1", True), ("2", True)])
    assert await store.sync_points.delete_traversal(stack.id, "t1") == 2


async def test_sync_points_can_be_created_with_their_data_in_one_go(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await store.sync_points.create_with_data(
        stack_id=stack.id, traversal_id="t1",
        points=[("1:u", True, {"requires": []}), ("1:c", False, {"requires": ["1:u"]})],
    )
    cleanup = await store.sync_points.get("1:c", "t1", False)
    assert cleanup is not None and cleanup.input_data == {"requires": ["1:u"]}
    assert cleanup.atomic_key == 0
