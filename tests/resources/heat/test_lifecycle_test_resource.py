"""OS::Heat::TestResource: stored value, waits, failures and replacement, as in Heat."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tests.resources.heat.lifecycle_context import InMemoryContext, make, resolved

from calor.resources.heat import TestResource
from calor.resources.heat.test_resource import FOREVER_STEP
from calor.resources.lifecycle import ResourceFailure, UpdateReplace


async def created(ctx: InMemoryContext, **properties: Any) -> TestResource:
    resource = make(TestResource, ctx, **properties)
    await resource.create()
    return resource


# -- create ---------------------------------------------------------------------------


async def test_create_stores_the_value_and_records_the_physical_name() -> None:
    ctx = InMemoryContext("test1", stack_name="s")
    resource = await created(ctx, value="hello")
    assert ctx.data == {"value": "hello"}
    assert ctx.physical_resource_id == "s-test1-abcdefghijkl"
    assert (await resource.reference_id()) == "s-test1-abcdefghijkl"
    assert ctx.sleeps == []


async def test_the_default_value_is_test_string() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx)
    assert await resource.resolve_attribute("output") == "test_string"


async def test_create_waits_wait_secs() -> None:
    ctx = InMemoryContext()
    await created(ctx, wait_secs=2.5)
    assert ctx.sleeps == [2.5]


async def test_the_create_entry_of_action_wait_secs_overrides_wait_secs() -> None:
    ctx = InMemoryContext()
    await created(ctx, wait_secs=9, action_wait_secs={"create": 1, "delete": 4})
    assert ctx.sleeps == [1]


async def test_action_wait_secs_without_the_action_falls_back_to_wait_secs() -> None:
    ctx = InMemoryContext()
    await created(ctx, wait_secs=3, action_wait_secs={"delete": 4})
    assert ctx.sleeps == [3]


async def test_a_zero_action_wait_overrides_a_wait_secs() -> None:
    ctx = InMemoryContext()
    await created(ctx, wait_secs=3, action_wait_secs={"create": 0})
    assert ctx.sleeps == []


async def test_fail_fails_create_with_heats_message_after_the_wait() -> None:
    ctx = InMemoryContext("test1")
    with pytest.raises(ResourceFailure) as caught:
        await created(ctx, fail=True, wait_secs=1)
    assert str(caught.value) == "Test Resource failed test1"
    assert ctx.sleeps == [1]


async def test_a_failed_create_keeps_no_value_and_no_physical_id() -> None:
    ctx = InMemoryContext()
    resource = make(TestResource, ctx, fail=True)
    with pytest.raises(ResourceFailure):
        await resource.create()
    assert ctx.data == {}
    assert ctx.physical_resource_id is None
    assert (await resource.reference_id()) == "res"
    assert await resource.resolve_attribute("output") is None


async def test_a_negative_wait_lasts_until_the_engine_cancels_it() -> None:
    ctx = InMemoryContext(block_sleeps=True)
    resource = make(TestResource, ctx, wait_secs=-1)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(resource.create(), timeout=0.05)
    assert ctx.sleeps == [FOREVER_STEP]


async def test_a_negative_wait_keeps_sleeping_in_steps() -> None:
    ctx = InMemoryContext(cancel_after=3)
    with pytest.raises(asyncio.CancelledError):
        await created(ctx, wait_secs=-1)
    assert ctx.sleeps == [FOREVER_STEP] * 3


# -- update ---------------------------------------------------------------------------


async def test_update_of_the_value_stores_it_and_waits_the_update_wait() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, value="a", action_wait_secs={"update": 2})
    new = resolved(TestResource, value="b", action_wait_secs={"update": 2})
    await resource.update(new, frozenset({"value"}))
    assert ctx.data["value"] == "b"
    assert await resource.resolve_attribute("output") == "b"
    assert ctx.sleeps == [2]


async def test_update_without_a_value_change_does_not_wait() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, value="a")
    await resource.update(resolved(TestResource, value="a", wait_secs=5), frozenset({"wait_secs"}))
    assert ctx.sleeps == []
    assert resource.properties["wait_secs"] == 5


async def test_update_to_an_empty_value_stores_nothing_and_does_not_wait() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, value="a", wait_secs=1)
    ctx.sleeps.clear()
    await resource.update(resolved(TestResource, value="", wait_secs=1), frozenset({"value"}))
    assert ctx.data["value"] == "a"
    assert ctx.sleeps == []


async def test_fail_fails_update_without_storing_the_new_value() -> None:
    ctx = InMemoryContext("t")
    resource = await created(ctx, value="a")
    with pytest.raises(ResourceFailure, match=r"^Test Resource failed t$"):
        await resource.update(
            resolved(TestResource, value="b", fail=True), frozenset({"value", "fail"})
        )
    assert ctx.data["value"] == "a"


async def test_fail_fails_update_even_when_nothing_else_changes() -> None:
    resource = await created(InMemoryContext("t"))
    with pytest.raises(ResourceFailure, match=r"^Test Resource failed t$"):
        await resource.update(resolved(TestResource, fail=True), frozenset({"fail"}))


async def test_update_replace_with_a_new_value_asks_for_replacement() -> None:
    ctx = InMemoryContext("t")
    resource = await created(ctx, value="a")
    new = resolved(TestResource, value="b", update_replace=True)
    changed = frozenset({"value", "update_replace"})
    assert resource.needs_replace(new, changed)
    with pytest.raises(UpdateReplace, match=r"^The Resource t requires replacement\.$"):
        await resource.update(new, changed)
    assert ctx.data["value"] == "a"


async def test_update_replace_without_a_value_change_updates_in_place() -> None:
    resource = await created(InMemoryContext(), value="a")
    new = resolved(TestResource, value="a", update_replace=True)
    assert not resource.needs_replace(new, frozenset({"update_replace"}))
    await resource.update(new, frozenset({"update_replace"}))


def test_update_replace_value_is_not_updatable_so_its_change_replaces() -> None:
    assert not TestResource.properties_schema["update_replace_value"].update_allowed
    assert TestResource.properties_schema["value"].update_allowed


# -- delete, check, suspend, resume -----------------------------------------------------


async def test_delete_waits_the_delete_wait() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, wait_secs=1, action_wait_secs={"delete": 7})
    await resource.delete()
    assert ctx.sleeps == [1, 7]


async def test_delete_never_fails_even_with_fail() -> None:
    ctx = InMemoryContext()
    resource = make(TestResource, ctx, fail=True, wait_secs=1)
    await resource.delete()
    assert ctx.sleeps == [1]


async def test_check_passes_once_created() -> None:
    assert TestResource.supports_check
    await (await created(InMemoryContext())).check()


async def test_check_fails_when_create_never_recorded_an_id() -> None:
    resource = make(TestResource, InMemoryContext())
    with pytest.raises(ResourceFailure, match=r"^Resource not created$"):
        await resource.check()


async def test_suspend_and_resume_do_nothing() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, wait_secs=3)
    await resource.suspend()
    await resource.resume()
    assert ctx.sleeps == [3]


# -- attributes -------------------------------------------------------------------------


async def test_attr_wait_secs_waits_before_the_output_answers() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, value="v", attr_wait_secs=4)
    assert await resource.resolve_attribute("output") == "v"
    assert ctx.sleeps == [4]


async def test_the_output_comes_from_data_so_a_new_instance_sees_it() -> None:
    ctx = InMemoryContext()
    await created(ctx, value="kept")
    assert await make(TestResource, ctx, value="other").resolve_attribute("output") == "kept"


async def test_unknown_attributes_are_none() -> None:
    resource = await created(InMemoryContext())
    assert await resource.resolve_attribute("nope") is None


async def test_client_entity_and_constraint_secs_change_no_lifecycle_step() -> None:
    ctx = InMemoryContext()
    resource = await created(ctx, client_name="nova", entity_name="servers", constraint_prop_secs=5)
    await resource.delete()
    assert ctx.sleeps == []
