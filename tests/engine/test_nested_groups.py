"""OS::Heat::ResourceGroup and OS::Heat::ResourceChain: members in a nested stack."""

from __future__ import annotations

import textwrap
from typing import Any

from calor.service.stacks import StackService
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str, **values: Any) -> dict[str, Any]:
    return load_template(text.format(**values))


GROUP = textwrap.dedent("""\
    heat_template_version: 2016-10-14
    resources:
      group:
        type: OS::Heat::ResourceGroup
        properties:
          count: {count}
          index_var: "@n@"
          removal_policies: {removals}
          resource_def:
            type: OS::Heat::Value
            properties: {{value: "box-@n@"}}
    outputs:
      values: {{value: {{get_attr: [group, value]}}}}
      by_name: {{value: {{get_attr: [group, attributes, value]}}}}
      first: {{value: {{get_attr: [group, resource.0.value]}}}}
      first_ref: {{value: {{get_attr: [group, resource.0]}}}}
      refs: {{value: {{get_attr: [group, refs]}}}}
      refs_map: {{value: {{get_attr: [group, refs_map]}}}}
      removed: {{value: {{get_attr: [group, removed_rsrc_list]}}}}
    """)


async def settled(service: StackService, stack: StackRecord) -> StackRecord:
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    assert done.status == "COMPLETE", done.status_reason
    return done


async def outputs(service: StackService, stack: StackRecord) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in await service.outputs(stack)}


async def members(service: StackService, stack: StackRecord) -> list[str]:
    """The names of the group's members (all complete), from its nested stack."""
    (child,) = await service.store.stacks.list(owner_id=stack.id)
    rows = await service.resources(child)
    assert {r.status for r in rows} <= {"COMPLETE"}
    return sorted(r.name for r in rows)


async def test_a_group_creates_count_members_with_their_index(service: StackService) -> None:
    stack = await service.create_stack("g", template(GROUP, count=3, removals="[]"))
    done = await settled(service, stack)
    assert await members(service, done) == ["0", "1", "2"]
    out = await outputs(service, done)
    assert out["values"] == ["box-0", "box-1", "box-2"]
    assert out["by_name"] == {"0": "box-0", "1": "box-1", "2": "box-2"}
    assert out["first"] == "box-0"
    assert out["refs"] == [out["refs_map"][n] for n in ("0", "1", "2")]
    assert out["first_ref"] == out["refs_map"]["0"]
    assert out["removed"] == []


async def test_scaling_up_adds_members_and_down_removes_the_highest_first(
    service: StackService,
) -> None:
    stack = await service.create_stack("g", template(GROUP, count=3, removals="[]"))
    done = await settled(service, stack)
    first_refs = (await outputs(service, done))["refs_map"]
    await service.update_stack("g", template(GROUP, count=5, removals="[]"))
    done = await settled(service, done)
    assert await members(service, done) == ["0", "1", "2", "3", "4"]
    out = await outputs(service, done)
    # The members that were there are kept as they were.
    assert {n: out["refs_map"][n] for n in first_refs} == first_refs
    await service.update_stack("g", template(GROUP, count=2, removals="[]"))
    done = await settled(service, done)
    assert await members(service, done) == ["0", "1"]
    assert (await outputs(service, done))["values"] == ["box-0", "box-1"]


async def test_removal_policies_remove_the_named_members_for_good(
    service: StackService,
) -> None:
    stack = await service.create_stack("g", template(GROUP, count=4, removals="[]"))
    done = await settled(service, stack)
    ref_of_2 = (await outputs(service, done))["refs_map"]["2"]
    # One by name, one by its reference (as the refs attribute gives it).
    removals = f'[{{resource_list: ["1", "{ref_of_2}"]}}]'
    await service.update_stack("g", template(GROUP, count=3, removals=removals))
    done = await settled(service, done)
    assert await members(service, done) == ["0", "3", "4"]
    out = await outputs(service, done)
    assert out["removed"] == ["1", "2"]
    assert out["values"] == ["box-0", "box-3", "box-4"]
    # Removed names are never used again, even once the policy is gone ...
    await service.update_stack("g", template(GROUP, count=4, removals="[]"))
    done = await settled(service, done)
    assert await members(service, done) == ["0", "3", "4", "5"]


async def test_removal_policies_mode_update_forgets_earlier_removals(
    service: StackService,
) -> None:
    stack = await service.create_stack(
        "g", template(GROUP, count=2, removals='[{resource_list: ["0"]}]')
    )
    done = await settled(service, stack)
    assert await members(service, done) == ["1", "2"]
    text = GROUP.replace("removal_policies: {removals}",
                         "removal_policies: []\n      removal_policies_mode: update")
    await service.update_stack("g", template(text, count=2))
    done = await settled(service, done)
    assert await members(service, done) == ["0", "1"]
    assert (await outputs(service, done))["removed"] == []


async def test_a_failing_member_fails_the_group_naming_the_member(
    service: StackService,
) -> None:
    tmpl = template(textwrap.dedent(
        """\
        heat_template_version: 2016-10-14
        resources:
          group:
            type: OS::Heat::ResourceGroup
            properties:
              count: 2
              resource_def:
                type: OS::Heat::TestResource
                properties: {{fail: true}}
        """
    ))
    stack = await service.create_stack("bad", tmpl)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    assert (done.action, done.status) == ("CREATE", "FAILED")
    group = (await service.resources(done))[0]
    assert group.status_reason.startswith(
        "ResourceFailure: resources.group: Resource CREATE failed: "
    )
    assert "Test Resource failed" in group.status_reason
    assert any(f"resources.{n}: " in group.status_reason for n in ("0", "1"))


CHAIN = textwrap.dedent("""\
    heat_template_version: 2016-10-14
    resources:
      chain:
        type: OS::Heat::ResourceChain
        properties:
          concurrent: {concurrent}
          resources: [OS::Heat::TestResource, OS::Heat::TestResource, OS::Heat::TestResource]
          resource_properties: {{value: linked, wait_secs: 0.1}}
    outputs:
      refs: {{value: {{get_attr: [chain, refs]}}}}
      values: {{value: {{get_attr: [chain, attributes, output]}}}}
      last: {{value: {{get_attr: [chain, resource.2.output]}}}}
    """)


async def created_times(service: StackService, stack: StackRecord) -> dict[str, tuple[Any, Any]]:
    """When each member started and finished its create, from the nested stack's events."""
    (child,) = await service.store.stacks.list(owner_id=stack.id)
    found: dict[str, list[Any]] = {}
    for event in await service.events(child):
        if event.resource_name != child.name and event.resource_action == "CREATE":
            found.setdefault(event.resource_name, []).append(event.sequence)
    return {name: (min(seqs), max(seqs)) for name, seqs in found.items()}


async def test_a_chain_creates_each_member_after_the_one_before(service: StackService) -> None:
    stack = await service.create_stack("chain", template(CHAIN, concurrent="false"))
    done = await settled(service, stack)
    times = await created_times(service, done)
    assert times["0"][1] < times["1"][0] and times["1"][1] < times["2"][0]
    out = await outputs(service, done)
    assert len(out["refs"]) == 3
    assert out["values"] == {"0": "linked", "1": "linked", "2": "linked"}
    assert out["last"] == "linked"


async def test_a_concurrent_chain_starts_every_member_at_once(service: StackService) -> None:
    stack = await service.create_stack("chain", template(CHAIN, concurrent="true"))
    done = await settled(service, stack)
    times = await created_times(service, done)
    assert max(start for start, _ in times.values()) < min(end for _, end in times.values())


ROLLING = textwrap.dedent("""\
    heat_template_version: 2016-10-14
    parameters:
      value: {{type: string, default: one}}
    resources:
      group:
        type: OS::Heat::ResourceGroup
        update_policy:
          rolling_update: {{max_batch_size: {batch}, min_in_service: {keep}}}
        properties:
          count: {count}
          resource_def:
            type: OS::Heat::TestResource
            properties: {{value: {{get_param: value}}, action_wait_secs: {{update: 0.1}}}}
    outputs:
      values: {{value: {{get_attr: [group, output]}}}}
    """)


async def member_updates(service: StackService, stack: StackRecord) -> list[tuple[str, str]]:
    """The members' update events, in order, from the group's nested stack."""
    (child,) = await service.store.stacks.list(owner_id=stack.id)
    return [(e.resource_name, e.resource_status) for e in await service.events(child)
            if e.resource_action == "UPDATE" and e.resource_name != child.name]


async def test_a_rolling_update_changes_members_a_batch_at_a_time_highest_first(
    service: StackService,
) -> None:
    rolling = template(ROLLING, batch=1, keep=0, count=3)
    stack = await settled(service, await service.create_stack("roll", rolling))
    updated = await settled(service, await service.update_stack(
        "roll", rolling, parameters={"value": "two"}))
    assert (updated.action, updated.status) == ("UPDATE", "COMPLETE")
    assert (await outputs(service, updated))["values"] == ["two", "two", "two"]
    # One member at a time: each finishes before the next starts, "2" first.
    assert await member_updates(service, stack) == [
        ("2", "IN_PROGRESS"), ("2", "COMPLETE"),
        ("1", "IN_PROGRESS"), ("1", "COMPLETE"),
        ("0", "IN_PROGRESS"), ("0", "COMPLETE"),
    ]


async def test_min_in_service_limits_the_batch(service: StackService) -> None:
    # Batches of up to 3, but 2 of the 4 must stay in service: two at a time.
    rolling = template(ROLLING, batch=3, keep=2, count=4)
    stack = await settled(service, await service.create_stack("roll", rolling))
    await settled(service, await service.update_stack(
        "roll", rolling, parameters={"value": "two"}))
    order = [name for name, status in await member_updates(service, stack)
             if status == "COMPLETE"]
    events = await member_updates(service, stack)
    # "3" and "2" both finish before "1" or "0" starts.
    first_of_second_batch = min(events.index(("1", "IN_PROGRESS")),
                                events.index(("0", "IN_PROGRESS")))
    assert {n for n, _ in events[:first_of_second_batch]} == {"3", "2"}
    assert sorted(order) == ["0", "1", "2", "3"]
