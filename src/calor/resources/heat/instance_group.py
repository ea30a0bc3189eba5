"""OS::Heat::InstanceGroup: a fixed-size group of instances from a launch configuration."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import AttributeSchema, AttributeType, PropertySchema, PropertyType


def tags_schema(key: str | None = None, value: str | None = None) -> PropertySchema:
    """The ``Tags`` list of an instance group (``key``/``value``: their descriptions)."""
    return PropertySchema(
        PropertyType.LIST,
        "Key/value tags given to the group.",
        schema=PropertySchema(
            PropertyType.MAP,
            schema={
                "Key": PropertySchema(PropertyType.STRING, key, required=True),
                "Value": PropertySchema(PropertyType.STRING, value, required=True),
            },
        ),
    )


#: ``RollingUpdate`` (and the AWS group's ``AutoScalingRollingUpdate``) policy keys.
ROLLING_UPDATE_SCHEMA = {
    "MinInstancesInService": PropertySchema(PropertyType.INTEGER, default=0),
    "MaxBatchSize": PropertySchema(PropertyType.INTEGER, default=1),
    # An ISO 8601 duration, at most one hour.
    "PauseTime": PropertySchema(PropertyType.STRING, default="PT0S"),
}

#: The one attribute of the CFN-style groups.
INSTANCE_LIST = AttributeSchema(
    "The members' IP addresses, comma-separated (a Heat extension).",
    type=AttributeType.STRING,
)


class InstanceGroup(Resource):
    """Creates ``Size`` instances from an AWS::AutoScaling::LaunchConfiguration.

    The instances live in a nested stack; load balancers named in
    ``LoadBalancerNames`` are told about them. A ``RollingUpdate`` update
    policy replaces instances in batches when the configuration changes.
    """

    type_name = "OS::Heat::InstanceGroup"
    properties_schema = {
        "AvailabilityZones": PropertySchema(
            PropertyType.LIST, "Accepted for CloudFormation compatibility; unused.", required=True
        ),
        "LaunchConfigurationName": PropertySchema(
            PropertyType.STRING,
            "Reference to the LaunchConfiguration resource the instances are made from.",
            required=True,
            update_allowed=True,
        ),
        "Size": PropertySchema(
            PropertyType.INTEGER,
            "How many instances the group holds.",
            required=True,
            update_allowed=True,
        ),
        "LoadBalancerNames": PropertySchema(
            PropertyType.LIST,
            "Load balancers to register the instances with "
            "(AWS::ElasticLoadBalancing::LoadBalancer only).",
        ),
        "Tags": tags_schema("The tag's key.", "The tag's value."),
    }
    attributes_schema = {"InstanceList": INSTANCE_LIST}
    update_policy_schema = {
        "RollingUpdate": PropertySchema(PropertyType.MAP, schema=ROLLING_UPDATE_SCHEMA),
    }
