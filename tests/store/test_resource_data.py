"""Resource data: a plugin's small key/value store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from calor.store import ResourceDataRecord, ResourceNotFound, StackRecord, Store

MakeStack = Callable[..., Awaitable[StackRecord]]


async def _resource_id(store: Store, make_stack: MakeStack) -> int:
    stack = await make_stack()
    resource = await store.resources.create(stack_id=stack.id, name="a", type="OS::Heat::None")
    return resource.id


async def test_data_is_set_read_and_replaced(store: Store, make_stack: MakeStack) -> None:
    rid = await _resource_id(store, make_stack)
    await store.resource_data.set(rid, "hook", "pre-create")
    await store.resource_data.set(rid, "password", "one", redact=True)
    await store.resource_data.set(rid, "password", "two", redact=True)
    assert await store.resource_data.get(rid, "password") == ResourceDataRecord(
        rid, "password", "two", True
    )
    assert sorted(await store.resource_data.get_all(rid)) == ["hook", "password"]


async def test_deleted_data_is_gone(store: Store, make_stack: MakeStack) -> None:
    rid = await _resource_id(store, make_stack)
    await store.resource_data.set(rid, "hook", "pre-create")
    assert await store.resource_data.delete(rid, "hook")
    assert not await store.resource_data.delete(rid, "hook")
    assert await store.resource_data.get(rid, "hook") is None


async def test_data_of_a_missing_resource_is_refused(store: Store) -> None:
    with pytest.raises(ResourceNotFound):
        await store.resource_data.set(4242, "k", "v")
