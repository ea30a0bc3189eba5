"""OS::Heat::ResourceGroup: a number of identical resources in a nested stack."""

from __future__ import annotations

from calor.resources.base import Resource
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


class ResourceGroup(Resource):
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
