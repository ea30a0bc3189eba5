"""Stack list: Heat's filters, sort keys and direction, limit and marker, tag filters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from calor.store import InvalidParameter, StackRecord, Store
from calor.store.column_types import utc_now

MakeStack = Callable[..., Awaitable[StackRecord]]


def names(stacks: list[StackRecord]) -> list[str]:
    return [s.name for s in stacks]


async def test_newest_stack_comes_first_by_default(store: Store, make_stack: MakeStack) -> None:
    for name in ("one", "two", "three"):
        await make_stack(name)
    assert names(await store.stacks.list("demo")) == ["three", "two", "one"]


async def test_list_filters_on_exact_values_and_lists_of_them(
    store: Store, make_stack: MakeStack
) -> None:
    await make_stack("a", action="CREATE", status="COMPLETE")
    await make_stack("b", action="CREATE", status="FAILED")
    await make_stack("c", action="UPDATE", status="FAILED")
    listed = store.stacks.list
    assert names(await listed("demo", status="FAILED", sort_keys=["stack_name"])) == ["b", "c"]
    assert names(await listed("demo", action="CREATE", status="FAILED")) == ["b"]
    assert names(await listed("demo", name=["a", "c"], sort_keys=["name"])) == ["a", "c"]


async def test_list_is_per_project_unless_no_project_is_given(
    store: Store, make_stack: MakeStack
) -> None:
    await make_stack("mine", project_id="alpha")
    await make_stack("theirs", project_id="beta")
    assert names(await store.stacks.list("alpha")) == ["mine"]
    assert sorted(names(await store.stacks.list(None))) == ["mine", "theirs"]


async def test_nested_stacks_are_listed_only_when_asked(
    store: Store, make_stack: MakeStack
) -> None:
    parent = await make_stack("parent")
    await make_stack("parent-child-x", owner_id=parent.id, nested_depth=1,
                     parent_resource_name="child")
    assert names(await store.stacks.list("demo")) == ["parent"]
    assert names(await store.stacks.list("demo", show_nested=True, sort_keys=["name"])) == [
        "parent", "parent-child-x"
    ]
    assert names(await store.stacks.list("demo", owner_id=parent.id)) == ["parent-child-x"]


async def test_sort_keys_and_direction(store: Store, make_stack: MakeStack) -> None:
    await make_stack("b", status="FAILED")
    await make_stack("a", status="COMPLETE")
    await make_stack("c", status="COMPLETE")
    listed = store.stacks.list
    assert names(await listed("demo", sort_keys=["stack_name"])) == ["a", "b", "c"]
    assert names(await listed("demo", sort_keys=["stack_name"], sort_dir="desc")) == [
        "c", "b", "a"
    ]
    assert names(await listed("demo", sort_keys=["stack_status", "stack_name"])) == [
        "a", "c", "b"
    ]


async def test_unknown_sort_keys_are_ignored_as_in_heat(
    store: Store, make_stack: MakeStack
) -> None:
    await make_stack("a")
    await make_stack("b")
    assert names(await store.stacks.list("demo", sort_keys=["colour"])) == ["b", "a"]


async def test_an_unknown_sort_direction_is_refused(store: Store) -> None:
    with pytest.raises(InvalidParameter, match="Unknown sort direction"):
        await store.stacks.list("demo", sort_dir="sideways")


async def test_stacks_never_updated_sort_first_by_update_time(
    store: Store, make_stack: MakeStack
) -> None:
    late = await make_stack("late")
    never = await make_stack("never")
    early = await make_stack("early")
    await store.stacks.update(late.id, updated_at=utc_now())
    await store.stacks.update(early.id, updated_at=utc_now() - timedelta(hours=1))
    by_update = await store.stacks.list("demo", sort_keys=["updated_time"])
    assert [s.id for s in by_update] == [never.id, early.id, late.id]
    page = await store.stacks.list("demo", sort_keys=["updated_time"], marker=never.id)
    assert [s.id for s in page] == [early.id, late.id]


async def test_pages_follow_the_marker_without_gaps_or_repeats(
    store: Store, make_stack: MakeStack
) -> None:
    for index in range(7):
        # Equal sort values: the id breaks ties, so paging stays stable.
        await make_stack(f"s{index}", status="COMPLETE")
    seen: list[str] = []
    marker: str | None = None
    while True:
        page = await store.stacks.list(
            "demo", sort_keys=["stack_status"], limit=3, marker=marker
        )
        if not page:
            break
        assert len(page) <= 3
        seen += [s.name for s in page]
        marker = page[-1].id
    assert sorted(seen) == [f"s{i}" for i in range(7)]
    assert len(seen) == 7


async def test_limit_zero_lists_nothing_and_negative_is_refused(
    store: Store, make_stack: MakeStack
) -> None:
    await make_stack()
    assert await store.stacks.list("demo", limit=0) == []
    with pytest.raises(InvalidParameter):
        await store.stacks.list("demo", limit=-1)


async def test_tag_filters(store: Store, make_stack: MakeStack) -> None:
    await make_stack("ab", tags=["a", "b"])
    await make_stack("a", tags=["a"])
    await make_stack("c", tags=["c"])
    await make_stack("none")

    async def listed(**filters: list[str]) -> list[str]:
        return sorted(names(await store.stacks.list("demo", **filters)))  # type: ignore[arg-type]

    assert await listed(tags=["a", "b"]) == ["ab"]
    assert await listed(tags_any=["b", "c"]) == ["ab", "c"]
    assert await listed(not_tags=["a", "b"]) == ["a", "c", "none"]
    assert await listed(not_tags_any=["a"]) == ["c", "none"]


async def test_count_matches_the_filtered_list(store: Store, make_stack: MakeStack) -> None:
    await make_stack("a", tags=["x"])
    await make_stack("b")
    deleted = await make_stack("c", tags=["x"])
    await store.stacks.soft_delete(deleted.id)
    assert await store.stacks.count("demo") == 2
    assert await store.stacks.count("demo", tags=["x"]) == 1
    assert await store.stacks.count("demo", tags=["x"], show_deleted=True) == 2
