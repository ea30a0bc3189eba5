"""Engine services: registered, kept alive by heartbeats, found stale when silent."""

from __future__ import annotations

from datetime import timedelta

from calor.store import Store
from calor.store.column_types import utc_now


async def test_a_silent_engine_is_found_stale(store: Store) -> None:
    quiet = await store.engine_services.register(hostname="h1", pid=10, topic="engine_worker")
    alive = await store.engine_services.register(hostname="h2", pid=11, topic="engine_worker")
    cutoff = utc_now()
    assert await store.engine_services.heartbeat(alive.id)
    assert [s.id for s in await store.engine_services.stale(cutoff)] == [quiet.id]
    assert [s.id for s in await store.engine_services.list(alive_since=cutoff)] == [alive.id]


async def test_a_removed_engine_has_no_heartbeat(store: Store) -> None:
    service = await store.engine_services.register(hostname="h1", pid=10, topic="engine")
    assert await store.engine_services.delete(service.id)
    assert not await store.engine_services.heartbeat(service.id)
    assert await store.engine_services.list(topic="engine") == []
    assert await store.engine_services.stale(utc_now() + timedelta(days=1)) == []
