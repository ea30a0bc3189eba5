"""Snapshots of stacks: taken, listed, shown, deleted, and restored, on every database."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from calor.service.snapshots import (
    ActionNotComplete,
    create_snapshot,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
    show_snapshot,
    snapshot_body,
)
from calor.service.stacks import NotSupported, StackActionInProgress, StackService
from calor.store.errors import SnapshotNotFound
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


APP = template(
    """\
    heat_template_version: 2016-10-14
    parameters:
      greeting: {type: string, default: hello}
    resources:
      secret: {type: OS::Heat::RandomString, properties: {length: 10}}
      app:
        type: OS::Heat::TestResource
        properties: {value: {get_param: greeting}}
    outputs:
      app: {value: {get_attr: [app, output]}}
    """
)


async def created(service: StackService, name: str, tmpl: dict[str, Any] = APP,
                  **kwargs: Any) -> StackRecord:
    stack = await service.create_stack(name, tmpl, **kwargs)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    assert done.state == "CREATE_COMPLETE", done.status_reason
    return done


async def rows(service: StackService, stack: StackRecord) -> dict[str, Any]:
    return {r.name: r for r in await service.resources(stack)}


async def outputs(service: StackService, stack: StackRecord) -> dict[str, Any]:
    return {o["output_key"]: o.get("output_value") for o in await service.outputs(stack)}


async def test_a_snapshot_keeps_the_template_environment_and_every_resources_data(
    service: StackService,
) -> None:
    stack = await created(service, "app", parameters={"greeting": "hi"})
    resources = await rows(service, stack)
    snapshot = await create_snapshot(service, "app", "first")
    assert (snapshot.name, snapshot.action, snapshot.status) == ("first", "CREATE", "COMPLETE")
    assert snapshot.status_reason == "Stack SNAPSHOT completed successfully"
    data = snapshot.data
    assert data is not None
    assert (data["name"], data["id"], data["action"], data["status"]) == (
        "app", stack.id, "SNAPSHOT", "COMPLETE")
    assert data["template"] == APP
    assert data["environment"]["parameters"] == {"greeting": "hi"}
    secret = data["resources"]["secret"]
    assert secret["resource_id"] == resources["secret"].physical_resource_id
    assert secret["type"] == "OS::Heat::RandomString"
    assert len(secret["resource_data"]["value"]) == 10
    assert data["resources"]["app"]["resource_data"] == {"value": "hi"}


async def test_snapshot_leaves_the_stack_snapshot_complete_with_heats_events(
    service: StackService,
) -> None:
    stack = await created(service, "app")
    await create_snapshot(service, "app")
    after = await service.find("app")
    assert after.state == "SNAPSHOT_COMPLETE"
    assert after.status_reason == "Stack SNAPSHOT completed successfully"
    events = [(e.resource_name, e.resource_action, e.resource_status, e.resource_status_reason)
              for e in await service.events(stack)]
    assert events[-2:] == [
        ("app", "SNAPSHOT", "IN_PROGRESS", "Stack SNAPSHOT started"),
        ("app", "SNAPSHOT", "COMPLETE", "Stack SNAPSHOT completed successfully"),
    ]
    # Taking a snapshot touches no resource.
    assert {r.state for r in (await rows(service, after)).values()} == {"CREATE_COMPLETE"}


async def test_a_failed_stack_cannot_be_snapshotted(service: StackService) -> None:
    failing = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          bad: {type: OS::Heat::TestResource, properties: {fail: true}}
        """
    )
    stack = await service.create_stack("broken", failing)
    await service.wait(stack.id, timeout=30)
    with pytest.raises(ActionNotComplete) as caught:
        await create_snapshot(service, "broken")
    assert str(caught.value) == (
        "Stack broken has an action (CREATE) in progress or failed state.")
    assert await list_snapshots(service, "broken") == []


async def test_a_stack_in_progress_cannot_be_snapshotted(service: StackService) -> None:
    slow = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          slow: {type: OS::Heat::TestResource, properties: {wait_secs: 0.2}}
        """
    )
    stack = await service.create_stack("slow", slow)
    with pytest.raises(StackActionInProgress) as caught:
        await create_snapshot(service, "slow")
    assert str(caught.value) == "Stack slow already has an action (CREATE) in progress."
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE"


async def test_snapshots_are_listed_oldest_first_and_shown_as_heat_formats_them(
    service: StackService,
) -> None:
    await created(service, "app")
    first = await create_snapshot(service, "app", "one")
    second = await create_snapshot(service, "app", "two")
    assert [s.id for s in await list_snapshots(service, "app")] == [first.id, second.id]
    body = snapshot_body(await show_snapshot(service, "app", second.id))
    assert list(body) == ["id", "name", "action", "status", "status_reason", "data",
                          "creation_time"]
    assert (body["id"], body["name"], body["status"]) == (second.id, "two", "COMPLETE")


async def test_a_snapshot_of_another_stack_is_not_found(service: StackService) -> None:
    await created(service, "app")
    await created(service, "other")
    theirs = await create_snapshot(service, "other")
    with pytest.raises(SnapshotNotFound) as caught:
        await show_snapshot(service, "app", theirs.id)
    assert str(caught.value) == f"The Snapshot ({theirs.id}) could not be found."


async def test_a_deleted_snapshot_is_gone(service: StackService) -> None:
    await created(service, "app")
    snapshot = await create_snapshot(service, "app")
    await delete_snapshot(service, "app", snapshot.id)
    assert await list_snapshots(service, "app") == []
    with pytest.raises(SnapshotNotFound):
        await delete_snapshot(service, "app", snapshot.id)


async def test_a_snapshot_still_being_taken_cannot_be_deleted_or_restored(
    service: StackService,
) -> None:
    stack = await created(service, "app")
    # A snapshot whose taking was interrupted stays CREATE_IN_PROGRESS.
    taking = await service.store.snapshots.create(stack_id=stack.id, name="half")
    with pytest.raises(NotSupported) as caught:
        await delete_snapshot(service, "app", taking.id)
    assert str(caught.value) == "Deleting in-progress snapshot is not supported."
    with pytest.raises(NotSupported) as restoring:
        await restore_snapshot(service, "app", taking.id)
    assert str(restoring.value) == "Restoring incomplete snapshot is not supported."


async def test_restoring_a_missing_snapshot_is_not_found(service: StackService) -> None:
    await created(service, "app")
    with pytest.raises(SnapshotNotFound) as caught:
        await restore_snapshot(service, "app", "no-such-snapshot")
    assert str(caught.value) == "The Snapshot (no-such-snapshot) could not be found."
    assert (await service.find("app")).state == "CREATE_COMPLETE"


async def test_restore_after_an_update_gives_back_the_snapshots_values(
    service: StackService,
) -> None:
    stack = await created(service, "app")
    before = await rows(service, stack)
    snapshot = await create_snapshot(service, "app")
    changed = template(
        """\
        heat_template_version: 2016-10-14
        parameters:
          greeting: {type: string, default: hello}
        resources:
          app:
            type: OS::Heat::TestResource
            properties: {value: {get_param: greeting}}
          extra: {type: OS::Heat::TestResource}
        outputs:
          app: {value: {get_attr: [app, output]}}
        """
    )
    updating = await service.update_stack("app", changed, parameters={"greeting": "bye"})
    updated = await service.wait(updating.id, timeout=30)
    assert updated is not None and updated.state == "UPDATE_COMPLETE"
    assert (await outputs(service, updated))["app"] == "bye"

    restoring = await restore_snapshot(service, "app", snapshot.id)
    assert restoring.state == "RESTORE_IN_PROGRESS"
    restored = await service.wait(restoring.id, timeout=30)
    assert restored is not None
    assert restored.state == "RESTORE_COMPLETE"
    assert restored.status_reason == "Stack RESTORE completed successfully"
    after = await rows(service, restored)
    assert set(after) == {"secret", "app"}
    assert (await outputs(service, restored))["app"] == "hello"
    # Updated in place back to the old value: the same object.
    assert after["app"].physical_resource_id == before["app"].physical_resource_id
    assert (await service.show(restored))["parameters"]["greeting"] == "hello"


async def test_restore_writes_back_the_data_of_resources_it_leaves_in_place(
    service: StackService,
) -> None:
    stack = await created(service, "app")
    secret = (await rows(service, stack))["secret"]
    saved = (await service.store.resource_data.get(secret.id, "value"))
    assert saved is not None
    snapshot = await create_snapshot(service, "app")
    await service.store.resource_data.set(secret.id, "value", "tampered")
    restoring = await restore_snapshot(service, "app", snapshot.id)
    restored = await service.wait(restoring.id, timeout=30)
    assert restored is not None and restored.state == "RESTORE_COMPLETE"
    kept = (await rows(service, restored))["secret"]
    # Its properties match the snapshot's: the same resource, with its saved value.
    assert kept.physical_resource_id == secret.physical_resource_id
    value = await service.store.resource_data.get(kept.id, "value")
    assert value is not None and value.value == saved.value


async def test_restore_is_refused_while_the_stack_is_busy(service: StackService) -> None:
    await created(service, "app")
    snapshot = await create_snapshot(service, "app")
    slow = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          slow: {type: OS::Heat::TestResource, properties: {wait_secs: 0.2}}
        """
    )
    updating = await service.update_stack("app", slow)
    with pytest.raises(StackActionInProgress):
        await restore_snapshot(service, "app", snapshot.id)
    await service.wait(updating.id, timeout=30)
