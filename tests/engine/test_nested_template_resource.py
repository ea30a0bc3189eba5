"""Provider templates run as nested stacks: Heat's TemplateResource rules, on every database."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from calor.service.stacks import StackService
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


SERVER = textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    parameters:
      name: {type: string}
      ports: {type: comma_delimited_list, default: []}
    resources:
      box:
        type: OS::Heat::Value
        properties:
          value: {list_join: ["-", [{get_param: name}, {list_join: [":", {get_param: ports}]}]]}
    outputs:
      address: {value: {get_attr: [box, value]}}
    """
)

#: The same, with a reference of its own.
SERVER_WITH_ID = SERVER + "  OS::stack_id: {value: {list_join: ['', [srv-, {get_param: name}]]}}\n"


async def created(service: StackService, name: str, tmpl: dict[str, Any],
                  **kwargs: Any) -> StackRecord:
    stack = await service.create_stack(name, tmpl, **kwargs)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    return done


async def children(service: StackService, parent: StackRecord) -> list[StackRecord]:
    return list(await service.store.stacks.list(owner_id=parent.id))


def outputs(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in items}


async def test_a_template_file_type_runs_as_a_nested_stack_fed_by_its_properties(
    service: StackService,
) -> None:
    top = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          web: {type: server.yaml, properties: {name: web, ports: [80, 443]}}
          copy: {type: OS::Heat::Value, properties: {value: {get_attr: [web, address]}}}
        outputs:
          address: {value: {get_attr: [copy, value]}}
        """
    )
    done = await created(service, "site", top, files={"server.yaml": SERVER})
    assert (done.action, done.status) == ("CREATE", "COMPLETE")
    assert outputs(await service.outputs(done)) == {"address": "web-80:443"}
    (child,) = await children(service, done)
    web = {r.name: r for r in await service.resources(done)}["web"]
    # The resource's physical id is its nested stack, named as Heat names it.
    assert web.physical_resource_id == child.id
    assert web.type == "server.yaml"
    assert child.name.startswith("site-web-") and len(child.name) == len("site-web-") + 12
    assert (child.parent_resource_name, child.nested_depth, child.project_id) == (
        "web", 1, done.project_id)
    assert (child.action, child.status) == ("CREATE", "COMPLETE")
    assert child.parameters["name"] == "web"
    # Nested stacks are not listed among the stacks.
    assert [s.name for s in await service.list_stacks()] == ["site"]


async def test_a_registry_mapped_type_uses_the_os_stack_id_output_as_its_reference(
    service: StackService,
) -> None:
    top = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          web: {type: My::Server, properties: {name: api}}
          ref: {type: OS::Heat::Value, properties: {value: {get_resource: web}}}
        outputs:
          ref: {value: {get_attr: [ref, value]}}
          address: {value: {get_attr: [web, address]}}
        """
    )
    env = "resource_registry:\n  My::Server: server.yaml\n"
    done = await created(
        service, "mapped", top, files={"server.yaml": SERVER_WITH_ID, "env.yaml": env},
        environment_files=["env.yaml"],
    )
    assert (done.action, done.status) == ("CREATE", "COMPLETE"), done.status_reason
    assert outputs(await service.outputs(done)) == {"ref": "srv-api", "address": "api-"}
    (child,) = await children(service, done)
    assert {r.name for r in await service.resources(child)} == {"box"}


async def test_without_os_stack_id_the_reference_is_the_nested_stack_id(
    service: StackService,
) -> None:
    top = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          web: {type: server.yaml, properties: {name: api}}
          ref: {type: OS::Heat::Value, properties: {value: {get_resource: web}}}
        outputs:
          ref: {value: {get_attr: [ref, value]}}
        """
    )
    done = await created(service, "plain", top, files={"server.yaml": SERVER})
    (child,) = await children(service, done)
    assert outputs(await service.outputs(done)) == {"ref": child.id}


async def test_an_update_changes_the_nested_stack_in_place(service: StackService) -> None:
    top = """\
        heat_template_version: 2016-10-14
        resources:
          web: {type: server.yaml, properties: {name: NAME}}
        outputs:
          address: {value: {get_attr: [web, address]}}
        """
    files = {"server.yaml": SERVER}
    done = await created(service, "grow", template(top.replace("NAME", "one")), files=files)
    (before,) = await children(service, done)
    await service.update_stack("grow", template(top.replace("NAME", "two")), files=files)
    updated = await service.wait(done.id, timeout=30)
    assert updated is not None
    assert (updated.action, updated.status) == ("UPDATE", "COMPLETE"), updated.status_reason
    (after,) = await children(service, updated)
    assert after.id == before.id
    assert (after.action, after.status) == ("UPDATE", "COMPLETE")
    assert outputs(await service.outputs(updated)) == {"address": "two-"}


async def test_a_failing_nested_resource_fails_the_parent_naming_it(
    service: StackService,
) -> None:
    broken = textwrap.dedent(
        """\
        heat_template_version: 2016-10-14
        resources:
          disk: {type: OS::Heat::TestResource, properties: {fail: true}}
        """
    )
    top = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          web: {type: broken.yaml}
        """
    )
    done = await created(service, "sad", top, files={"broken.yaml": broken})
    assert (done.action, done.status) == ("CREATE", "FAILED")
    (child,) = await children(service, done)
    assert (child.action, child.status) == ("CREATE", "FAILED")
    web = {r.name: r for r in await service.resources(done)}["web"]
    assert web.status == "FAILED"
    assert web.status_reason == (
        "ResourceFailure: resources.web: Resource CREATE failed: "
        f"{child.status_reason.removeprefix('Resource CREATE failed: ')}"
    )
    assert "resources.disk: Test Resource failed disk" in web.status_reason
    assert done.status_reason == f"Resource CREATE failed: {web.status_reason}"
    # Deleting the failed parent leaves no child behind.
    await service.delete_stack("sad")
    assert await service.wait(done.id, timeout=30) is None
    assert await service.store.stacks.list(show_nested=True) == []


async def test_deleting_the_parent_deletes_its_nested_stacks(service: StackService) -> None:
    inner = textwrap.dedent(
        """\
        heat_template_version: 2016-10-14
        resources:
          deeper: {type: server.yaml, properties: {name: x}}
        """
    )
    top = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          outer: {type: inner.yaml}
        """
    )
    done = await created(service, "deep", top, files={"inner.yaml": inner, "server.yaml": SERVER})
    assert (done.action, done.status) == ("CREATE", "COMPLETE"), done.status_reason
    everything = await service.store.stacks.list(show_nested=True)
    assert sorted(s.nested_depth for s in everything) == [0, 1, 2]
    await service.delete_stack("deep")
    assert await service.wait(done.id, timeout=30) is None
    assert await service.store.stacks.list(show_nested=True) == []


async def test_a_nested_stack_beyond_the_depth_limit_fails_with_heats_message(
    service: StackService, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALOR_MAX_NESTED_STACK_DEPTH", "1")
    innermost = "heat_template_version: 2016-10-14\n"
    middle = (
        "heat_template_version: 2016-10-14\n"
        "resources:\n"
        "  again:\n"
        "    type: OS::Heat::Stack\n"
        f"    properties: {{template: {innermost!r}}}\n"
    )
    top = {
        "heat_template_version": "2016-10-14",
        "resources": {"outer": {"type": "OS::Heat::Stack", "properties": {"template": middle}}},
    }
    done = await created(service, "limit", top)
    assert (done.action, done.status) == ("CREATE", "FAILED")
    (child,) = await children(service, done)
    again = {r.name: r for r in await service.resources(child)}["again"]
    assert again.status_reason == (
        "RequestLimitExceeded: resources.again: Request limit exceeded: "
        "Recursion depth exceeds 1."
    )
    # Nothing was created below the limit.
    assert await service.store.stacks.list(owner_id=child.id) == []


async def test_provider_templates_three_deep_create_update_and_delete(
    service: StackService,
) -> None:
    # top -> mid.yaml -> leaf.yaml -> a RandomString: values flow up through each level.
    leaf = (
        "heat_template_version: 2016-10-14\n"
        "parameters: {length: {type: number}}\n"
        "resources:\n"
        "  secret: {type: OS::Heat::RandomString, properties: {length: {get_param: length}}}\n"
        "outputs: {secret: {value: {get_attr: [secret, value]}}}\n"
    )
    mid = (
        "heat_template_version: 2016-10-14\n"
        "parameters: {length: {type: number}}\n"
        "resources:\n"
        "  inner: {type: leaf.yaml, properties: {length: {get_param: length}}}\n"
        "outputs: {secret: {value: {get_attr: [inner, secret]}}}\n"
    )
    top = template(
        """\
        heat_template_version: 2016-10-14
        parameters: {length: {type: number, default: 6}}
        resources:
          outer: {type: mid.yaml, properties: {length: {get_param: length}}}
        outputs:
          secret: {value: {get_attr: [outer, secret]}}
        """
    )
    files = {"mid.yaml": mid, "leaf.yaml": leaf}
    done = await created(service, "deep", top, files=files)
    assert (done.action, done.status) == ("CREATE", "COMPLETE")
    assert len(outputs(await service.outputs(done))["secret"]) == 6
    (second,) = await children(service, done)
    (third,) = await children(service, second)
    assert (second.nested_depth, third.nested_depth) == (1, 2)
    assert {r.name for r in await service.resources(third)} == {"secret"}

    updating = await service.update_stack("deep", top, files=files, parameters={"length": 9})
    updated = await service.wait(updating.id, timeout=30)
    assert updated is not None and (updated.action, updated.status) == ("UPDATE", "COMPLETE")
    assert len(outputs(await service.outputs(updated))["secret"]) == 9

    await service.delete_stack("deep")
    assert await service.wait(done.id, timeout=30) is None
    for child in (second, third):
        assert await service.store.stacks.list(owner_id=child.id, show_deleted=False) == []
    live = await service.store.stacks.list(None, show_nested=True)
    assert [s.name for s in live] == []
