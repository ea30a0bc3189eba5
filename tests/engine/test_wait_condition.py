"""Wait conditions and their handles through the engine, signalled while the stack runs.

Every test runs on SQLite, PostgreSQL and MariaDB. Signals go through
``calor.service.signals.signal_resource``, as the CLI (and later the API)
sends them, while the stack's create is waiting.
"""

from __future__ import annotations

import asyncio
import json
import textwrap
from typing import Any

import pytest

from calor.service.signals import (
    InvalidBreakPointHook,
    ResourceNotAvailable,
    SignalNotSupported,
    SignalRefused,
    StackResourceNotFound,
    resource_metadata,
    signal_resource,
)
from calor.service.stack_actions import suspend_stack
from calor.service.stacks import StackService
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


def heat_wait(count: int = 1, timeout: int = 30) -> dict[str, Any]:
    return template(
        f"""\
        heat_template_version: 2016-10-14
        resources:
          handle: {{type: OS::Heat::WaitConditionHandle}}
          wait:
            type: OS::Heat::WaitCondition
            properties: {{handle: {{get_resource: handle}}, count: {count}, timeout: {timeout}}}
          other: {{type: OS::Heat::TestResource}}
        outputs:
          data: {{value: {{get_attr: [wait, data]}}}}
        """
    )


AWS_WAIT = template(
    """\
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Handle: {Type: 'AWS::CloudFormation::WaitConditionHandle'}
      Wait:
        Type: 'AWS::CloudFormation::WaitCondition'
        Properties: {Handle: {Ref: Handle}, Count: 2, Timeout: 30}
    Outputs:
      Data: {Value: {'Fn::GetAtt': [Wait, Data]}}
      Url: {Value: {Ref: Handle}}
    """
)


async def waiting(service: StackService, stack: StackRecord, name: str) -> None:
    """Return once resource ``name`` is in CREATE_IN_PROGRESS (its handle is made)."""
    for _ in range(500):
        rows = {r.name: r for r in await service.resources(stack)}
        if rows[name].state == "CREATE_IN_PROGRESS":
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{name} never started its create")


async def state(service: StackService, stack: StackRecord, name: str) -> tuple[str, str]:
    row = await service.store.resources.get_by_name(stack.id, name)
    return row.state, row.status_reason


async def outputs(service: StackService, stack: StackRecord) -> dict[str, Any]:
    return {o["output_key"]: o.get("output_value") for o in await service.outputs(stack)}


async def signal_events(service: StackService, stack: StackRecord) -> list[tuple[str, str, str]]:
    return [(e.resource_name, f"{e.resource_action}_{e.resource_status}",
             e.resource_status_reason) for e in await service.events(stack)
            if e.resource_action == "SIGNAL"]


async def test_wait_condition_completes_once_count_success_signals_arrive(
    service: StackService,
) -> None:
    stack = await service.create_stack("wc", heat_wait(count=2))
    await waiting(service, stack, "wait")
    await signal_resource(service, "wc", "handle", None)
    await asyncio.sleep(0.3)  # a few polls: one signal of two is not enough
    assert (await state(service, stack, "wait"))[0] == "CREATE_IN_PROGRESS"
    await signal_resource(service, "wc", "handle",
                          {"id": "web", "data": {"ip": "10.0.0.5"}, "reason": "web is up"})
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    assert await state(service, stack, "wait") == ("CREATE_COMPLETE", "state changed")
    assert json.loads((await outputs(service, done))["data"]) == {
        "1": None, "web": {"ip": "10.0.0.5"}
    }
    assert await signal_events(service, done) == [
        ("handle", "SIGNAL_COMPLETE", "Signal: status:SUCCESS reason:Signal 1 received"),
        ("handle", "SIGNAL_COMPLETE", "Signal: status:SUCCESS reason:web is up"),
    ]
    assert await resource_metadata(service, "wc", "handle") == {
        "1": {"data": None, "reason": "Signal 1 received", "status": "SUCCESS"},
        "web": {"data": {"ip": "10.0.0.5"}, "reason": "web is up", "status": "SUCCESS"},
    }


async def test_a_failure_signal_fails_the_wait_with_its_reason(service: StackService) -> None:
    stack = await service.create_stack("wc", heat_wait(count=3))
    await waiting(service, stack, "wait")
    await signal_resource(service, "wc", "handle", {"status": "SUCCESS"})
    await signal_resource(service, "wc", "handle", {"status": "FAILURE", "reason": "disk full"})
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_FAILED"
    reason = "WaitConditionFailure: resources.wait: disk full"
    assert await state(service, stack, "wait") == ("CREATE_FAILED", reason)
    assert done.status_reason == f"Resource CREATE failed: {reason}"


async def test_the_timeout_fails_the_wait_naming_what_arrived(service: StackService) -> None:
    stack = await service.create_stack("wc", heat_wait(count=2, timeout=1))
    await waiting(service, stack, "wait")
    await signal_resource(service, "wc", "handle", {"reason": "db ready"})
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_FAILED"
    assert await state(service, stack, "wait") == (
        "CREATE_FAILED", "WaitConditionTimeout: resources.wait: 1 of 2 received - db ready"
    )


async def test_a_handle_that_is_not_a_handle_fails_the_wait(service: StackService) -> None:
    broken = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          res: {type: OS::Heat::TestResource}
          wait:
            type: OS::Heat::WaitCondition
            properties: {handle: {get_resource: res}, timeout: 10}
        """
    )
    stack = await service.create_stack("wc", broken)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_FAILED"
    assert await state(service, stack, "wait") == (
        "CREATE_FAILED", "ValueError: resources.wait: res is not a valid wait condition handle."
    )


async def test_aws_wait_condition_counts_signals_sent_to_its_url_handle(
    service: StackService,
) -> None:
    stack = await service.create_stack("cfn", AWS_WAIT)
    await waiting(service, stack, "Wait")
    first = {"Status": "SUCCESS", "Reason": "one", "UniqueId": "a", "Data": "1"}
    await signal_resource(service, "cfn", "Handle", first)
    # A CFN handle takes a signal only with all four fields.
    with pytest.raises(SignalRefused) as refused:
        await signal_resource(service, "cfn", "Handle", {"Status": "SUCCESS"})
    assert str(refused.value) == "ValueError: resources.Handle: Metadata format invalid"
    await signal_resource(service, "cfn", "Handle", {**first, "UniqueId": "b", "Data": "2",
                                                    "Reason": "two"})
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    values = await outputs(service, done)
    assert json.loads(values["Data"]) == {"a": "1", "b": "2"}
    assert values["Url"].startswith(
        f"http://127.0.0.1:8000/v1/waitcondition/arn%3Aopenstack%3Aheat%3A%3Alocal%3Astacks/"
        f"cfn/{stack.id}/resources/Handle?"
    )
    assert [r for _, _, r in await signal_events(service, done)] == [
        "Signal: status:SUCCESS reason:one", "Signal: status:SUCCESS reason:two",
    ]


async def test_signals_to_a_resource_that_takes_none_are_refused(service: StackService) -> None:
    stack = await service.create_stack("wc", heat_wait(timeout=10))
    await waiting(service, stack, "wait")
    with pytest.raises(SignalNotSupported) as refused:
        await signal_resource(service, "wc", "other", {"status": "SUCCESS"})
    assert str(refused.value) == "signal is not supported for resource."
    with pytest.raises(StackResourceNotFound) as missing:
        await signal_resource(service, "wc", "nothing", None)
    assert str(missing.value) == "The Resource (nothing) could not be found in Stack wc."
    await signal_resource(service, "wc", "handle", None)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    assert [name for name, _, _ in await signal_events(service, done)] == ["handle"]


async def test_a_handle_not_created_yet_cannot_be_signalled(service: StackService) -> None:
    held = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          slow: {type: OS::Heat::TestResource, properties: {wait_secs: 0.3}}
          handle:
            type: OS::Heat::WaitConditionHandle
            depends_on: slow
        """
    )
    stack = await service.create_stack("wc", held)
    with pytest.raises(ResourceNotAvailable) as early:
        await signal_resource(service, "wc", "handle", None)
    assert str(early.value) == "The Resource (handle) is not available."
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"


async def test_an_update_to_a_higher_count_waits_for_the_extra_signals(
    service: StackService,
) -> None:
    stack = await service.create_stack("wc", heat_wait(count=1))
    await waiting(service, stack, "wait")
    await signal_resource(service, "wc", "handle", None)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"

    await service.update_stack("wc", heat_wait(count=2))
    for _ in range(500):
        if (await state(service, stack, "wait"))[0] == "UPDATE_IN_PROGRESS":
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3)
    assert (await state(service, stack, "wait"))[0] == "UPDATE_IN_PROGRESS"
    await signal_resource(service, "wc", "handle", {"data": "second"})
    updated = await service.wait(stack.id, timeout=30)
    assert updated is not None and updated.state == "UPDATE_COMPLETE"
    assert json.loads((await outputs(service, updated))["data"]) == {"1": None, "2": "second"}


async def test_a_suspended_handle_refuses_signals_and_says_so_in_an_event(
    service: StackService,
) -> None:
    stack = await service.create_stack("wc", heat_wait())
    await waiting(service, stack, "wait")
    await signal_resource(service, "wc", "handle", None)
    assert (await service.wait(stack.id, timeout=30)) is not None
    await suspend_stack(service, "wc")
    suspended = await service.wait(stack.id, timeout=30)
    assert suspended is not None and suspended.state == "SUSPEND_COMPLETE"
    with pytest.raises(SignalNotSupported) as refused:
        await signal_resource(service, "wc", "handle", None)
    assert str(refused.value) == "Signal resource during SUSPEND is not supported."
    (last,) = [e for e in await service.events(suspended) if e.resource_name == "handle"][-1:]
    assert (last.resource_action, last.resource_status, last.resource_status_reason) == (
        "SUSPEND", "COMPLETE", "Cannot signal resource during SUSPEND")


HOOKED = template(
    """    heat_template_version: 2016-10-14
    resources:
      db: {type: OS::Heat::TestResource}
    """
)


async def test_an_unset_hook_signal_lets_a_paused_resource_go_on(service: StackService) -> None:
    stack = await service.create_stack(
        "hooked", HOOKED, files={"env.yaml": "resource_registry:\n  resources:\n"
                                             "    db: {hooks: pre-create}\n"},
        environment_files=["env.yaml"],
    )
    paused = "CREATE paused until Hook pre-create is cleared"
    for _ in range(500):
        if any(e.resource_status_reason == paused for e in await service.events(stack)):
            break
        await asyncio.sleep(0.02)
    with pytest.raises(InvalidBreakPointHook) as wrong:
        await signal_resource(service, "hooked", "db", {"unset_hook": "pre-lunch"})
    assert str(wrong.value) == (
        f'Invalid hook type "pre-lunch" for TestResource "db" Stack "hooked" [{stack.id}]')
    with pytest.raises(InvalidBreakPointHook) as unset:
        await signal_resource(service, "hooked", "db", {"unset_hook": "pre-update"})
    assert str(unset.value).startswith('The "pre-update" hook is not defined on TestResource')
    await signal_resource(service, "hooked", "db", {"unset_hook": "pre-create"})
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    assert "Hook pre-create is cleared" in [e.resource_status_reason
                                            for e in await service.events(done)]


async def test_metadata_of_a_resource_that_keeps_none_is_its_template_metadata(
    service: StackService,
) -> None:
    with_metadata = template(
        """        heat_template_version: 2016-10-14
        resources:
          db: {type: OS::Heat::TestResource, properties: {value: secret}}
          web:
            type: OS::Heat::TestResource
            metadata: {db: {get_attr: [db, output]}, fixed: [1, 2]}
        """
    )
    stack = await service.create_stack("meta", with_metadata)
    assert (await service.wait(stack.id, timeout=30)) is not None
    assert await resource_metadata(service, "meta", "web") == {"db": "secret", "fixed": [1, 2]}
    assert await resource_metadata(service, "meta", "db") == {}


async def test_signals_sent_at_once_are_all_kept(service: StackService) -> None:
    stack = await service.create_stack("wc", heat_wait(count=5))
    await waiting(service, stack, "wait")
    await asyncio.gather(*(signal_resource(service, "wc", "handle", {"data": n})
                           for n in range(5)))
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"
    signals = await resource_metadata(service, "wc", "handle")
    # Each got its own number, whichever order the writes won in.
    assert sorted(signals) == ["1", "2", "3", "4", "5"]
    assert sorted(s["data"] for s in signals.values()) == [0, 1, 2, 3, 4]
