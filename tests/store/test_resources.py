"""Resources: rows, filters, compare-and-swap updates and the resource lock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from calor.store import NewResource, ResourceNotFound, StackRecord, Store

MakeStack = Callable[..., Awaitable[StackRecord]]


async def test_created_resource_reads_back_as_stored(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    created = await store.resources.create(
        stack_id=stack.id, name="server", type="OS::Nova::Server",
        properties_data={"flavor": "m1.small"}, rsrc_metadata={"role": "web"},
    )
    assert await store.resources.get(created.id) == created
    assert await store.resources.get_by_uuid(created.uuid) == created
    assert created.state == "INIT_COMPLETE"
    assert (created.requires, created.needed_by, created.atomic_key) == ([], [], 0)


async def test_many_resources_come_back_in_order_with_their_ids(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    created = await store.resources.create_many(
        [NewResource(stack_id=stack.id, name=f"r{i}", type="OS::Heat::None") for i in range(1200)]
    )
    assert [r.name for r in created] == [f"r{i}" for i in range(1200)]
    assert len({r.id for r in created}) == 1200
    listed = await store.resources.list(stack.id)
    assert [(r.id, r.name) for r in listed] == [(r.id, r.name) for r in created]


async def test_requires_lists_resource_ids(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    first = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    second = await store.resources.create(
        stack_id=stack.id, name="b", type="OS::Heat::None", requires=[first.id]
    )
    assert (await store.resources.get(second.id)).requires == [first.id]


async def test_resources_are_filtered_by_name_type_action_and_status(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None",
                                 action="CREATE", status="COMPLETE")
    await store.resources.create(stack_id=stack.id, name="b", type="OS::Heat::Value",
                                 action="CREATE", status="FAILED")
    listed = store.resources.list
    assert [r.name for r in await listed(stack.id, status="FAILED")] == ["b"]
    assert [r.name for r in await listed(stack.id, type="OS::Heat::None")] == ["a"]
    assert [r.name for r in await listed(stack.id, name=["a", "b"], action="CREATE")] == ["a", "b"]


async def test_by_name_the_replacement_is_found_over_what_it_replaces(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    old = await store.resources.create(stack_id=stack.id, name="db", type="OS::Heat::None")
    new = await store.resources.create(stack_id=stack.id, name="db", type="OS::Heat::None",
                                       replaces=old.id)
    await store.resources.update(old.id, replaced_by=new.id)
    assert (await store.resources.get_by_name(stack.id, "db")).id == new.id
    assert (await store.resources.get(old.id)).replaced_by == new.id


async def test_missing_resource_is_not_found(store: Store) -> None:
    with pytest.raises(ResourceNotFound, match=r"The Resource \(42\) could not be found."):
        await store.resources.get(42)
    with pytest.raises(ResourceNotFound):
        await store.resources.update(42, status="FAILED")


async def test_update_checks_the_atomic_key(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    assert await store.resources.update(resource.id, expected_atomic_key=0, status="FAILED",
                                        attr_data={"value": 1})
    assert not await store.resources.update(resource.id, expected_atomic_key=0, status="COMPLETE")
    after = await store.resources.get(resource.id)
    assert (after.status, after.attr_data, after.atomic_key) == ("FAILED", {"value": 1}, 1)


async def test_of_two_claimants_of_the_resource_lock_one_wins(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    results = await asyncio.gather(
        store.resources.acquire_lock(resource.id, "engine-a", expected_atomic_key=0),
        store.resources.acquire_lock(resource.id, "engine-b", expected_atomic_key=0),
    )
    assert sorted(results) == [False, True]
    locked = await store.resources.get(resource.id)
    assert locked.engine_id == ("engine-a" if results[0] else "engine-b")
    assert locked.atomic_key == 1


async def test_a_stale_copy_cannot_take_a_free_lock(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    await store.resources.update(resource.id, status="FAILED")
    assert not await store.resources.acquire_lock(resource.id, "engine-a",
                                                  expected_atomic_key=resource.atomic_key)


async def test_releasing_the_lock_persists_the_outcome(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    assert await store.resources.acquire_lock(resource.id, "engine-a")
    assert not await store.resources.release_lock(resource.id, "engine-b", status="FAILED")
    assert await store.resources.release_lock(
        resource.id, "engine-a", action="CREATE", status="COMPLETE", physical_resource_id="p-1"
    )
    after = await store.resources.get(resource.id)
    assert (after.engine_id, after.state, after.physical_resource_id) == (
        None, "CREATE_COMPLETE", "p-1"
    )


async def test_the_lock_of_a_dead_engine_is_stolen(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    await store.resources.acquire_lock(resource.id, "dead")
    assert not await store.resources.acquire_lock(resource.id, "alive")
    assert await store.resources.steal_lock(resource.id, "dead", "alive")
    assert not await store.resources.steal_lock(resource.id, "dead", "other")
    assert (await store.resources.get(resource.id)).engine_id == "alive"


async def test_deleting_a_resource_takes_its_data_along(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    await store.resource_data.set(resource.id, "password", "s3cret", redact=True)
    assert await store.resources.delete(resource.id)
    assert not await store.resources.delete(resource.id)
    assert await store.resource_data.get_all(resource.id) == {}
