"""The built-in ``OS::Heat::*`` resource types, one module each."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.resources.heat.cloud_config import CloudConfig
from calor.resources.heat.delay import Delay
from calor.resources.heat.multipart_mime import MultipartMime
from calor.resources.heat.none_resource import NoneResource
from calor.resources.heat.random_string import RandomString
from calor.resources.heat.resource_chain import ResourceChain
from calor.resources.heat.resource_group import ResourceGroup
from calor.resources.heat.software_config import SoftwareConfig
from calor.resources.heat.stack import RemoteStack
from calor.resources.heat.structured_config import StructuredConfig
from calor.resources.heat.test_resource import TestResource
from calor.resources.heat.value import Value
from calor.resources.heat.wait_condition import HeatWaitCondition
from calor.resources.heat.wait_condition_handle import HeatWaitConditionHandle

#: Every built-in type, as :func:`calor.resources.default_registry` registers them.
RESOURCE_TYPES: tuple[type[Resource], ...] = (
    CloudConfig,
    Delay,
    HeatWaitCondition,
    HeatWaitConditionHandle,
    MultipartMime,
    NoneResource,
    RandomString,
    RemoteStack,
    ResourceChain,
    ResourceGroup,
    SoftwareConfig,
    StructuredConfig,
    TestResource,
    Value,
)

__all__ = [
    "RESOURCE_TYPES",
    "CloudConfig",
    "Delay",
    "HeatWaitCondition",
    "HeatWaitConditionHandle",
    "MultipartMime",
    "NoneResource",
    "RandomString",
    "RemoteStack",
    "ResourceChain",
    "ResourceGroup",
    "SoftwareConfig",
    "StructuredConfig",
    "TestResource",
    "Value",
]
