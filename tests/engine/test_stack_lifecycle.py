"""Creating and deleting stacks through the engine, on every database."""

from __future__ import annotations

import textwrap

from calor.service.stacks import StackService
from calor.template.loader import load_template


def template(text: str) -> dict[str, object]:
    return load_template(textwrap.dedent(text))


CHAIN = template(
    """\
    heat_template_version: 2016-10-14
    parameters:
      greeting: {type: string, default: hello}
    resources:
      net: {type: OS::Heat::RandomString, properties: {length: 8}}
      db:
        type: OS::Heat::Value
        properties: {value: {get_attr: [net, value]}}
      web:
        type: OS::Heat::Value
        properties:
          value: {list_join: ["-", [{get_param: greeting}, {get_attr: [db, value]}]]}
    outputs:
      web: {value: {get_attr: [web, value]}, description: the web value}
      net: {value: {get_resource: net}}
    """
)


async def test_create_builds_every_resource_and_completes(service: StackService) -> None:
    stack = await service.create_stack("chain", CHAIN)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    assert (done.action, done.status) == ("CREATE", "COMPLETE")
    assert done.status_reason == "Stack CREATE completed successfully"
    resources = {r.name: r for r in await service.resources(done)}
    assert {r.status for r in resources.values()} == {"COMPLETE"}
    assert resources["web"].physical_resource_id == f"chain-web-{_short(resources['web'].uuid)}"


async def test_outputs_are_resolved_from_the_resources(service: StackService) -> None:
    stack = await service.create_stack("chain", CHAIN)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    outputs = {o["output_key"]: o for o in await service.outputs(done)}
    secret = outputs["net"]["output_value"]
    assert len(secret) == 8
    assert outputs["web"] == {"output_key": "web", "description": "the web value",
                              "output_value": f"hello-{secret}"}


async def test_resources_start_only_after_their_requirements_complete(
    service: StackService,
) -> None:
    stack = await service.create_stack("chain", CHAIN)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    order = [(e.resource_name, e.resource_status) for e in await service.events(done)]
    assert order[0] == ("chain", "IN_PROGRESS")
    assert order[-1] == ("chain", "COMPLETE")
    assert order.index(("net", "COMPLETE")) < order.index(("db", "IN_PROGRESS"))
    assert order.index(("db", "COMPLETE")) < order.index(("web", "IN_PROGRESS"))


async def test_independent_resources_run_at_the_same_time(service: StackService) -> None:
    fan = template(
        "heat_template_version: 2016-10-14\nresources:\n" + "".join(
            f"  r{i}: {{type: OS::Heat::TestResource, properties: {{wait_secs: 0.2}}}}\n"
            for i in range(10)
        )
    )
    stack = await service.create_stack("fan", fan)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and done.status == "COMPLETE"
    statuses = [e.resource_status for e in await service.events(done)
                if e.resource_name != "fan"]
    # Every resource started before any finished: none waited for another.
    assert statuses.index("COMPLETE") >= 10


async def test_a_failing_resource_fails_the_stack_and_its_dependents_never_start(
    service: StackService,
) -> None:
    failing = template(
        """\
        heat_template_version: 2016-10-14
        resources:
          ok: {type: OS::Heat::TestResource}
          bad: {type: OS::Heat::TestResource, properties: {fail: true}, depends_on: ok}
          after: {type: OS::Heat::None, depends_on: bad}
        """
    )
    stack = await service.create_stack("failing", failing)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    assert (done.action, done.status) == ("CREATE", "FAILED")
    assert done.status_reason == (
        "Resource CREATE failed: ResourceFailure: resources.bad: Test Resource failed bad"
    )
    states = {r.name: (r.action, r.status) for r in await service.resources(done)}
    assert states == {"ok": ("CREATE", "COMPLETE"), "bad": ("CREATE", "FAILED"),
                      "after": ("INIT", "COMPLETE")}


async def test_delete_removes_resources_in_reverse_order_and_the_stack(
    service: StackService,
) -> None:
    stack = await service.create_stack("chain", CHAIN)
    assert await service.wait(stack.id, timeout=30) is not None
    before = await service.events(stack)
    deleting = await service.delete_stack("chain")
    assert await service.wait(deleting.id, timeout=30) is None
    assert await service.list_stacks() == []
    events = (await service.events(stack))[len(before):]
    order = [(e.resource_name, e.resource_status) for e in events]
    assert order.index(("web", "COMPLETE")) < order.index(("db", "IN_PROGRESS"))
    assert order.index(("db", "COMPLETE")) < order.index(("net", "IN_PROGRESS"))
    assert order[-1] == ("chain", "COMPLETE")


async def test_an_empty_template_makes_a_complete_stack(service: StackService) -> None:
    stack = await service.create_stack("empty", template("heat_template_version: 2016-10-14\n"))
    done = await service.wait(stack.id, timeout=30)
    assert done is not None and (done.action, done.status) == ("CREATE", "COMPLETE")


def _short(resource_uuid: str) -> str:
    from calor.engine.physical_name import short_id

    return short_id(resource_uuid)


V1 = template(
    """\
    heat_template_version: 2016-10-14
    parameters:
      word: {type: string, default: one}
      length: {type: number, default: 8}
    resources:
      secret: {type: OS::Heat::RandomString, properties: {length: {get_param: length}}}
      label:
        type: OS::Heat::TestResource
        properties: {value: {get_param: word}}
      uses:
        type: OS::Heat::Value
        properties: {value: {get_resource: secret}}
      old: {type: OS::Heat::None}
    outputs:
      label: {value: {get_attr: [label, output]}}
      uses: {value: {get_attr: [uses, value]}}
      secret: {value: {get_resource: secret}}
    """
)


async def test_update_changes_in_place_replaces_and_removes(service: StackService) -> None:
    created = await service.wait((await service.create_stack("up", V1)).id, timeout=30)
    assert created is not None
    before = {r.name: r for r in await service.resources(created)}
    v2 = {**V1, "resources": {k: v for k, v in V1["resources"].items() if k != "old"}}
    updating = await service.update_stack("up", v2, parameters={"word": "two", "length": 12})
    done = await service.wait(updating.id, timeout=30)
    assert done is not None
    assert (done.action, done.status, done.status_reason) == (
        "UPDATE", "COMPLETE", "Stack UPDATE completed successfully"
    )
    after = {r.name: r for r in await service.resources(done)}
    assert set(after) == {"secret", "label", "uses"}
    # TestResource's value is update_allowed: same resource, updated in place.
    assert after["label"].id == before["label"].id
    assert (after["label"].action, after["label"].status) == ("UPDATE", "COMPLETE")
    # RandomString's length is not: a new resource replaced the old one.
    assert after["secret"].id != before["secret"].id
    outputs = {o["output_key"]: o["output_value"] for o in await service.outputs(done)}
    assert outputs["label"] == "two"
    assert len(outputs["secret"]) == 12
    assert outputs["uses"] == outputs["secret"]


async def test_update_of_an_unchanged_template_changes_nothing(service: StackService) -> None:
    created = await service.wait((await service.create_stack("same", V1)).id, timeout=30)
    assert created is not None
    before = {r.name: (r.id, r.physical_resource_id) for r in await service.resources(created)}
    done = await service.wait((await service.update_stack("same", V1)).id, timeout=30)
    assert done is not None and (done.action, done.status) == ("UPDATE", "COMPLETE")
    after = {r.name: (r.id, r.physical_resource_id) for r in await service.resources(done)}
    assert after == before
