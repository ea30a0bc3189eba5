"""OS::Heat::ResourceChain: resources of listed types, one after another."""

from __future__ import annotations

import copy
from typing import Any

from calor.resources.heat.resource_group import group_attribute, member_template
from calor.resources.nested import ChildStack, StackResource
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


class ResourceChain(StackResource):
    """Creates one resource per listed type, in a nested stack, all with the same properties.

    Unless ``concurrent`` is true, each member depends on the one before it.
    Members are the resources ``"0"``, ``"1"``, ... of the child stack.
    """

    type_name = "OS::Heat::ResourceChain"
    support_status = SupportStatus(version="6.0.0")
    accepts_any_attribute = True
    properties_schema = {
        "resources": PropertySchema(
            PropertyType.LIST,
            "The members' resource types (names or resource_registry aliases, not template files).",
            required=True,
            update_allowed=True,
        ),
        "concurrent": PropertySchema(
            PropertyType.BOOLEAN,
            "Create all members at once instead of each after the previous one.",
            default=False,
        ),
        "resource_properties": PropertySchema(
            PropertyType.MAP,
            "The properties given to every member.",
        ),
    }
    attributes_schema = {
        "refs": AttributeSchema(
            "The members' resource IDs, in chain order.", type=AttributeType.LIST
        ),
        "attributes": AttributeSchema(
            "One attribute of every member, by member name.", type=AttributeType.MAP
        ),
    }

    async def child_stack(self) -> ChildStack:
        types = self.properties.get("resources") or []
        shared = self.properties.get("resource_properties") or {}
        concurrent = bool(self.properties.get("concurrent"))
        members: dict[str, dict[str, Any]] = {}
        for index, member_type in enumerate(types):
            body: dict[str, Any] = {"type": member_type}
            if shared:
                body["properties"] = copy.deepcopy(dict(shared))
            if index and not concurrent:
                body["depends_on"] = [str(index - 1)]
            members[str(index)] = body
        return ChildStack(template=member_template(members, self.wanted_attributes()))

    async def resolve_attribute(self, name: str) -> Any:
        return group_attribute(name, await self.child_outputs(), self.wanted_attributes())
