"""Stacks: create, look up, update with compare-and-swap, soft delete, the stack lock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from calor.store import NewResource, StackExists, StackNotFound, StackRecord, Store
from calor.store.column_types import utc_now

MakeStack = Callable[..., Awaitable[StackRecord]]


async def test_created_stack_reads_back_as_stored(store: Store, make_stack: MakeStack) -> None:
    created = await make_stack(
        "web", tags=["prod", "eu"], parameters={"flavor": "m1.small"}, timeout_mins=30,
        disable_rollback=False, action="CREATE", status="IN_PROGRESS",
    )
    again = await store.stacks.get(created.id)
    assert again == created
    assert again.state == "CREATE_IN_PROGRESS"
    assert again.tags == ["prod", "eu"]
    assert again.parameters == {"flavor": "m1.small"}


async def test_missing_stack_is_not_found_with_heats_message(store: Store) -> None:
    with pytest.raises(StackNotFound) as info:
        await store.stacks.get("nope")
    assert str(info.value) == "The Stack (nope) could not be found."


async def test_stack_is_found_by_name_or_id_within_its_project(
    store: Store, make_stack: MakeStack
) -> None:
    created = await make_stack("web", project_id="alpha")
    assert (await store.stacks.find("web", project_id="alpha")).id == created.id
    assert (await store.stacks.find(created.id, project_id="alpha")).id == created.id
    with pytest.raises(StackNotFound):
        await store.stacks.find("web", project_id="beta")
    with pytest.raises(StackNotFound):
        await store.stacks.get(created.id, project_id="beta")


async def test_two_live_stacks_cannot_share_a_name_in_a_project(
    store: Store, make_stack: MakeStack
) -> None:
    await make_stack("web", project_id="alpha")
    with pytest.raises(StackExists) as info:
        await make_stack("web", project_id="alpha")
    assert str(info.value) == "The Stack (web) already exists."
    await make_stack("web", project_id="beta")
    assert await store.stacks.count(None) == 2


async def test_names_differing_in_case_are_different_stacks(make_stack: MakeStack) -> None:
    await make_stack("web")
    await make_stack("Web")


async def test_soft_deleted_stack_is_hidden_and_frees_its_name(
    store: Store, make_stack: MakeStack
) -> None:
    old = await make_stack("web")
    await store.stacks.soft_delete(old.id)
    with pytest.raises(StackNotFound):
        await store.stacks.get(old.id)
    gone = await store.stacks.get(old.id, show_deleted=True)
    assert gone.deleted_at is not None
    new = await make_stack("web")
    assert (await store.stacks.find("web", project_id="demo")).id == new.id
    both = await store.stacks.list("demo", show_deleted=True, sort_keys=["creation_time"])
    assert [s.id for s in both] == [old.id, new.id]


async def test_soft_delete_removes_the_stacks_resources(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="r", type="OS::Heat::None")
    await store.resource_data.set(resource.id, "k", "v")
    await store.stacks.soft_delete(stack.id)
    assert await store.resources.list(stack.id) == []
    assert await store.resource_data.get_all(resource.id) == {}


async def test_soft_deleting_twice_is_not_found(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await store.stacks.soft_delete(stack.id)
    with pytest.raises(StackNotFound):
        await store.stacks.soft_delete(stack.id)


async def test_update_with_the_current_atomic_key_wins_once(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    first = store.stacks.update(stack.id, expected_atomic_key=0, status="FAILED")
    second = store.stacks.update(stack.id, expected_atomic_key=0, status="COMPLETE")
    results = await asyncio.gather(first, second)
    assert sorted(results) == [False, True]
    after = await store.stacks.get(stack.id)
    assert after.atomic_key == 1
    assert after.status == ("FAILED" if results[0] else "COMPLETE")


async def test_traversal_switches_only_from_the_expected_one(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    assert await store.stacks.switch_traversal(
        stack.id, expected_traversal=None, new_traversal="t1", action="CREATE",
        status="IN_PROGRESS",
    )
    assert not await store.stacks.switch_traversal(
        stack.id, expected_traversal=None, new_traversal="t2"
    )
    assert await store.stacks.switch_traversal(stack.id, expected_traversal="t1",
                                               new_traversal="t2")
    assert (await store.stacks.get(stack.id)).current_traversal == "t2"


async def test_updating_a_deleted_stack_is_not_found(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await store.stacks.soft_delete(stack.id)
    with pytest.raises(StackNotFound):
        await store.stacks.update(stack.id, status="FAILED")


async def test_update_refuses_an_unknown_field(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    with pytest.raises(TypeError, match="cannot set colour of a stack"):
        await store.stacks.update(stack.id, colour="red")


async def test_updated_tags_replace_the_old_ones_in_filters(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack(tags=["a", "b"])
    await store.stacks.update(stack.id, tags=["c"])
    assert (await store.stacks.get(stack.id)).tags == ["c"]
    assert await store.stacks.list(tags=["a"]) == []
    assert [s.id for s in await store.stacks.list(tags=["c"])] == [stack.id]


async def test_one_engine_holds_the_stack_lock_at_a_time(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    results = await asyncio.gather(
        store.stacks.acquire_lock(stack.id, "engine-a"),
        store.stacks.acquire_lock(stack.id, "engine-b"),
    )
    assert sorted(results) == [False, True]
    holder = "engine-a" if results[0] else "engine-b"
    assert (await store.stacks.get(stack.id)).engine_id == holder
    assert await store.stacks.acquire_lock(stack.id, holder)  # re-entrant for its holder


async def test_releasing_the_lock_persists_the_final_state(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await store.stacks.acquire_lock(stack.id, "engine-a")
    assert not await store.stacks.release_lock(stack.id, "engine-b")
    assert await store.stacks.release_lock(stack.id, "engine-a", status="COMPLETE")
    after = await store.stacks.get(stack.id)
    assert (after.engine_id, after.status, after.atomic_key) == (None, "COMPLETE", 1)
    assert await store.stacks.acquire_lock(stack.id, "engine-b")


async def test_a_lock_whose_heartbeat_went_stale_is_taken_over(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await store.stacks.acquire_lock(stack.id, "engine-a")
    assert not await store.stacks.acquire_lock(
        stack.id, "engine-b", stale_before=utc_now() - timedelta(minutes=1)
    )
    assert await store.stacks.acquire_lock(
        stack.id, "engine-b", stale_before=utc_now() + timedelta(seconds=1)
    )
    assert not await store.stacks.refresh_lock(stack.id, "engine-a")
    assert await store.stacks.refresh_lock(stack.id, "engine-b")


async def test_stacks_listed_by_lock_holder(store: Store, make_stack: MakeStack) -> None:
    mine = await make_stack("mine")
    await make_stack("other")
    await store.stacks.acquire_lock(mine.id, "engine-a")
    assert [s.name for s in await store.stacks.list(engine_id="engine-a")] == ["mine"]


async def test_physical_ids_survive_in_resources_of_a_stack(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    (resource,) = await store.resources.create_many(
        [NewResource(stack_id=stack.id, name="server", type="OS::Nova::Server")]
    )
    await store.resources.update(resource.id, physical_resource_id="0f8a")
    assert (await store.resources.get(resource.id)).physical_resource_id == "0f8a"
