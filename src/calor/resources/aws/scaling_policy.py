"""AWS::AutoScaling::ScalingPolicy: resizes an AWS::AutoScaling::AutoScalingGroup."""

from __future__ import annotations

from calor.resources.heat.scaling_policy import AutoScalingPolicy
from calor.template.constraints import AllowedValues, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
)

#: CloudFormation's spelling of the adjustment types.
ADJUSTMENT_TYPES = ("ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity")


class AWSScalingPolicy(AutoScalingPolicy):
    """Changes the size of an AWS::AutoScaling::AutoScalingGroup each time it is signalled.

    Its reference is the pre-signed URL alarms POST to.
    """

    type_name = "AWS::AutoScaling::ScalingPolicy"
    properties_schema = {
        "AutoScalingGroupName": PropertySchema(
            PropertyType.STRING, "The group the policy resizes.", required=True
        ),
        "ScalingAdjustment": PropertySchema(
            PropertyType.INTEGER,
            "How much to change the size by (see AdjustmentType).",
            required=True,
            update_allowed=True,
        ),
        "AdjustmentType": PropertySchema(
            PropertyType.STRING,
            "Whether ScalingAdjustment is added, set, or a percentage of the size.",
            required=True,
            constraints=[AllowedValues(ADJUSTMENT_TYPES)],
            update_allowed=True,
        ),
        "Cooldown": PropertySchema(
            PropertyType.INTEGER,
            "Seconds after a scaling action during which the policy does nothing.",
            update_allowed=True,
        ),
        "MinAdjustmentStep": PropertySchema(
            PropertyType.INTEGER,
            "The fewest instances a percentage adjustment adds or removes "
            "(only with PercentChangeInCapacity).",
            constraints=[Range(min=0)],
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "AlarmUrl": AttributeSchema(
            "A pre-signed URL that triggers the policy when POSTed to (a Heat extension).",
            type=AttributeType.STRING,
            cache_mode=CacheMode.NONE,
        ),
    }
