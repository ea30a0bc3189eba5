"""OS::Heat::ResourceChain: resources of listed types, one after another."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


class ResourceChain(Resource):
    """Creates one resource per listed type, in a nested stack, all with the same properties.

    Unless ``concurrent`` is true, each member depends on the one before it.
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
