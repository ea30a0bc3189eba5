"""AWS::IAM::User: a keystone user in the stack's domain, for CFN-style access."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import PropertySchema, PropertyType


class User(Resource):
    """Creates a user in the stack's keystone domain.

    Its access keys (AWS::IAM::AccessKey) sign CloudFormation API requests;
    the OS::Heat::AccessPolicy resources named in ``Policies`` limit which
    stack resources it may read. Keystone has no groups, so ``Groups`` and
    ``Path`` are accepted and ignored.
    """

    type_name = "AWS::IAM::User"
    properties_schema = {
        "Path": PropertySchema(PropertyType.STRING, "Accepted and ignored."),
        "Groups": PropertySchema(PropertyType.LIST, "Accepted and ignored."),
        "LoginProfile": PropertySchema(
            PropertyType.MAP,
            "The user's login settings.",
            schema={"Password": PropertySchema(PropertyType.STRING)},
        ),
        "Policies": PropertySchema(
            PropertyType.LIST,
            "Names of the OS::Heat::AccessPolicy resources that apply to the user.",
        ),
    }
