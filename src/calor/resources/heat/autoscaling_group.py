"""OS::Heat::AutoScalingGroup: a scaling group of any resource, defined in HOT."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The ``rolling_updates`` property's keys.
ROLLING_UPDATES_SCHEMA = {
    "min_in_service": PropertySchema(
        PropertyType.INTEGER,
        "The fewest members to keep in service while a rolling update runs.",
        constraints=[Range(min=0)],
        default=0,
    ),
    "max_batch_size": PropertySchema(
        PropertyType.INTEGER,
        "The most members to replace at a time.",
        constraints=[Range(min=1)],
        default=1,
    ),
    "pause_time": PropertySchema(
        PropertyType.NUMBER,
        "Seconds to pause between batches.",
        constraints=[Range(min=0)],
        default=0,
    ),
}


def _size(what: str) -> PropertySchema:
    return PropertySchema(
        PropertyType.INTEGER,
        f"The {what} number of members.",
        required=True,
        update_allowed=True,
        constraints=[Range(min=0)],
    )


# Heat derives this class from AWS::AutoScaling::AutoScalingGroup's. The aws
# package builds on this one, so this one never imports it (no import cycle);
# every schema is declared anew anyway.
class AutoScalingResourceGroup(Resource):
    """Keeps between ``min_size`` and ``max_size`` copies of one resource definition.

    Members may be of any type (a server with its wait condition, a whole
    provider template, ...), written as a template resource would be.
    OS::Heat::ScalingPolicy resizes the group; changing ``resource``
    replaces members in batches as ``rolling_updates`` says.
    """

    type_name = "OS::Heat::AutoScalingGroup"
    support_status = SupportStatus(version="2014.1")
    # outputs, outputs_list and resource.N reach into the members.
    accepts_any_attribute = True
    properties_schema = {
        "resource": PropertySchema(
            PropertyType.MAP,
            "The definition of every member, as a HOT template resource would be written.",
            required=True,
            update_allowed=True,
        ),
        "max_size": _size("largest"),
        "min_size": _size("smallest"),
        "cooldown": PropertySchema(
            PropertyType.INTEGER,
            "Seconds after a scaling action during which no other may start.",
            update_allowed=True,
        ),
        "desired_capacity": PropertySchema(
            PropertyType.INTEGER, "How many members to start with.", update_allowed=True
        ),
        "rolling_updates": PropertySchema(
            PropertyType.MAP,
            "How members are replaced when the definition changes.",
            update_allowed=True,
            schema=ROLLING_UPDATES_SCHEMA,
            default={"min_in_service": 0, "max_batch_size": 1, "pause_time": 0},
        ),
    }
    attributes_schema = {
        "outputs": AttributeSchema(
            "One attribute of every member, by member name (give the attribute as the path).",
            type=AttributeType.MAP,
            support_status=SupportStatus(version="2014.2"),
        ),
        "outputs_list": AttributeSchema(
            "One attribute of every member, as a list (give the attribute as the path).",
            type=AttributeType.LIST,
            support_status=SupportStatus(version="2014.2"),
        ),
        "current_size": AttributeSchema(
            "How many members the group holds now.",
            type=AttributeType.INTEGER,
            support_status=SupportStatus(version="2015.1"),
        ),
        "refs": AttributeSchema(
            "The members' resource IDs.",
            type=AttributeType.LIST,
            support_status=SupportStatus(version="7.0.0"),
        ),
        "refs_map": AttributeSchema(
            "The members' resource IDs by member name.",
            type=AttributeType.MAP,
            support_status=SupportStatus(version="7.0.0"),
        ),
    }
    # No update policy: unlike the AWS group, rolling replacement is set by a property.
