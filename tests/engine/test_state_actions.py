"""``stack check``, ``suspend`` and ``resume`` through the engine, on every database."""

from __future__ import annotations

import asyncio
import textwrap
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import delete
from sqlalchemy.engine import Connection

from calor.engine.worker import Worker
from calor.messaging.memory import InMemoryWorkQueue
from calor.resources import default_registry
from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceFailure
from calor.service.stack_actions import check_stack, resume_stack, suspend_stack
from calor.service.stacks import StackActionInProgress, StackService
from calor.store import Store
from calor.store.models import Base
from calor.store.records import StackRecord
from calor.template.loader import load_template
from calor.template.schema import PropertySchema, PropertyType


class Switch(Resource):
    """A test type whose check, suspend and resume leave marks in its resource data."""

    type_name = "Calor::Test::Switch"
    properties_schema = {
        "fail_create": PropertySchema(PropertyType.BOOLEAN, "Fail the create.", default=False),
    }
    supports_check = True

    async def create(self) -> None:
        if self.properties.get("fail_create"):
            raise ResourceFailure("create refused")
        await self.ctx.set_physical_resource_id(self.ctx.physical_resource_name)

    async def check(self) -> None:
        # A test marks the "backend" broken through the resource's data.
        if (await self.ctx.get_data()).get("broken"):
            raise ResourceFailure("the switch is broken")

    async def suspend(self) -> None:
        await self.ctx.set_data("suspended", "yes")

    async def resume(self) -> None:
        await self.ctx.set_data("suspended", "no")


@pytest_asyncio.fixture
async def service(database_url: str) -> AsyncIterator[StackService]:
    """An engine as Embedded wires one, with the Switch type in its registry."""
    store = await Store.open(database_url)
    queue = InMemoryWorkQueue()
    registry = default_registry()
    registry.register(Switch)
    engine_id = str(uuid.uuid4())
    worker = Worker(store, queue, registry, worker_id=engine_id)
    task = asyncio.create_task(worker.run())
    try:
        yield StackService(store, queue, registry, engine_id=engine_id)
    finally:
        await queue.close()
        await task

        def empty(conn: Connection) -> None:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))

        await store.db.write(empty)
        await store.close()


def template(text: str) -> dict[str, object]:
    return load_template(textwrap.dedent(text))


# web needs db, which needs net; note (a type without a check) needs web.
CHAIN = template(
    """\
    heat_template_version: 2016-10-14
    resources:
      net: {type: Calor::Test::Switch}
      db: {type: Calor::Test::Switch, depends_on: net}
      web: {type: Calor::Test::Switch, depends_on: db}
      note: {type: OS::Heat::Value, properties: {value: hi}, depends_on: web}
    """
)


async def created(service: StackService, tmpl: dict[str, object], name: str = "st",
                  ) -> StackRecord:
    stack = await service.create_stack(name, tmpl)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    return done


async def finished(service: StackService, stack: StackRecord) -> StackRecord:
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    return done


async def events_after(service: StackService, stack: StackRecord, after: int,
                       ) -> list[tuple[str, str, str]]:
    return [(e.resource_name, f"{e.resource_action}_{e.resource_status}",
             e.resource_status_reason)
            for e in await service.events(stack) if e.sequence > after]


async def last_sequence(service: StackService, stack: StackRecord) -> int:
    return (await service.events(stack))[-1].sequence


async def states(service: StackService, stack: StackRecord) -> dict[str, str]:
    return {r.name: f"{r.action}_{r.status}" for r in await service.resources(stack)}


async def test_check_runs_in_dependency_order_and_names_types_without_a_check(
    service: StackService,
) -> None:
    stack = await created(service, CHAIN)
    before = await last_sequence(service, stack)
    started = await check_stack(service, "st")
    assert (started.state, started.status_reason) == ("CHECK_IN_PROGRESS", "Stack CHECK started")
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "CHECK_COMPLETE", "Stack CHECK completed successfully")
    events = await events_after(service, stack, before)
    assert events[0] == ("st", "CHECK_IN_PROGRESS", "Stack CHECK started")
    assert events[-1] == ("st", "CHECK_COMPLETE", "Stack CHECK completed successfully")
    assert [e for e in events if e[0] != "st"] == [
        ("net", "CHECK_IN_PROGRESS", "state changed"), ("net", "CHECK_COMPLETE", "state changed"),
        ("db", "CHECK_IN_PROGRESS", "state changed"), ("db", "CHECK_COMPLETE", "state changed"),
        ("web", "CHECK_IN_PROGRESS", "state changed"), ("web", "CHECK_COMPLETE", "state changed"),
        ("note", "CHECK_COMPLETE", "CHECK not supported for OS::Heat::Value"),
    ]
    rows = {r.name: r for r in await service.resources(stack)}
    assert {n: f"{r.action}_{r.status}" for n, r in rows.items()} == dict.fromkeys(
        rows, "CHECK_COMPLETE")
    assert rows["note"].status_reason == "CHECK not supported for OS::Heat::Value"

    # Checked again: a state that does not change writes no event (Heat's state_set).
    again = await last_sequence(service, stack)
    await check_stack(service, "st")
    assert (await finished(service, stack)).state == "CHECK_COMPLETE"
    assert "note" not in {e[0] for e in await events_after(service, stack, again)}


async def test_a_failing_check_fails_the_resource_and_the_stack(service: StackService) -> None:
    stack = await created(service, CHAIN)
    db = next(r for r in await service.resources(stack) if r.name == "db")
    await service.store.resource_data.set(db.id, "broken", "yes")
    await check_stack(service, stack.id)
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "CHECK_FAILED",
        "Resource CHECK failed: db: ResourceFailure: resources.db: the switch is broken")
    # As in Heat 27, the check goes on past the failure: every resource is checked.
    assert await states(service, stack) == {
        "net": "CHECK_COMPLETE", "db": "CHECK_FAILED", "web": "CHECK_COMPLETE",
        "note": "CHECK_COMPLETE",
    }


async def test_check_of_resources_never_created(service: StackService) -> None:
    # A TestResource whose create failed has no physical id: its check fails.
    broken = await created(service, template(
        """\
        heat_template_version: 2016-10-14
        resources:
          bad: {type: OS::Heat::TestResource, properties: {fail: true}}
        """), name="broken")
    assert broken.state == "CREATE_FAILED"
    await check_stack(service, "broken")
    done = await finished(service, broken)
    assert (done.state, done.status_reason) == (
        "CHECK_FAILED",
        "Resource CHECK failed: bad: ResourceFailure: resources.bad: Resource not created")

    # A resource that never started (its requirement failed) cannot be checked.
    stack = await created(service, template(
        """\
        heat_template_version: 2016-10-14
        resources:
          first: {type: Calor::Test::Switch, properties: {fail_create: true}}
          after: {type: Calor::Test::Switch, depends_on: first}
          never: {type: OS::Heat::None, depends_on: first}
        """))
    assert await states(service, stack) == {
        "first": "CREATE_FAILED", "after": "INIT_COMPLETE", "never": "INIT_COMPLETE"}
    before = await last_sequence(service, stack)
    await check_stack(service, "st")
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "CHECK_FAILED",
        "Resource CHECK failed: after: Can not check after, resource not created yet.")
    events = await events_after(service, stack, before)
    assert ("after", "CHECK_FAILED", "Can not check after, resource not created yet.") in events
    # A type without a check is left as it is while never created.
    assert "never" not in {e[0] for e in events}
    assert (await states(service, stack))["never"] == "INIT_COMPLETE"


async def test_suspend_runs_in_reverse_order_and_resume_in_dependency_order(
    service: StackService,
) -> None:
    stack = await created(service, CHAIN)
    before = await last_sequence(service, stack)
    started = await suspend_stack(service, "st")
    assert (started.state, started.status_reason) == (
        "SUSPEND_IN_PROGRESS", "Stack SUSPEND started")
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "SUSPEND_COMPLETE", "Stack SUSPEND completed successfully")
    events = await events_after(service, stack, before)
    assert [e[:2] for e in events if e[0] != "st"] == [
        (name, f"SUSPEND_{status}") for name in ("note", "web", "db", "net")
        for status in ("IN_PROGRESS", "COMPLETE")
    ]
    assert set((await states(service, stack)).values()) == {"SUSPEND_COMPLETE"}
    for row in await service.resources(stack):
        if row.type == Switch.type_name:
            data = await service.store.resource_data.get(row.id, "suspended")
            assert data is not None and data.value == "yes"

    # Suspending a suspended stack does nothing (Heat: "already suspended").
    again = await last_sequence(service, stack)
    assert (await suspend_stack(service, "st")).state == "SUSPEND_COMPLETE"
    assert await events_after(service, stack, again) == []

    before = await last_sequence(service, stack)
    await resume_stack(service, "st")
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "RESUME_COMPLETE", "Stack RESUME completed successfully")
    events = await events_after(service, stack, before)
    assert events[0] == ("st", "RESUME_IN_PROGRESS", "Stack RESUME started")
    assert [e[:2] for e in events if e[0] != "st"] == [
        (name, f"RESUME_{status}") for name in ("net", "db", "web", "note")
        for status in ("IN_PROGRESS", "COMPLETE")
    ]
    net = next(r for r in await service.resources(stack) if r.name == "net")
    data = await service.store.resource_data.get(net.id, "suspended")
    assert data is not None and data.value == "no"
    again = await last_sequence(service, stack)
    assert (await resume_stack(service, "st")).state == "RESUME_COMPLETE"
    assert await events_after(service, stack, again) == []


async def test_resume_of_a_stack_not_suspended_fails_as_in_heat(service: StackService) -> None:
    stack = await created(service, CHAIN)
    await resume_stack(service, "st")
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "RESUME_FAILED",
        "Resource RESUME failed: Error: resources.net: State ('CREATE', 'COMPLETE') "
        "invalid for resume")
    # The refusal leaves the resources as they were.
    assert set((await states(service, stack)).values()) == {"CREATE_COMPLETE"}


async def test_suspend_of_a_failed_resource_fails(service: StackService) -> None:
    stack = await created(service, template(
        """\
        heat_template_version: 2016-10-14
        resources:
          bad: {type: Calor::Test::Switch, properties: {fail_create: true}}
        """))
    await suspend_stack(service, "st")
    done = await finished(service, stack)
    assert (done.state, done.status_reason) == (
        "SUSPEND_FAILED",
        "Resource SUSPEND failed: Error: resources.bad: State ('CREATE', 'FAILED') "
        "invalid for suspend")


async def test_an_action_is_refused_while_another_runs(service: StackService) -> None:
    slow = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          slow: {type: OS::Heat::TestResource, properties: {wait_secs: 0.3}}
        """)
    stack = await service.create_stack("st", slow)
    for start in (check_stack, suspend_stack, resume_stack):
        with pytest.raises(StackActionInProgress) as refused:
            await start(service, "st")
        assert str(refused.value) == "Stack st already has an action (CREATE) in progress."
    assert (await finished(service, stack)).state == "CREATE_COMPLETE"
