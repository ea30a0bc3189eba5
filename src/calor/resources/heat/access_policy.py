"""OS::Heat::AccessPolicy: which resources a stack user may read."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import PropertySchema, PropertyType


class AccessPolicy(Resource):
    """Names the resources of this stack that an AWS::IAM::User may describe.

    A user listing the policy in its ``Policies`` may read those resources
    through the CloudFormation DescribeStackResource API; every name must be
    a resource of the same stack.
    """

    type_name = "OS::Heat::AccessPolicy"
    properties_schema = {
        "AllowedResources": PropertySchema(
            PropertyType.LIST,
            "Names of the resources the user may read through DescribeStackResource.",
            required=True,
        ),
    }
