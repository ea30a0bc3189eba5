"""The built-in ``OS::Heat::*`` resource types, one module each."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.resources.heat.access_policy import AccessPolicy
from calor.resources.heat.autoscaling_group import AutoScalingResourceGroup
from calor.resources.heat.cloud_config import CloudConfig
from calor.resources.heat.delay import Delay
from calor.resources.heat.deployed_server import DeployedServer
from calor.resources.heat.ha_restarter import Restarter
from calor.resources.heat.instance_group import InstanceGroup
from calor.resources.heat.multipart_mime import MultipartMime
from calor.resources.heat.none_resource import NoneResource
from calor.resources.heat.random_string import RandomString
from calor.resources.heat.resource_chain import ResourceChain
from calor.resources.heat.resource_group import ResourceGroup
from calor.resources.heat.scaling_policy import AutoScalingPolicy
from calor.resources.heat.software_component import SoftwareComponent
from calor.resources.heat.software_config import SoftwareConfig
from calor.resources.heat.software_deployment import SoftwareDeployment
from calor.resources.heat.software_deployment_group import (
    SoftwareDeploymentGroup,
    SoftwareDeployments,
)
from calor.resources.heat.stack import RemoteStack
from calor.resources.heat.structured_config import StructuredConfig
from calor.resources.heat.structured_deployment import StructuredDeployment
from calor.resources.heat.structured_deployment_group import (
    StructuredDeploymentGroup,
    StructuredDeployments,
)
from calor.resources.heat.swift_signal import SwiftSignal, SwiftSignalHandle
from calor.resources.heat.test_resource import TestResource
from calor.resources.heat.update_wait_condition_handle import UpdateWaitConditionHandle
from calor.resources.heat.value import Value
from calor.resources.heat.wait_condition import HeatWaitCondition
from calor.resources.heat.wait_condition_handle import HeatWaitConditionHandle

#: Every built-in type, as :func:`calor.resources.default_registry` registers them.
RESOURCE_TYPES: tuple[type[Resource], ...] = (
    AccessPolicy,
    AutoScalingPolicy,
    AutoScalingResourceGroup,
    CloudConfig,
    Delay,
    DeployedServer,
    HeatWaitCondition,
    HeatWaitConditionHandle,
    InstanceGroup,
    MultipartMime,
    NoneResource,
    RandomString,
    RemoteStack,
    ResourceChain,
    ResourceGroup,
    Restarter,
    SoftwareComponent,
    SoftwareConfig,
    SoftwareDeployment,
    SoftwareDeploymentGroup,
    SoftwareDeployments,
    StructuredConfig,
    StructuredDeployment,
    StructuredDeploymentGroup,
    StructuredDeployments,
    SwiftSignal,
    SwiftSignalHandle,
    TestResource,
    UpdateWaitConditionHandle,
    Value,
)

__all__ = [
    "RESOURCE_TYPES",
    "AccessPolicy",
    "AutoScalingPolicy",
    "AutoScalingResourceGroup",
    "CloudConfig",
    "Delay",
    "DeployedServer",
    "HeatWaitCondition",
    "HeatWaitConditionHandle",
    "InstanceGroup",
    "MultipartMime",
    "NoneResource",
    "RandomString",
    "RemoteStack",
    "ResourceChain",
    "ResourceGroup",
    "Restarter",
    "SoftwareComponent",
    "SoftwareConfig",
    "SoftwareDeployment",
    "SoftwareDeploymentGroup",
    "SoftwareDeployments",
    "StructuredConfig",
    "StructuredDeployment",
    "StructuredDeploymentGroup",
    "StructuredDeployments",
    "SwiftSignal",
    "SwiftSignalHandle",
    "TestResource",
    "UpdateWaitConditionHandle",
    "Value",
]
