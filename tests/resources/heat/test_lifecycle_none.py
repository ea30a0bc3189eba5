"""OS::Heat::None: a physical id, and nothing else."""

from __future__ import annotations

import uuid

from tests.resources.heat.lifecycle_context import InMemoryContext

from calor.resources.heat import NoneResource
from calor.resources.heat.none_resource import NoneResource as Placeholder


async def test_create_records_a_uuid_as_the_physical_id() -> None:
    ctx = InMemoryContext()
    await NoneResource(ctx, {}).create()
    assert len(ctx.physical_ids) == 1
    assert str(uuid.UUID(ctx.physical_ids[0])) == ctx.physical_ids[0]


async def test_reference_is_the_physical_id_once_created() -> None:
    ctx = InMemoryContext("nothing")
    resource = NoneResource(ctx, {})
    assert (await resource.reference_id()) == "nothing"
    await resource.create()
    assert (await resource.reference_id()) == ctx.physical_resource_id


async def test_any_attribute_is_none() -> None:
    resource = NoneResource(InMemoryContext(), {})
    await resource.create()
    assert await resource.resolve_attribute("anything") is None
    assert await resource.resolve_attribute("value") is None


async def test_update_delete_suspend_resume_do_nothing_and_never_wait() -> None:
    ctx = InMemoryContext()
    resource = Placeholder(ctx, {})
    await resource.create()
    await resource.update({}, frozenset({"size"}))
    await resource.suspend()
    await resource.resume()
    await resource.delete()
    assert ctx.sleeps == []
    assert ctx.data == {}
    assert not resource.needs_replace({}, frozenset({"size"}))
