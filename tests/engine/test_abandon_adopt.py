"""Abandon, export and adopt: a stack as Heat's abandon data and back, on every database."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from calor.service.abandon import (
    InvalidAdoptData,
    abandon_stack,
    adopt_stack,
    export_stack,
    stack_environment,
    stack_template,
)
from calor.service.stacks import StackService
from calor.store.errors import StackExists, StackNotFound
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


APP = template(
    """\
    heat_template_version: 2016-10-14
    parameters:
      greeting: {type: string, default: hello}
      password: {type: string, default: sesame, hidden: true}
    resources:
      secret: {type: OS::Heat::RandomString, properties: {length: 10}}
      app:
        type: OS::Heat::TestResource
        properties: {value: {get_param: greeting}}
    outputs:
      secret: {value: {get_attr: [secret, value]}}
      app: {value: {get_attr: [app, output]}}
    """
)


async def created(service: StackService, name: str = "app", **kwargs: Any) -> StackRecord:
    stack = await service.create_stack(name, APP, **kwargs)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE", done and done.status_reason
    return done


async def physical_ids(service: StackService, stack: StackRecord) -> dict[str, str | None]:
    return {r.name: r.physical_resource_id for r in await service.resources(stack)}


async def outputs(service: StackService, stack: StackRecord) -> dict[str, Any]:
    return {o["output_key"]: o.get("output_value") for o in await service.outputs(stack)}


async def test_export_gives_heats_abandon_data_and_keeps_the_stack(
    service: StackService,
) -> None:
    stack = await created(service, parameters={"greeting": "hi"})
    data = await export_stack(service, "app")
    assert list(data) == ["name", "id", "action", "status", "template", "environment",
                          "files", "resources", "project_id", "stack_user_project_id", "tags"]
    assert (data["name"], data["id"], data["action"], data["status"]) == (
        "app", stack.id, "CREATE", "COMPLETE")
    assert data["template"] == APP
    assert data["environment"]["parameters"] == {"greeting": "hi"}
    app = data["resources"]["app"]
    assert app == {
        "name": "app", "resource_id": (await physical_ids(service, stack))["app"],
        "type": "OS::Heat::TestResource", "action": "CREATE", "status": "COMPLETE",
        "metadata": {}, "resource_data": {"value": "hi"},
    }
    json.dumps(data)  # it is JSON, as the API sends it
    assert (await service.find("app")).state == "CREATE_COMPLETE"


async def test_abandon_forgets_the_stack_without_deleting_a_resource(
    service: StackService,
) -> None:
    stack = await created(service)
    data = await abandon_stack(service, "app")
    assert set(data["resources"]) == {"secret", "app"}
    with pytest.raises(StackNotFound):
        await service.find("app")
    # No traversal ran: no resource was deleted, nor asked to be.
    events = await service.store.events.list(stack.id)
    assert not [e for e in events if e.resource_action == "DELETE"]


async def test_abandon_then_adopt_keeps_physical_ids_and_random_values(
    service: StackService,
) -> None:
    stack = await created(service, parameters={"greeting": "hi"})
    ids = await physical_ids(service, stack)
    values = await outputs(service, stack)
    data = await abandon_stack(service, "app")

    adopting = await adopt_stack(service, "again", json.dumps(data))
    assert adopting.state == "ADOPT_IN_PROGRESS"
    adopted = await service.wait(adopting.id, timeout=30)
    assert adopted is not None
    assert adopted.state == "ADOPT_COMPLETE", adopted.status_reason
    assert adopted.status_reason == "Stack ADOPT completed successfully"
    assert await physical_ids(service, adopted) == ids
    assert {r.state for r in await service.resources(adopted)} == {"ADOPT_COMPLETE"}
    assert await outputs(service, adopted) == values
    events = [(e.resource_action, e.resource_status, e.resource_status_reason)
              for e in await service.events(adopted) if e.resource_name == "again"]
    assert events[0] == ("ADOPT", "IN_PROGRESS", "Stack ADOPT started")


async def test_adopt_takes_the_datas_parameters_unless_overridden(
    service: StackService,
) -> None:
    await created(service, parameters={"greeting": "hi"})
    data = await export_stack(service, "app")
    kept = await service.wait((await adopt_stack(service, "kept", data)).id, timeout=30)
    given = await service.wait(
        (await adopt_stack(service, "given", data, parameters={"greeting": "yo"})).id,
        timeout=30)
    assert kept is not None and given is not None
    assert (await service.show(kept))["parameters"]["greeting"] == "hi"
    assert (await service.show(given))["parameters"]["greeting"] == "yo"


async def test_deleting_an_adopted_stack_deletes_its_resources(service: StackService) -> None:
    await created(service)
    data = await abandon_stack(service, "app")
    adopted = await service.wait((await adopt_stack(service, "again", data)).id, timeout=30)
    assert adopted is not None
    assert adopted.state == "ADOPT_COMPLETE", adopted.status_reason
    deleting = await service.delete_stack("again")
    assert await service.wait(deleting.id, timeout=30) is None
    deleted = {e.resource_name for e in await service.store.events.list(adopted.id)
               if (e.resource_action, e.resource_status) == ("DELETE", "COMPLETE")}
    assert deleted == {"secret", "app", "again"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json: [", "Invalid adopt data: Error parsing adopt data"),
        ("[1, 2]", "Invalid adopt data: it is not a map (a JSON object)"),
        ('{"resources": {}}', "Invalid adopt data: 'template' is missing"),
        ('{"template": {}, "resources": {"app": 3}}', "Invalid adopt data: resources.app is"
                                                      " not a map"),
    ],
)
async def test_adopt_data_that_is_not_abandon_data_is_refused(
    service: StackService, data: str, message: str
) -> None:
    with pytest.raises(InvalidAdoptData) as caught:
        await adopt_stack(service, "again", data)
    assert str(caught.value).startswith(message)
    assert await service.list_stacks() == []


async def test_adopt_refuses_a_resource_without_a_physical_id(service: StackService) -> None:
    await created(service)
    data = await export_stack(service, "app")
    del data["resources"]["app"]["resource_id"]
    with pytest.raises(InvalidAdoptData) as caught:
        await adopt_stack(service, "again", data)
    assert str(caught.value) == (
        "Invalid adopt data: resources.app: Resource ID was not provided.")
    assert [s.name for s in await service.list_stacks()] == ["app"]


async def test_adopt_refuses_a_name_already_taken(service: StackService) -> None:
    await created(service)
    data = await export_stack(service, "app")
    with pytest.raises(StackExists):
        await adopt_stack(service, "app", data)


async def test_template_show_and_environment_show_give_what_was_stored(
    service: StackService,
) -> None:
    await created(service, parameters={"greeting": "hi", "password": "open"})
    assert await stack_template(service, "app") == APP
    environment = await stack_environment(service, "app")
    # A hidden parameter's value is never shown.
    assert environment["parameters"] == {"greeting": "hi", "password": "******"}
    assert {"parameter_defaults", "resource_registry", "event_sinks"} <= set(environment)
