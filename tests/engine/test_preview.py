"""Previews of a create and of an update: what would happen, with nothing written."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from calor.service.preview import preview_stack, preview_update_stack
from calor.service.stacks import StackService
from calor.store.errors import StackExists
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


WEB = template(
    """\
    heat_template_version: 2016-10-14
    description: a web tier
    parameters:
      greeting: {type: string, default: hello}
    resources:
      secret: {type: OS::Heat::RandomString, properties: {length: 8}}
      web:
        type: OS::Heat::TestResource
        properties:
          value: {get_param: greeting}
          update_replace_value: {get_resource: secret}
    outputs:
      web: {value: {get_attr: [web, output]}}
    """
)


async def test_create_preview_lists_each_resource_as_heat_would_before_creating_it(
    service: StackService,
) -> None:
    body = await preview_stack(service, "web", WEB, parameters={"greeting": "hi"})
    assert (body["stack_name"], body["id"], body["description"]) == ("web", None, "a web tier")
    assert body["parameters"]["greeting"] == "hi"
    assert body["outputs"] == [
        {"output_key": "web", "description": "No description given", "output_value": None}]
    resources = {r["resource_name"]: r for r in body["resources"]}
    assert list(resources) == ["secret", "web"]
    web = resources["web"]
    assert (web["resource_type"], web["resource_action"], web["resource_status"]) == (
        "OS::Heat::TestResource", "INIT", "COMPLETE")
    assert web["physical_resource_id"] == ""
    assert web["resource_identity"] == {
        "tenant": "local", "stack_name": "web", "stack_id": None, "path": "/resources/web"}
    # Properties resolved as far as they can be: a reference is the name until created.
    assert web["properties"]["value"] == "hi"
    assert web["properties"]["update_replace_value"] == "secret"
    assert web["properties"]["wait_secs"] == 0
    assert resources["secret"]["required_by"] == ["web"]
    assert web["attributes"] == {"output": None}


async def test_create_preview_writes_nothing(service: StackService) -> None:
    await preview_stack(service, "web", WEB)
    assert await service.store.stacks.list(show_deleted=True, show_nested=True) == []


async def test_create_preview_refuses_a_name_already_taken(service: StackService) -> None:
    await created(service, "web", WEB)
    with pytest.raises(StackExists):
        await preview_stack(service, "web", WEB)


async def created(service: StackService, name: str, tmpl: dict[str, Any]) -> StackRecord:
    stack = await service.create_stack(name, tmpl)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.state == "CREATE_COMPLETE", done and done.status_reason
    return done


BEFORE = template(
    """\
    heat_template_version: 2016-10-14
    resources:
      kept: {type: OS::Heat::TestResource, properties: {value: same}}
      changed: {type: OS::Heat::TestResource, properties: {value: old}}
      rebuilt: {type: OS::Heat::TestResource, properties: {update_replace_value: one}}
      retyped: {type: OS::Heat::TestResource}
      dropped: {type: OS::Heat::TestResource}
      secret: {type: OS::Heat::RandomString, properties: {length: 8}}
      reader:
        type: OS::Heat::TestResource
        properties: {value: {get_attr: [secret, value]}}
    """
)

AFTER = template(
    """\
    heat_template_version: 2016-10-14
    resources:
      kept: {type: OS::Heat::TestResource, properties: {value: same}}
      changed: {type: OS::Heat::TestResource, properties: {value: new}}
      rebuilt: {type: OS::Heat::TestResource, properties: {update_replace_value: two}}
      retyped: {type: OS::Heat::None}
      added: {type: OS::Heat::TestResource}
      secret: {type: OS::Heat::RandomString, properties: {length: 8}}
      reader:
        type: OS::Heat::TestResource
        properties: {value: {get_attr: [secret, value]}}
    """
)


async def test_update_preview_classifies_every_resource(service: StackService) -> None:
    stack = await created(service, "tier", BEFORE)
    changes = (await preview_update_stack(service, "tier", AFTER))["resource_changes"]
    names = {kind: sorted(r["resource_name"] for r in found) for kind, found in changes.items()}
    assert names == {
        "added": ["added"],
        "deleted": ["dropped"],
        "replaced": ["rebuilt", "retyped"],
        "unchanged": ["kept", "reader", "secret"],
        "updated": ["changed"],
    }
    ids = {r.name: r.physical_resource_id for r in await service.resources(stack)}
    # Updated and deleted resources are shown as they are; the rest as the template has them.
    (changed,) = changes["updated"]
    assert changed["physical_resource_id"] == ids["changed"]
    assert changed["resource_action"] == "CREATE"
    assert changed["resource_identity"]["stack_id"] == stack.id
    (dropped,) = changes["deleted"]
    assert dropped["physical_resource_id"] == ids["dropped"]
    (added,) = changes["added"]
    assert (added["resource_action"], added["physical_resource_id"]) == ("INIT", "")


async def test_update_preview_writes_nothing(service: StackService) -> None:
    stack = await created(service, "tier", BEFORE)
    rows = await service.resources(stack)
    events = await service.events(stack)
    await preview_update_stack(service, "tier", AFTER)
    after = await service.find("tier")
    assert (after.state, after.raw_template_id) == ("CREATE_COMPLETE", stack.raw_template_id)
    assert await service.resources(after) == rows
    assert await service.events(after) == events
