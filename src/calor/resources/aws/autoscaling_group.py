"""AWS::AutoScaling::AutoScalingGroup: a CloudFormation-style scaling group of instances."""

from __future__ import annotations

from calor.resources.heat.instance_group import (
    INSTANCE_LIST,
    ROLLING_UPDATE_SCHEMA,
    InstanceGroup,
    tags_schema,
)
from calor.template.constraints import AllowedValues, CustomConstraint
from calor.template.schema import PropertySchema, PropertyType, Support, SupportStatus

#: Heat declares these properties without implementing them: they are left
#: out of ``resource type show`` and the generated template. (Heat also
#: refuses a value for one with "Property X not implemented yet"; the schema
#: has no way to say that yet, so here a value is accepted and ignored.)
NOT_IMPLEMENTED = SupportStatus(Support.HIDDEN, message="Not implemented.")


class AutoScalingGroup(InstanceGroup):
    """Keeps between ``MinSize`` and ``MaxSize`` instances of a launch configuration.

    Scaling policies resize it; a group can also be built from an existing
    server (``InstanceId``). An ``AutoScalingRollingUpdate`` update policy
    replaces instances in batches when the configuration changes.
    """

    type_name = "AWS::AutoScaling::AutoScalingGroup"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "AvailabilityZones": PropertySchema(
            PropertyType.LIST, "Accepted for CloudFormation compatibility; unused.", required=True
        ),
        "LaunchConfigurationName": PropertySchema(
            PropertyType.STRING,
            "Reference to the LaunchConfiguration resource the instances are made from.",
            update_allowed=True,
        ),
        "InstanceId": PropertySchema(
            PropertyType.STRING,
            "An existing server to copy the instances' configuration from, instead "
            "of a launch configuration.",
            constraints=[CustomConstraint("nova.server")],
        ),
        "MaxSize": PropertySchema(
            PropertyType.INTEGER,
            "The most instances the group may hold.",
            required=True,
            update_allowed=True,
        ),
        "MinSize": PropertySchema(
            PropertyType.INTEGER,
            "The fewest instances the group may hold.",
            required=True,
            update_allowed=True,
        ),
        "Cooldown": PropertySchema(
            PropertyType.INTEGER,
            "Seconds after a scaling action during which no other may start.",
            update_allowed=True,
        ),
        "DesiredCapacity": PropertySchema(
            PropertyType.INTEGER,
            "How many instances to start with.",
            update_allowed=True,
        ),
        "HealthCheckGracePeriod": PropertySchema(
            PropertyType.INTEGER,
            "Not implemented.",
            support_status=NOT_IMPLEMENTED,
        ),
        "HealthCheckType": PropertySchema(
            PropertyType.STRING,
            "Not implemented.",
            constraints=[AllowedValues(["EC2", "ELB"])],
            support_status=NOT_IMPLEMENTED,
        ),
        "LoadBalancerNames": PropertySchema(
            PropertyType.LIST, "Load balancers to register the instances with."
        ),
        "VPCZoneIdentifier": PropertySchema(
            PropertyType.LIST,
            "With Neutron: a list of exactly one internal subnet to attach the "
            "instances to, needed only when there are several.",
            schema=PropertySchema(
                PropertyType.STRING, "ID of the internal subnet the instances attach to."
            ),
        ),
        "Tags": tags_schema(),
    }
    attributes_schema = {"InstanceList": INSTANCE_LIST}
    update_policy_schema = {
        "AutoScalingRollingUpdate": PropertySchema(PropertyType.MAP, schema=ROLLING_UPDATE_SCHEMA),
    }
