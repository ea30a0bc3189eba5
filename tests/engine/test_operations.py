"""Rollback, cancel, PATCH updates, timeouts and deletion policies, on every database."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from calor.service.embedded import Embedded
from calor.service.stacks import MissingTemplate, NotSupported, StackService
from calor.store.column_types import utc_now
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, object]:
    return load_template(textwrap.dedent(text))


def two(*, fail_b: bool = False, b_wait: float = 0, a_value: str = "a") -> dict[str, object]:
    return template(
        f"""\
        heat_template_version: 2016-10-14
        parameters:
          word: {{type: string, default: hi}}
          other: {{type: string, default: there}}
        resources:
          a:
            type: OS::Heat::TestResource
            properties: {{value: {a_value}}}
          b:
            type: OS::Heat::TestResource
            depends_on: a
            properties: {{fail: {str(fail_b).lower()}, wait_secs: {b_wait},
                          value: {{get_param: word}}}}
        outputs:
          word: {{value: {{get_param: word}}}}
          other: {{value: {{get_param: other}}}}
        """
    )


async def done(service: StackService, stack: StackRecord) -> StackRecord:
    finished = await service.wait(stack.id, timeout=60)
    assert finished is not None
    return finished


async def stack_events(service: StackService, stack: StackRecord) -> list[str]:
    return [f"{e.resource_action}_{e.resource_status}: {e.resource_status_reason}"
            for e in await service.events(stack) if e.resource_name == stack.name]


async def until(condition: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
    async def poll() -> None:
        while not await condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


# -- rollback ----------------------------------------------------------------


async def test_a_failed_create_with_rollback_deletes_what_it_built(
    service: StackService,
) -> None:
    stack = await service.create_stack("rb", two(fail_b=True), disable_rollback=False)
    finished = await done(service, stack)
    assert (finished.action, finished.status) == ("ROLLBACK", "COMPLETE")
    assert finished.status_reason == "Stack ROLLBACK completed successfully"
    assert await service.resources(finished) == []
    events = await stack_events(service, finished)
    assert events[:2] == ["CREATE_IN_PROGRESS: Stack CREATE started",
                          "CREATE_FAILED: Resource CREATE failed: ResourceFailure: "
                          "resources.b: Test Resource failed b"]
    assert events[2:] == ["ROLLBACK_IN_PROGRESS: Stack ROLLBACK started",
                          "ROLLBACK_COMPLETE: Stack ROLLBACK completed successfully"]
    # The emptied stack can be updated again (and deleted).
    again = await service.update_stack("rb", two())
    assert (await done(service, again)).status == "COMPLETE"


async def test_a_failed_create_without_rollback_stays_failed(service: StackService) -> None:
    stack = await service.create_stack("norb", two(fail_b=True))
    finished = await done(service, stack)
    assert (finished.action, finished.status) == ("CREATE", "FAILED")
    states = {r.name: f"{r.action}_{r.status}" for r in await service.resources(finished)}
    assert states == {"a": "CREATE_COMPLETE", "b": "CREATE_FAILED"}


async def test_a_failed_update_with_rollback_returns_to_the_old_template(
    service: StackService,
) -> None:
    stack = await done(service, await service.create_stack("up", two()))
    before = {r.name: r.physical_resource_id for r in await service.resources(stack)}
    updating = await service.update_stack(
        "up", two(fail_b=True), parameters={"word": "new"}, disable_rollback=False
    )
    finished = await done(service, updating)
    assert (finished.action, finished.status) == ("ROLLBACK", "COMPLETE")
    outputs = {o["output_key"]: o["output_value"] for o in await service.outputs(finished)}
    assert outputs["word"] == "hi"  # the old parameters are back
    rows = await service.resources(finished)
    assert {r.name for r in rows} == {"a", "b"}
    assert all(r.status == "COMPLETE" for r in rows)
    assert {r.name: r.physical_resource_id for r in rows}["a"] == before["a"]
    events = await stack_events(service, finished)
    assert "UPDATE_FAILED: Resource UPDATE failed: ResourceFailure: resources.b: " \
           "Test Resource failed b" in events
    assert events[-1] == "ROLLBACK_COMPLETE: Stack ROLLBACK completed successfully"


# -- cancel --------------------------------------------------------------------


async def test_cancel_update_rolls_back(service: StackService) -> None:
    await done(service, await service.create_stack("c", two()))
    updating = await service.update_stack("c", two(b_wait=1), parameters={"word": "slow"})

    async def b_is_updating() -> bool:
        rows = {r.name: r for r in await service.resources(updating)}
        return (rows["b"].action, rows["b"].status) == ("UPDATE", "IN_PROGRESS")

    await until(b_is_updating)
    cancelled = await service.cancel_update("c")
    assert (cancelled.action, cancelled.status) == ("ROLLBACK", "IN_PROGRESS")
    # The running update of b finishes first; then b goes back to the old value.
    finished = await done(service, cancelled)
    assert (finished.action, finished.status) == ("ROLLBACK", "COMPLETE")
    outputs = {o["output_key"]: o["output_value"] for o in await service.outputs(finished)}
    assert outputs["word"] == "hi"
    rows = {r.name: r for r in await service.resources(finished)}
    assert rows["b"].properties_data["value"] == "hi"


async def test_cancel_without_rollback_fails_the_action_and_starts_nothing_more(
    service: StackService,
) -> None:
    slow_first = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          a: {type: OS::Heat::TestResource, properties: {wait_secs: 0.5}}
          b: {type: OS::Heat::TestResource, depends_on: a}
        """
    )
    stack = await service.create_stack("cx", slow_first)

    async def a_started() -> bool:
        return any(r.name == "a" and r.status == "IN_PROGRESS"
                   for r in await service.resources(stack))

    await until(a_started)
    cancelled = await service.cancel_update("cx", rollback=False)
    assert (cancelled.action, cancelled.status) == ("CREATE", "FAILED")
    assert cancelled.status_reason == "Stack CREATE cancelled"
    await asyncio.sleep(0.8)  # a finishes on its own; b never starts
    rows = {r.name: r for r in await service.resources(stack)}
    assert (rows["a"].action, rows["a"].status) == ("CREATE", "COMPLETE")
    assert rows["b"].action == "INIT"
    # A later delete removes both.
    await service.delete_stack("cx")
    assert await service.wait(stack.id, timeout=30) is None


async def test_cancel_is_refused_when_nothing_is_being_updated(service: StackService) -> None:
    await done(service, await service.create_stack("idle", two()))
    with pytest.raises(NotSupported, match=r"Cancelling update when stack is CREATE_COMPLETE "
                                           r"is not supported\."):
        await service.cancel_update("idle")
    with pytest.raises(NotSupported):
        await service.cancel_update("idle", rollback=False)


# -- PATCH ---------------------------------------------------------------------


async def test_patch_keeps_template_and_parameters_and_changes_only_what_is_given(
    service: StackService,
) -> None:
    stack = await done(service, await service.create_stack(
        "p", two(), parameters={"word": "one", "other": "two"}))
    patched = await done(service, await service.update_stack(
        "p", existing=True, parameters={"word": "three"}))
    assert (patched.action, patched.status) == ("UPDATE", "COMPLETE")
    outputs = {o["output_key"]: o["output_value"] for o in await service.outputs(patched)}
    assert outputs == {"word": "three", "other": "two"}
    cleared = await done(service, await service.update_stack(
        "p", existing=True, clear_parameters=["other"]))
    outputs = {o["output_key"]: o["output_value"] for o in await service.outputs(cleared)}
    assert outputs == {"word": "three", "other": "there"}  # back to its default
    assert stack.id == cleared.id


async def test_update_existing_with_an_environment_file_keeps_the_stored_environment(
    service: StackService,
) -> None:
    await done(service, await service.create_stack(
        "envpatch", two(), parameters={"word": "one", "other": "two"}))
    patched = await done(service, await service.update_stack(
        "envpatch", existing=True, environment_files=["more.yaml"],
        files={"more.yaml": "parameters: {other: three}"},
    ))
    outputs = {o["output_key"]: o["output_value"] for o in await service.outputs(patched)}
    assert outputs == {"word": "one", "other": "three"}


async def test_update_without_a_template_needs_existing(service: StackService) -> None:
    await done(service, await service.create_stack("t", two()))
    with pytest.raises(MissingTemplate):
        await service.update_stack("t")


async def test_update_keeps_rollback_and_timeout_unless_told(service: StackService) -> None:
    await done(service, await service.create_stack("k", two(), timeout_mins=7,
                                                   disable_rollback=False))
    kept = await done(service, await service.update_stack("k", two(a_value="x")))
    assert (kept.timeout_mins, kept.disable_rollback) == (7, False)
    changed = await done(service, await service.update_stack(
        "k", existing=True, timeout_mins=9, disable_rollback=True, tags=["x", "y"]))
    assert (changed.timeout_mins, changed.disable_rollback) == (9, True)
    assert list(changed.tags) == ["x", "y"]


# -- timeouts ------------------------------------------------------------------


async def test_an_action_running_past_the_stack_timeout_is_aborted(
    service: StackService,
) -> None:
    chain = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          first: {type: OS::Heat::TestResource, properties: {wait_secs: 0.3}}
          slow:
            type: OS::Heat::TestResource
            depends_on: first
            properties: {wait_secs: 600}
        """
    )
    stack = await service.create_stack("late", chain, timeout_mins=1)
    # While "first" runs, move the action's start back: "slow" starts with 1 s left.
    await service.store.stacks.update(stack.id, updated_at=utc_now() - timedelta(seconds=59))
    finished = await done(service, stack)
    assert (finished.action, finished.status) == ("CREATE", "FAILED")
    assert finished.status_reason == "Timed out"
    rows = {r.name: r for r in await service.resources(finished)}
    assert (rows["slow"].action, rows["slow"].status) == ("CREATE", "FAILED")
    assert rows["slow"].status_reason.startswith('CREATE aborted (Task create from ')
    assert rows["slow"].status_reason.endswith("Timed out)")


# -- deletion policy -----------------------------------------------------------


async def test_retained_resources_are_not_deleted_from_the_backend(
    service: StackService,
) -> None:
    kept = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          keep: {type: OS::Heat::TestResource, deletion_policy: Retain,
                 properties: {action_wait_secs: {delete: 600}}}
          gone: {type: OS::Heat::TestResource}
        """
    )
    stack = await done(service, await service.create_stack("ret", kept))
    await service.delete_stack("ret")
    # "keep" would wait 600 s in its delete if the delete ran.
    assert await service.wait(stack.id, timeout=20) is None
    events = [(e.resource_name, f"{e.resource_action}_{e.resource_status}")
              for e in await service.events(stack)]
    assert ("keep", "DELETE_COMPLETE") in events


# -- replacement rules -----------------------------------------------------------


async def test_an_update_wait_condition_handle_is_replaced_by_every_update(
    service: StackService,
) -> None:
    handle = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          handle: {type: OS::Heat::UpdateWaitConditionHandle}
          plain: {type: OS::Heat::TestResource}
        """
    )
    stack = await done(service, await service.create_stack("uwch", handle))
    before = {r.name: r for r in await service.resources(stack)}
    after_update = await done(service, await service.update_stack("uwch", handle))
    assert (after_update.action, after_update.status) == ("UPDATE", "COMPLETE")
    after = {r.name: r for r in await service.resources(after_update)}
    assert after["handle"].id != before["handle"].id  # a new resource
    assert after["plain"].id == before["plain"].id  # unchanged, kept
    assert after["plain"].updated_at == before["plain"].updated_at


async def test_replacement_is_asked_for_only_when_a_property_changed(
    service: StackService,
) -> None:
    replacing = template(
        """\
        heat_template_version: 2016-10-14
        parameters:
          v: {type: string, default: one}
          w: {type: string, default: x}
        resources:
          r:
            type: OS::Heat::TestResource
            properties: {value: {get_param: v}, update_replace: true,
                         client_name: {get_param: w}}
        """
    )
    stack = await done(service, await service.create_stack("rep", replacing))
    (first,) = await service.resources(stack)
    # Only client_name changes: TestResource replaces only when its value changes.
    kept = await done(service, await service.update_stack("rep", replacing,
                                                          parameters={"w": "y"}))
    (same,) = await service.resources(kept)
    assert same.id == first.id
    replaced = await done(service, await service.update_stack("rep", replacing,
                                                              parameters={"v": "two"}))
    (new,) = await service.resources(replaced)
    assert new.id != first.id


# -- parallelism -----------------------------------------------------------------


async def test_waiting_plugins_give_their_action_slot_back(tmp_path: Path) -> None:
    # Two slots, six resources that each wait 0.5 s: the waits overlap, because
    # a plugin sleeping through ctx.sleep holds no slot meanwhile.
    fan = template(
        "heat_template_version: 2016-10-14\nresources:\n" + "".join(
            f"  r{i}: {{type: OS::Heat::TestResource, properties: {{wait_secs: 0.5}}}}\n"
            for i in range(6)
        )
    )
    async with Embedded(f"sqlite:///{tmp_path / 'c.db'}", max_parallel=2) as service:
        stack = await service.create_stack("fan", fan)
        finished = await done(service, stack)
        assert finished.status == "COMPLETE"
        events = [e for e in await service.events(finished) if e.resource_name != "fan"]
        started = [e.created_at for e in events if e.resource_status == "IN_PROGRESS"]
        ended = [e.created_at for e in events if e.resource_status == "COMPLETE"]
        # Holding their slots, they would take three rounds of 0.5 s; they take one.
        assert (max(ended) - min(started)).total_seconds() < 1.25
