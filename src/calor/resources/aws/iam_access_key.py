"""AWS::IAM::AccessKey: an EC2-style key pair for an AWS::IAM::User."""

from __future__ import annotations

from calor.resources.aws.autoscaling_group import NOT_IMPLEMENTED
from calor.resources.base import Resource
from calor.template.constraints import AllowedValues
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
)


class AccessKey(Resource):
    """Creates an access key and secret for an AWS::IAM::User of the same stack.

    Its reference is the access key ID; the secret is an attribute.
    """

    type_name = "AWS::IAM::AccessKey"
    properties_schema = {
        "Serial": PropertySchema(
            PropertyType.INTEGER, "Not implemented.", support_status=NOT_IMPLEMENTED
        ),
        "UserName": PropertySchema(
            PropertyType.STRING,
            "The user (a reference to an AWS::IAM::User) the key belongs to.",
            required=True,
        ),
        "Status": PropertySchema(
            PropertyType.STRING,
            "Not implemented.",
            constraints=[AllowedValues(["Active", "Inactive"])],
            support_status=NOT_IMPLEMENTED,
        ),
    }
    attributes_schema = {
        "UserName": AttributeSchema(
            "The name of the key's user.", cache_mode=CacheMode.NONE, type=AttributeType.STRING
        ),
        "SecretAccessKey": AttributeSchema(
            "The key's secret.", cache_mode=CacheMode.NONE, type=AttributeType.STRING
        ),
    }
