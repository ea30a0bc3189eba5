"""Environment hooks (breakpoints) through the engine, on every database."""

from __future__ import annotations

import asyncio
import textwrap

import pytest

from calor.service.hooks import HookError, PausedResource, hook_clear, hook_poll
from calor.service.stacks import StackService
from calor.store.records import StackRecord
from calor.template.loader import load_template

# web needs db; both are quick TestResources.
TEMPLATE = load_template(textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    parameters:
      value: {type: string, default: one}
    resources:
      db: {type: OS::Heat::TestResource, properties: {value: {get_param: value}}}
      web:
        type: OS::Heat::TestResource
        properties: {value: {get_attr: [db, output]}}
    """
))


def env(hooks: str) -> dict[str, str]:
    return {"env.yaml": f"resource_registry:\n  resources:\n{textwrap.indent(hooks, '    ')}"}


async def create(service: StackService, hooks: str, name: str = "hooks") -> StackRecord:
    return await service.create_stack(name, TEMPLATE, files=env(hooks),
                                      environment_files=["env.yaml"])


async def paused(service: StackService, stack: StackRecord, count: int = 1,
                 ) -> list[PausedResource]:
    """hook poll, once ``count`` resources show as paused."""
    for _ in range(300):
        found = await hook_poll(service, await service.find(stack.id))
        if len(found) >= count:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("no resource paused on a hook")


async def reasons(service: StackService, stack: StackRecord) -> list[tuple[str, str, str]]:
    return [(e.resource_name, f"{e.resource_action}_{e.resource_status}",
             e.resource_status_reason) for e in await service.events(stack)]


async def test_pre_create_holds_the_resource_and_its_dependents_until_cleared(
    service: StackService,
) -> None:
    stack = await create(service, "db: {hooks: pre-create}\n")
    (held,) = await paused(service, stack)
    assert (held.event.resource_name, held.stack_name) == ("db", "hooks")
    assert held.event.resource_status_reason == "CREATE paused until Hook pre-create is cleared"
    assert (held.event.resource_action, held.event.resource_status) == ("INIT", "COMPLETE")
    await asyncio.sleep(0.3)  # several polls of the waiting engine
    rows = {r.name: r for r in await service.resources(stack)}
    assert {n: f"{r.action}_{r.status}" for n, r in rows.items()} == {
        "db": "INIT_COMPLETE", "web": "INIT_COMPLETE"
    }
    assert (await service.find(stack.id)).state == "CREATE_IN_PROGRESS"

    assert await hook_clear(service, await service.find(stack.id), ["db"]) == ["db"]
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    events = await reasons(service, done)
    assert events.index(("db", "INIT_COMPLETE", "Hook pre-create is cleared")) < events.index(
        ("db", "CREATE_IN_PROGRESS", "state changed"))


async def test_clearing_a_hook_that_is_not_set_is_refused(service: StackService) -> None:
    stack = await create(service, "db: {hooks: [pre-create, pre-update]}\n")
    await paused(service, stack)
    found = await service.find(stack.id)
    with pytest.raises(HookError) as refused:
        await hook_clear(service, found, ["web"])
    assert str(refused.value) == (
        f'The "pre-create" hook is not defined on TestResource "web" Stack "hooks" [{stack.id}]'
    )
    with pytest.raises(HookError) as wrong_type:
        await hook_clear(service, found, ["db"], pre_update=True)
    assert str(wrong_type.value).startswith('The "pre-update" hook is not defined on '
                                            'TestResource "db"')
    # A name that matches nothing clears nothing, as heatclient's globs do.
    assert await hook_clear(service, found, ["nothing*"]) == []
    assert await hook_clear(service, found, ["d*"]) == ["db"]
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    with pytest.raises(HookError) as idle:
        await hook_poll(service, done)
    assert str(idle.value) == "Stack status CREATE_COMPLETE not IN_PROGRESS"
    with pytest.raises(HookError) as idle_clear:
        await hook_clear(service, done, ["db"])
    assert str(idle_clear.value) == "Stack status CREATE_COMPLETE not IN_PROGRESS"


async def test_pre_update_holds_an_update_in_place(service: StackService) -> None:
    stack = await create(service, '"*": {hooks: pre-update}\n')
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"  # no pre-create hook
    await service.update_stack(stack.id, TEMPLATE, files=env('"*": {hooks: pre-update}\n'),
                               environment_files=["env.yaml"], parameters={"value": "two"})
    (held,) = await paused(service, stack)
    assert held.event.resource_name == "db"
    assert held.event.resource_status_reason == "UPDATE paused until Hook pre-update is cleared"
    assert (held.event.resource_action, held.event.resource_status) == ("CREATE", "COMPLETE")
    await hook_clear(service, await service.find(stack.id), ["db"])
    # web changes too (it reads db's new value) and is held in its turn.
    (held,) = [p for p in await paused(service, stack) if p.event.resource_name == "web"]
    await hook_clear(service, await service.find(stack.id), ["web"], pre_update=True)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "UPDATE_COMPLETE"


async def test_pre_delete_holds_the_delete_in_reverse_order(service: StackService) -> None:
    stack = await create(service, "w*: {hooks: pre-delete}\n")
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    await service.delete_stack(stack.id)
    (held,) = await paused(service, stack)
    assert held.event.resource_name == "web"
    assert held.event.resource_status_reason == "DELETE paused until Hook pre-delete is cleared"
    assert (held.event.resource_action, held.event.resource_status) == ("CREATE", "COMPLETE")
    await asyncio.sleep(0.2)
    # db is needed by web, so it waits too.
    assert {r.name: f"{r.action}_{r.status}" for r in await service.resources(stack)} == {
        "db": "CREATE_COMPLETE", "web": "CREATE_COMPLETE"
    }
    await hook_clear(service, await service.find(stack.id), ["web"], pre_delete=True)
    assert await service.wait(stack.id, timeout=30) is None  # deleted
    events = await reasons(service, stack)
    assert ("web", "CREATE_COMPLETE", "Hook pre-delete is cleared") in events
    assert events[-1] == ("hooks", "DELETE_COMPLETE", "Stack DELETE completed successfully")


async def test_deleting_a_stack_paused_on_a_hook_ends_the_wait(service: StackService) -> None:
    stack = await create(service, "db: {hooks: pre-create}\n")
    await paused(service, stack)
    await service.delete_stack(stack.id)
    assert await service.wait(stack.id, timeout=30) is None
    await asyncio.sleep(0.3)  # the waiting engine looks again, and gives up
    events = await reasons(service, stack)
    assert events[-1] == ("hooks", "DELETE_COMPLETE", "Stack DELETE completed successfully")
    assert not [e for e in events if e[0] == "db" and e[1] != "INIT_COMPLETE"]


async def test_a_replacement_is_held_by_pre_update(service: StackService) -> None:
    replacing = load_template(textwrap.dedent(
        """\
        heat_template_version: 2016-10-14
        parameters:
          value: {type: string, default: one}
        resources:
          db:
            type: OS::Heat::TestResource
            properties: {value: {get_param: value}, update_replace: true}
        """
    ))
    hooks = env("db: {hooks: pre-update}\n")
    stack = await service.create_stack("hooks", replacing, files=hooks,
                                       environment_files=["env.yaml"])
    assert (await service.wait(stack.id, timeout=30)) is not None
    await service.update_stack(stack.id, replacing, files=hooks, environment_files=["env.yaml"],
                               parameters={"value": "two"})
    (held,) = await paused(service, stack)
    # The event shows the state of the resource being replaced, as Heat's does.
    assert (held.event.resource_action, held.event.resource_status) == ("CREATE", "COMPLETE")
    assert held.event.resource_status_reason == "UPDATE paused until Hook pre-update is cleared"
    assert await hook_clear(service, await service.find(stack.id), ["db"]) == ["db"]
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "UPDATE_COMPLETE"
    (row,) = await service.resources(done)
    assert row.replaces is not None  # the resource was replaced, not updated


async def test_a_resource_added_by_an_update_is_not_held_by_pre_create(
    service: StackService,
) -> None:
    hooks = env("extra: {hooks: pre-create}\n")
    stack = await create(service, "extra: {hooks: pre-create}\n")
    assert (await service.wait(stack.id, timeout=30)) is not None
    grown = load_template(textwrap.dedent(
        """\
        heat_template_version: 2016-10-14
        resources:
          db: {type: OS::Heat::TestResource, properties: {value: one}}
          web: {type: OS::Heat::TestResource, properties: {value: {get_attr: [db, output]}}}
          extra: {type: OS::Heat::None}
        """
    ))
    await service.update_stack(stack.id, grown, files=hooks, environment_files=["env.yaml"])
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "UPDATE_COMPLETE"
    assert "paused" not in " ".join(e[2] for e in await reasons(service, done))
