"""OS::Heat::ScalingPolicy: resizes an OS::Heat::AutoScalingGroup when signalled."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: How ``scaling_adjustment`` is applied to the group's size.
ADJUSTMENT_TYPES = ("change_in_capacity", "exact_capacity", "percent_change_in_capacity")


class AutoScalingPolicy(Resource):
    """Changes the size of an OS::Heat::AutoScalingGroup each time it is signalled.

    Alarms usually signal it through ``alarm_url`` or ``signal_url``. For
    AWS::AutoScaling::AutoScalingGroup use AWS::AutoScaling::ScalingPolicy.
    """

    type_name = "OS::Heat::ScalingPolicy"
    properties_schema = {
        "auto_scaling_group_id": PropertySchema(
            PropertyType.STRING, "ID of the group the policy resizes.", required=True
        ),
        "scaling_adjustment": PropertySchema(
            PropertyType.NUMBER,
            "How much to change the size by (see adjustment_type).",
            required=True,
            update_allowed=True,
        ),
        "adjustment_type": PropertySchema(
            PropertyType.STRING,
            "Whether scaling_adjustment is added, set, or a percentage of the size.",
            required=True,
            constraints=[AllowedValues(ADJUSTMENT_TYPES)],
            update_allowed=True,
        ),
        "cooldown": PropertySchema(
            PropertyType.NUMBER,
            "Seconds after a scaling action during which the policy does nothing.",
            update_allowed=True,
        ),
        "min_adjustment_step": PropertySchema(
            PropertyType.INTEGER,
            "The fewest members a percentage adjustment adds or removes "
            "(only with percent_change_in_capacity).",
            constraints=[Range(min=0)],
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "alarm_url": AttributeSchema(
            "A pre-signed URL that triggers the policy when POSTed to.",
            type=AttributeType.STRING,
            cache_mode=CacheMode.NONE,
        ),
        "signal_url": AttributeSchema(
            "The orchestration API URL that triggers the policy when signalled.",
            type=AttributeType.STRING,
            support_status=SupportStatus(version="5.0.0"),
        ),
    }
