"""Events: a stable order, Heat's filters and paging, and the cursor --follow polls with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from calor.store import EventNotFound, EventRecord, NewEvent, StackRecord, Store

MakeStack = Callable[..., Awaitable[StackRecord]]


async def _events(store: Store, stack_id: str, count: int) -> list[EventRecord]:
    return await store.events.create_many(
        [NewEvent(stack_id=stack_id, resource_name=f"r{i}", resource_action="CREATE",
                  resource_status="IN_PROGRESS" if i % 2 else "COMPLETE",
                  resource_type="OS::Heat::None" if i % 3 else "OS::Heat::Value",
                  resource_status_reason="state changed")
         for i in range(count)]
    )


def names(events: list[EventRecord]) -> list[str]:
    return [e.resource_name for e in events]


async def test_event_reads_back_as_recorded(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    event = await store.events.create(
        stack_id=stack.id, resource_name="server", resource_action="CREATE",
        resource_status="COMPLETE", resource_status_reason="state changed",
        physical_resource_id="p-1", resource_type="OS::Nova::Server",
        resource_properties={"flavor": "m1.small"},
    )
    assert await store.events.get(event.id) == event
    assert await store.events.get(event.id, stack_id=stack.id) == event
    with pytest.raises(EventNotFound):
        await store.events.get(event.id, stack_id="other")


async def test_events_keep_sub_second_times_in_recording_order(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    recorded = await _events(store, stack.id, 5)
    listed = await store.events.list(stack.id, sort_dir="asc")
    assert listed == recorded
    assert [e.sequence for e in listed] == sorted(e.sequence for e in listed)
    assert any(e.created_at.microsecond for e in listed)


async def test_newest_event_comes_first_by_default(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await _events(store, stack.id, 3)
    assert names(await store.events.list(stack.id)) == ["r2", "r1", "r0"]


async def test_events_are_filtered_like_heats(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await _events(store, stack.id, 6)
    listed = store.events.list
    assert names(await listed(stack.id, resource_status="COMPLETE", sort_dir="asc")) == [
        "r0", "r2", "r4"
    ]
    assert names(await listed(stack.id, resource_type="OS::Heat::Value", sort_dir="asc")) == [
        "r0", "r3"
    ]
    assert names(await listed(stack.id, resource_name=["r1", "r5"], resource_action="CREATE",
                              sort_dir="asc")) == ["r1", "r5"]


async def test_event_pages_follow_the_marker(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await _events(store, stack.id, 7)
    first = await store.events.list(stack.id, sort_keys=["event_time"], limit=3)
    second = await store.events.list(stack.id, sort_keys=["event_time"], limit=3,
                                     marker=first[-1].id)
    third = await store.events.list(stack.id, sort_keys=["event_time"], limit=3,
                                    marker=second[-1].id)
    assert names(first + second + third) == [f"r{i}" for i in range(7)]


async def test_events_sort_by_resource_type_then_time(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    await _events(store, stack.id, 4)
    listed = await store.events.list(stack.id, sort_keys=["resource_type"])
    assert names(listed) == ["r1", "r2", "r0", "r3"]


async def test_after_gives_only_later_events_oldest_first(
    store: Store, make_stack: MakeStack
) -> None:
    stack = await make_stack()
    seen = await _events(store, stack.id, 3)
    assert await store.events.list(stack.id, after=seen[-1].sequence) == []
    later = await _events(store, stack.id, 2)
    assert await store.events.list(stack.id, after=seen[-1].sequence) == later


async def test_events_of_several_stacks_list_together(
    store: Store, make_stack: MakeStack
) -> None:
    parent = await make_stack("parent")
    child = await make_stack("child", owner_id=parent.id)
    await _events(store, parent.id, 1)
    await _events(store, child.id, 1)
    listed = await store.events.list([parent.id, child.id], sort_dir="asc")
    assert [e.stack_id for e in listed] == [parent.id, child.id]


async def test_purge_keeps_the_newest_events(store: Store, make_stack: MakeStack) -> None:
    stack = await make_stack()
    await _events(store, stack.id, 5)
    assert await store.events.purge(stack.id, keep=2) == 3
    assert names(await store.events.list(stack.id)) == ["r4", "r3"]
    assert await store.events.purge(stack.id, keep=2) == 0
    assert await store.events.count(stack.id) == 2
