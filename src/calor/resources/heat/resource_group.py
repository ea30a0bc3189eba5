"""OS::Heat::ResourceGroup: a number of identical resources in a nested stack.

Members are the resources ``"0"``, ``"1"``, ... of a child stack built from
a generated template (HOT 2015-04-30, as Heat's). Members named by
``removal_policies`` go on a skip-list kept in the resource's data, so a
removed name is never used again; a smaller ``count`` drops the highest
indices. The attributes the stack reads of the group become outputs of the
child (as Heat does), and the group's attributes are read from those.

A ``rolling_update`` policy changes the members' definition in batches of
``max_batch_size`` (keeping ``min_in_service`` members out of each batch),
highest index first as in Heat, pausing ``pause_time`` seconds between
batches; a change of ``count`` comes with the last one. Simplified from
Heat: ``batch_create`` is accepted, but a create makes every member at once.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from calor.resources.nested import AttributeReference, ChildStack, StackResource
from calor.template.constraints import AllowedValues, Length, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: How an update treats the removal_policies it is given.
REMOVAL_POLICIES_MODES = ("append", "update")


def _max_batch_size(what: str) -> PropertySchema:
    return PropertySchema(
        PropertyType.INTEGER,
        f"The most members to {what} at a time.",
        constraints=[Range(min=1)],
        default=1,
    )


def _pause_time() -> PropertySchema:
    return PropertySchema(
        PropertyType.NUMBER,
        "Seconds to pause between batches.",
        constraints=[Range(min=0)],
        default=0,
    )


ROLLING_UPDATE_SCHEMA = {
    "min_in_service": PropertySchema(
        PropertyType.INTEGER,
        "The fewest members to keep in service while a rolling update runs.",
        constraints=[Range(min=0)],
        default=0,
    ),
    "max_batch_size": _max_batch_size("replace"),
    "pause_time": _pause_time(),
}

BATCH_CREATE_SCHEMA = {
    "max_batch_size": _max_batch_size("create"),
    "pause_time": _pause_time(),
}


class ResourceGroup(StackResource):
    """Creates ``count`` resources from one definition, in a nested stack.

    ``%index%`` (or the chosen ``index_var``) in the definition becomes each
    member's index. Attributes ``resource.N`` and ``resource.N.attr`` reach
    single members; any other attribute lists the members' values.
    """

    type_name = "OS::Heat::ResourceGroup"
    support_status = SupportStatus(version="2014.1")
    accepts_any_attribute = True
    properties_schema = {
        "count": PropertySchema(
            PropertyType.INTEGER,
            "How many resources the group holds.",
            default=1,
            constraints=[Range(min=0)],
            update_allowed=True,
        ),
        "index_var": PropertySchema(
            PropertyType.STRING,
            "The text replaced by each member's index in its definition.",
            default="%index%",
            constraints=[Length(min=3)],
            support_status=SupportStatus(version="2014.2"),
        ),
        "resource_def": PropertySchema(
            PropertyType.MAP,
            "The definition of every member, as a template resource would be written.",
            schema={
                "type": PropertySchema(
                    PropertyType.STRING, "The members' resource type.", required=True
                ),
                "properties": PropertySchema(PropertyType.MAP, "The members' properties."),
                "metadata": PropertySchema(
                    PropertyType.MAP,
                    "The members' metadata.",
                    support_status=SupportStatus(version="5.0.0"),
                ),
            },
            required=True,
            update_allowed=True,
        ),
        "removal_policies": PropertySchema(
            PropertyType.LIST,
            "Which members to remove on update.",
            schema=PropertySchema(
                PropertyType.MAP,
                "Members an update must remove.",
                schema={
                    "resource_list": PropertySchema(
                        PropertyType.LIST,
                        "Members to remove, by name in the nested stack or by reference "
                        "(as in the refs attribute). A removed name is never used again.",
                        default=[],
                    ),
                },
            ),
            update_allowed=True,
            default=[],
            support_status=SupportStatus(version="2015.1"),
        ),
        "removal_policies_mode": PropertySchema(
            PropertyType.STRING,
            "Whether new removal_policies add to the remembered ones (append) "
            "or replace them (update).",
            default="append",
            constraints=[AllowedValues(REMOVAL_POLICIES_MODES)],
            update_allowed=True,
            support_status=SupportStatus(version="10.0.0"),
        ),
    }
    attributes_schema = {
        "refs": AttributeSchema(
            "The members' resource IDs, in index order.", type=AttributeType.LIST
        ),
        "refs_map": AttributeSchema(
            "The members' resource IDs by member name.",
            type=AttributeType.MAP,
            support_status=SupportStatus(version="7.0.0"),
        ),
        "attributes": AttributeSchema(
            "One attribute of every member, by member name "
            "(needs heat_template_version 2014-10-16 or later).",
            type=AttributeType.MAP,
            support_status=SupportStatus(version="2014.2"),
        ),
        "removed_rsrc_list": AttributeSchema(
            "The names of members removed so far.",
            type=AttributeType.LIST,
            support_status=SupportStatus(version="7.0.0"),
        ),
    }
    update_policy_schema = {
        "rolling_update": PropertySchema(
            PropertyType.MAP,
            schema=ROLLING_UPDATE_SCHEMA,
            support_status=SupportStatus(version="5.0.0"),
        ),
        "batch_create": PropertySchema(
            PropertyType.MAP,
            schema=BATCH_CREATE_SCHEMA,
            support_status=SupportStatus(version="5.0.0"),
        ),
    }

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        policy = self.update_policy.get("rolling_update")
        before = self.properties
        if policy is not None and "resource_def" in changed and self.ctx.physical_resource_id:
            await self._roll(before, properties, policy)
        await super().update(properties, changed)

    async def _roll(
        self, before: Mapping[str, Any], after: Mapping[str, Any], policy: Mapping[str, Any]
    ) -> None:
        """Move the members already there to the new definition, a batch at a time."""
        nested, ctx = self._nested()
        child_id = self.ctx.physical_resource_id
        assert child_id is not None
        refs_map = (await self.child_outputs()).get("refs_map") or {}
        existing = sorted(refs_map, key=_index_order, reverse=True)
        size = max(int(policy.get("max_batch_size", 1) or 1), 1)
        keep = int(policy.get("min_in_service", 0) or 0)
        size = min(size, max(len(existing) - keep, 1))
        pause = float(policy.get("pause_time", 0) or 0)
        old_def = before.get("resource_def") or {}
        new_def = after.get("resource_def") or {}
        index_var = after.get("index_var") or "%index%"
        for start in range(0, len(existing), size):
            if start:
                await self.ctx.sleep(pause)
            updated = set(existing[: start + size])
            members = {
                name: member_definition(new_def if name in updated else old_def,
                                        index_var, name)
                for name in sorted(existing, key=_index_order)
            }
            # The members' other attributes stay readable between batches.
            template = member_template(members, self.wanted_attributes())
            await nested.update_stack(child_id, ChildStack(template=template))
            await self._wait(ctx, child_id, "UPDATE")

    async def child_stack(self) -> ChildStack:
        refs_map: Mapping[str, Any] = {}
        if self.ctx.physical_resource_id is not None:
            refs_map = (await self.child_outputs()).get("refs_map") or {}
        skip = await self._update_skiplist(list(refs_map), refs_map)
        definition = self.properties.get("resource_def") or {}
        index_var = self.properties.get("index_var") or "%index%"
        members = {
            name: member_definition(definition, index_var, name)
            for name in member_names(int(self.properties.get("count") or 0), skip)
        }
        return ChildStack(template=member_template(members, self.wanted_attributes()))

    async def resolve_attribute(self, name: str) -> Any:
        if name == "removed_rsrc_list":
            return sorted(await self.skiplist())
        return group_attribute(name, await self.child_outputs(), self.wanted_attributes())

    async def skiplist(self) -> set[str]:
        """The member names removed so far, never to be used again (Heat's name_blacklist)."""
        raw = (await self.ctx.get_data()).get(_SKIPLIST)
        return set(raw.split(",")) if raw else set()

    async def _update_skiplist(
        self, members: Sequence[str], refs_map: Mapping[str, Any]
    ) -> set[str]:
        current = await self.skiplist()
        mode = self.properties.get("removal_policies_mode") or "append"
        kept = set() if mode == "update" else set(current)
        updated = kept | set(self._removals(current, members, refs_map))
        if updated != current:
            await self.ctx.set_data(_SKIPLIST, ",".join(sorted(updated)))
        return updated

    def _removals(
        self, current: set[str], members: Sequence[str], refs_map: Mapping[str, Any]
    ) -> Iterator[str]:
        """The member names ``removal_policies`` asks to remove (names or references)."""
        exists = self.ctx.physical_resource_id is not None
        for policy in self.properties.get("removal_policies") or []:
            for item in policy.get("resource_list") or []:
                name = str(item)
                if name in current or not exists or name in members:
                    yield name
                elif isinstance(item, str):
                    found = next((n for n, ref in refs_map.items() if ref == item), None)
                    if found is not None:
                        yield found


#: Where a group keeps the names it removed (Heat's resource data key).
_SKIPLIST = "name_blacklist"

#: The version of the generated member templates, as in Heat.
MEMBER_TEMPLATE_VERSION = "2015-04-30"

#: Attributes a group computes itself rather than collecting from its members.
_GROUP_ATTRIBUTES = frozenset({"refs", "refs_map", "attributes", "removed_rsrc_list"})


def _index_order(name: str) -> tuple[int, str]:
    return (int(name), name) if name.isdigit() else (-1, name)


def member_names(count: int, skip: set[str]) -> list[str]:
    """The first ``count`` of "0", "1", ... that were not removed before."""
    names = (str(i) for i in itertools.count() if str(i) not in skip)
    return list(itertools.islice(names, count))


def member_definition(
    definition: Mapping[str, Any], index_var: str, name: str
) -> dict[str, Any]:
    """One member's resource: ``index_var`` replaced by its name in every property string."""
    body: dict[str, Any] = {"type": definition.get("type")}
    properties = definition.get("properties")
    if properties:
        # Unset properties are left out, so the member's defaults apply.
        body["properties"] = _replace_index(
            {k: v for k, v in properties.items() if v is not None}, index_var, name
        )
    if definition.get("metadata"):
        body["metadata"] = copy.deepcopy(definition["metadata"])
    return body


def _replace_index(value: Any, index_var: str, name: str) -> Any:
    if isinstance(value, str):
        return value.replace(index_var, name)
    if isinstance(value, Mapping):
        # Map keys stay as they are, as in Heat.
        return {k: _replace_index(v, index_var, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_index(v, index_var, name) for v in value]
    return value


def member_template(
    members: Mapping[str, Mapping[str, Any]], wanted: frozenset[AttributeReference]
) -> dict[str, Any]:
    """The child stack of a group: its members, and an output per attribute read of it."""
    return {
        "heat_template_version": MEMBER_TEMPLATE_VERSION,
        "resources": {name: dict(body) for name, body in members.items()},
        "outputs": member_outputs(list(members), wanted),
    }


def member_outputs(
    names: Sequence[str], wanted: frozenset[AttributeReference]
) -> dict[str, dict[str, Any]]:
    """Outputs for ``refs``, ``refs_map`` and each member attribute the parent reads.

    Named as Heat names them: the attribute and its path joined by ", ".
    """
    outputs: dict[str, dict[str, Any]] = {
        "refs": {"value": [{"get_resource": n} for n in names]},
        "refs_map": {"value": {n: {"get_resource": n} for n in names}},
    }
    for ref in sorted(wanted, key=lambda r: [str(p) for p in r]):
        key, path = ref[0], ref[1:]
        if key.startswith("resource."):
            parts = key.split(".", 2)
            if len(parts) == 3 and parts[1] in names:
                outputs[key] = {"value": {"get_attr": [parts[1], parts[2]]}}
        elif key == "attributes":
            if path and isinstance(path[0], str):
                outputs[f"attributes, {path[0]}"] = {
                    "value": {n: {"get_attr": [n, path[0]]} for n in names}
                }
        elif key not in _GROUP_ATTRIBUTES:
            outputs[key] = {"value": [{"get_attr": [n, key]} for n in names]}
    return outputs


def group_attribute(
    name: str, outputs: Mapping[str, Any], wanted: frozenset[AttributeReference]
) -> Any:
    """A group attribute, from the outputs :func:`member_outputs` gave its child.

    ``attributes`` is kept by member attribute (``[group, attributes, x]``
    reads its ``x``); ``resource.N`` is member N's reference.
    """
    if name == "attributes":
        return {
            str(ref[1]): outputs.get(f"attributes, {ref[1]}")
            for ref in wanted
            if ref[0] == "attributes" and len(ref) > 1
        }
    if name.startswith("resource.") and len(name.split(".", 2)) == 2:
        return (outputs.get("refs_map") or {}).get(name.split(".", 2)[1])
    return outputs.get(name)
