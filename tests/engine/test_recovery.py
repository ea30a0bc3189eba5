"""An engine that stops mid-operation: the next one to start marks its stacks interrupted.

Each scenario runs on SQLite, PostgreSQL and MariaDB. A crash is the real
engine (store, queue, worker) stopped where it stands: its tasks cancelled
and its database closed, so nothing more is written, and its heartbeat row
left to go stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import textwrap
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import delete
from sqlalchemy.engine import Connection

from calor.config import ConfigError, EngineLiveness
from calor.engine.recovery import EngineHeartbeat, recover_interrupted
from calor.engine.worker import Worker
from calor.messaging.memory import InMemoryWorkQueue
from calor.resources import default_registry
from calor.service.embedded import Embedded
from calor.service.stacks import StackService
from calor.store import Store
from calor.store.errors import StackNotFound
from calor.store.models import Base
from calor.store.records import ResourceRecord, WorkUnitState
from calor.template.loader import load_template

#: Quick enough for tests: a silent engine is presumed dead after 0.3 s.
QUICK = EngineLiveness(heartbeat_interval=0.05, stale_after=0.3)


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


# ``slow`` sets its physical id, then waits: the crash comes during that wait.
INTERRUPTIBLE = template(
    """\
    heat_template_version: 2016-10-14
    resources:
      fast: {type: OS::Heat::TestResource, properties: {value: fast}}
      quick: {type: OS::Heat::TestResource, properties: {value: quick}}
      slow:
        type: OS::Heat::TestResource
        properties: {value: slow, wait_secs: 60}
        depends_on: [fast]
      later: {type: OS::Heat::TestResource, depends_on: [slow]}
    """
)

QUICK_TEMPLATE = template(
    """\
    heat_template_version: 2016-10-14
    resources:
      fast: {type: OS::Heat::TestResource, properties: {value: fast}}
      quick: {type: OS::Heat::TestResource, properties: {value: quick}}
      slow: {type: OS::Heat::TestResource, properties: {value: slow}, depends_on: [fast]}
      later: {type: OS::Heat::TestResource, depends_on: [slow]}
    """
)


@pytest_asyncio.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """The database of the test, for looking at what the engines left; emptied afterwards."""
    async with Store.open(database_url, migrate=False) as opened:
        yield opened

        def empty(conn: Connection) -> None:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))

        await opened.db.write(empty)


async def until(check: Any, timeout: float = 10.0) -> Any:
    """Poll ``await check()`` until it gives something true."""
    async with asyncio.timeout(timeout):
        while not (found := await check()):
            await asyncio.sleep(0.02)
    return found


def by_name(rows: list[ResourceRecord]) -> Mapping[str, ResourceRecord]:
    return {r.name: r for r in rows if r.replaced_by is None}


class CrashedEngine:
    """Runs the real engine on its own connection until :meth:`crash` stops it dead."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine_id = str(uuid.uuid4())
        registry = default_registry()
        self.queue = InMemoryWorkQueue()
        self.worker = Worker(store, self.queue, registry, worker_id=self.engine_id)
        self.service = StackService(store, self.queue, registry, engine_id=self.engine_id)
        self.task = asyncio.create_task(self.worker.run())
        self.registered = 0.0

    @classmethod
    async def start(cls, database_url: str) -> CrashedEngine:
        engine = cls(await Store.open(database_url, migrate=False))
        await engine.store.engine_services.register(
            id=engine.engine_id, hostname=socket.gethostname(), pid=0, topic="engine"
        )
        engine.registered = asyncio.get_running_loop().time()
        return engine

    async def create_until_slow_runs(self, name: str) -> str:
        stack = await self.service.create_stack(name, INTERRUPTIBLE)

        async def slow_running() -> bool:
            rows = by_name(await self.store.resources.list(stack.id))
            return (rows["slow"].state == "CREATE_IN_PROGRESS"
                    and rows["quick"].state == "CREATE_COMPLETE")

        await until(slow_running)
        return stack.id

    async def crash(self) -> None:
        while not self.task.done():
            self.task.cancel()
            await asyncio.wait({self.task}, timeout=0.05)
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.store.close()


async def interrupted_stack(database_url: str, name: str = "web") -> str:
    """A stack left CREATE_IN_PROGRESS by an engine that crashed and went silent."""
    engine = await CrashedEngine.start(database_url)
    stack_id = await engine.create_until_slow_runs(name)
    await engine.crash()
    # It never sends a heartbeat: once the threshold has passed since it registered,
    # it is presumed dead.
    silent = asyncio.get_running_loop().time() - engine.registered
    await asyncio.sleep(max(0.0, QUICK.stale_after + 0.05 - silent))
    return stack_id


async def test_next_start_fails_a_stack_whose_engine_went_silent(
    database_url: str, store: Store
) -> None:
    stack_id = await interrupted_stack(database_url)
    before = by_name(await store.resources.list(stack_id))
    assert (await store.stacks.get(stack_id)).state == "CREATE_IN_PROGRESS"

    async with Embedded(database_url, liveness=QUICK):
        pass

    stack = await store.stacks.get(stack_id)
    assert stack.state == "CREATE_FAILED"
    assert stack.status_reason == "Engine went down during stack CREATE"
    rows = by_name(await store.resources.list(stack_id))
    assert {n: r.state for n, r in rows.items()} == {
        "fast": "CREATE_COMPLETE", "quick": "CREATE_COMPLETE", "slow": "CREATE_FAILED",
        "later": "INIT_COMPLETE",
    }
    assert rows["slow"].status_reason == "Worker went down during resource CREATE"
    # Every physical id created before the crash is still known, the interrupted one too.
    for name in ("fast", "quick", "slow"):
        assert rows[name].physical_resource_id == before[name].physical_resource_id
        assert rows[name].physical_resource_id is not None
    events = await store.events.list(stack_id, sort_dir="asc", sort_keys=["created_at"])
    assert [(e.resource_name, e.resource_action, e.resource_status,
             e.resource_status_reason) for e in events[-2:]] == [
        ("slow", "CREATE", "FAILED", "Worker went down during resource CREATE"),
        ("web", "CREATE", "FAILED", "Engine went down during stack CREATE"),
    ]
    assert events[-2].physical_resource_id == rows["slow"].physical_resource_id
    unfinished = await store.work_units.list(
        stack_id=stack_id, state=[WorkUnitState.PENDING, WorkUnitState.QUEUED,
                                  WorkUnitState.RUNNING])
    assert unfinished == []


async def test_an_engine_without_a_row_is_gone_at_once(database_url: str, store: Store) -> None:
    engine = await CrashedEngine.start(database_url)
    stack_id = await engine.create_until_slow_runs("web")
    await engine.store.engine_services.delete(engine.engine_id)
    await engine.crash()

    async with Embedded(database_url, liveness=EngineLiveness(1, 600)):
        pass

    assert (await store.stacks.get(stack_id)).state == "CREATE_FAILED"


async def test_a_live_engines_stack_is_left_alone(database_url: str, store: Store) -> None:
    slow = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          slow: {type: OS::Heat::TestResource, properties: {wait_secs: 0.8}}
        """
    )
    async with Embedded(database_url, liveness=QUICK) as running:
        stack = await running.create_stack("busy", slow)
        # Longer than the stale threshold: only the heartbeat keeps the engine alive.
        await asyncio.sleep(QUICK.stale_after + 0.2)
        async with Embedded(database_url, liveness=QUICK):
            pass
        shown = await store.stacks.get(stack.id)
        assert (shown.state, shown.status_reason) == ("CREATE_IN_PROGRESS",
                                                      "Stack CREATE started")
        done = await running.wait(stack.id, timeout=10)
    assert done is not None and done.state == "CREATE_COMPLETE"


async def test_delete_after_recovery_deletes_every_resource(
    database_url: str, store: Store
) -> None:
    stack_id = await interrupted_stack(database_url)
    async with Embedded(database_url, liveness=QUICK) as service:
        await service.delete_stack("web")
        assert await service.wait(stack_id, timeout=10) is None
    with pytest.raises(StackNotFound):
        await store.stacks.get(stack_id)
    last = (await store.events.list(stack_id, limit=1))[0]
    assert (last.resource_name, last.resource_action, last.resource_status) == (
        "web", "DELETE", "COMPLETE")


async def test_update_after_recovery_completes(database_url: str, store: Store) -> None:
    stack_id = await interrupted_stack(database_url)
    async with Embedded(database_url, liveness=QUICK) as service:
        await service.update_stack("web", QUICK_TEMPLATE)
        done = await service.wait(stack_id, timeout=10)
    assert done is not None
    assert (done.state, done.status_reason) == ("UPDATE_COMPLETE",
                                               "Stack UPDATE completed successfully")
    rows = by_name(await store.resources.list(stack_id))
    assert sorted(rows) == ["fast", "later", "quick", "slow"]
    assert all(r.status == "COMPLETE" and r.physical_resource_id for r in rows.values())


async def test_two_engines_recovering_one_stack_fail_it_once(
    database_url: str, store: Store
) -> None:
    stack_id = await interrupted_stack(database_url)
    async with Store.open(database_url, migrate=False) as first, \
            Store.open(database_url, migrate=False) as second:
        results = await asyncio.gather(
            recover_interrupted(first, stale_after=QUICK.stale_after, engine_id="one"),
            recover_interrupted(second, stale_after=QUICK.stale_after, engine_id="two"),
        )
    assert sorted(len(r) for r in results) == [0, 1]
    (recovered,) = [r for found in results for r in found]
    assert (recovered.stack_id, recovered.resources) == (stack_id, ("slow",))
    failed = await store.events.list(stack_id, resource_status="FAILED")
    assert sorted(e.resource_name for e in failed) == ["slow", "web"]


async def test_stack_of_no_engine_waits_while_another_engine_lives(
    database_url: str, store: Store
) -> None:
    # An older process left it IN_PROGRESS without naming its engine, and no
    # traversal: it may as well be a stack a live engine is just starting.
    raw = await store.templates.create(template=QUICK_TEMPLATE)
    orphan = await store.stacks.create(
        name="old", project_id="local", raw_template_id=raw.id, action="UPDATE",
        status="IN_PROGRESS", status_reason="Stack UPDATE started",
    )
    other = await store.engine_services.register(hostname="elsewhere", pid=1, topic="engine")
    assert await recover_interrupted(store, stale_after=60, engine_id="me") == []
    assert (await store.stacks.get(orphan.id)).state == "UPDATE_IN_PROGRESS"

    await store.engine_services.delete(other.id)
    (recovered,) = await recover_interrupted(store, stale_after=60, engine_id="me")
    assert recovered.reason == "Engine went down during stack UPDATE"
    assert (await store.stacks.get(orphan.id)).state == "UPDATE_FAILED"


async def test_a_cancelled_engine_marks_its_own_stack_interrupted(
    database_url: str, store: Store
) -> None:
    created: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def run_until_cancelled() -> None:
        async with Embedded(database_url, liveness=QUICK) as service:
            stack = await service.create_stack("web", INTERRUPTIBLE)
            created.set_result(stack.id)
            await service.wait(stack.id)

    task = asyncio.create_task(run_until_cancelled())
    stack_id = await created

    async def slow_running() -> bool:
        return by_name(await store.resources.list(stack_id))["slow"].state == (
            "CREATE_IN_PROGRESS")

    await until(slow_running)
    task.cancel()  # what Ctrl-C does to the CLI
    with pytest.raises(asyncio.CancelledError):
        await task
    # No other engine has started: the cancelled one said so itself before it closed.
    stack = await store.stacks.get(stack_id)
    assert (stack.state, stack.status_reason) == (
        "CREATE_FAILED", "Engine went down during stack CREATE")
    assert by_name(await store.resources.list(stack_id))["slow"].state == "CREATE_FAILED"
    assert await store.engine_services.list() == []


async def test_heartbeat_keeps_the_engine_row_fresh_and_removes_it_at_the_end(
    store: Store,
) -> None:
    heartbeat = EngineHeartbeat(store, "engine-1", interval=0.05, stale_after=0.3)
    await heartbeat.start()
    (registered,) = await store.engine_services.list()
    await asyncio.sleep(0.2)
    (refreshed,) = await store.engine_services.list()
    # Taken for dead by another engine meanwhile: the next beat counts it again.
    await store.engine_services.delete("engine-1")
    await heartbeat.beat()
    (again,) = await store.engine_services.list()
    await heartbeat.stop()
    assert registered.id == again.id == "engine-1"
    assert refreshed.last_heartbeat > registered.last_heartbeat
    assert await store.engine_services.list() == []


def test_liveness_comes_from_the_environment() -> None:
    assert EngineLiveness.from_environment({}) == EngineLiveness(5.0, 30.0)
    assert EngineLiveness.from_environment(
        {"CALOR_ENGINE_HEARTBEAT_SECS": "0.5", "CALOR_ENGINE_STALE_SECS": "2"}
    ) == EngineLiveness(0.5, 2.0)
    # A longer heartbeat alone stretches the default threshold to three beats.
    assert EngineLiveness.from_environment(
        {"CALOR_ENGINE_HEARTBEAT_SECS": "20"}).stale_after == 60.0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CALOR_ENGINE_HEARTBEAT_SECS": "often"}, "must be a number of seconds"),
        ({"CALOR_ENGINE_STALE_SECS": "0"}, "above 0"),
        ({"CALOR_ENGINE_HEARTBEAT_SECS": "5", "CALOR_ENGINE_STALE_SECS": "6"},
         "must be at least twice"),
    ],
)
def test_nonsense_liveness_is_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        EngineLiveness.from_environment(env)
