"""The built-in ``AWS::*`` (CloudFormation-compatible) resource types, one module each.

Only the types that need no compute, network or volume service are here;
AWS::EC2::* and the others come with the cloud backends.
"""

from __future__ import annotations

from calor.resources.aws.autoscaling_group import AutoScalingGroup
from calor.resources.aws.cloudformation_stack import NestedStack
from calor.resources.aws.iam_access_key import AccessKey
from calor.resources.aws.iam_user import User
from calor.resources.aws.launch_configuration import LaunchConfiguration
from calor.resources.aws.scaling_policy import AWSScalingPolicy
from calor.resources.aws.wait_condition import WaitCondition
from calor.resources.aws.wait_condition_handle import WaitConditionHandle
from calor.resources.base import Resource

#: Every built-in AWS type, as :func:`calor.resources.default_registry` registers them.
RESOURCE_TYPES: tuple[type[Resource], ...] = (
    AWSScalingPolicy,
    AccessKey,
    AutoScalingGroup,
    LaunchConfiguration,
    NestedStack,
    User,
    WaitCondition,
    WaitConditionHandle,
)

__all__ = [
    "RESOURCE_TYPES",
    "AWSScalingPolicy",
    "AccessKey",
    "AutoScalingGroup",
    "LaunchConfiguration",
    "NestedStack",
    "User",
    "WaitCondition",
    "WaitConditionHandle",
]
