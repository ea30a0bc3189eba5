"""OS::Heat::Stack: a stack created through an Orchestration API, maybe elsewhere."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The version that added credential_secret_id, ca_cert and insecure.
_SINCE_12 = SupportStatus(version="12.0.0")


class RemoteStack(Resource):
    """Creates a stack from a template through the orchestration API, in any region or cloud.

    The template is given inline, with the parameters it needs.
    """

    type_name = "OS::Heat::Stack"
    properties_schema = {
        "context": PropertySchema(
            PropertyType.MAP,
            "Where and how to reach the API the stack is created through.",
            update_allowed=True,
            schema={
                "region_name": PropertySchema(
                    PropertyType.STRING, "The region to create the stack in."
                ),
                "credential_secret_id": PropertySchema(
                    PropertyType.STRING,
                    "ID of a Barbican secret holding credentials for a remote cloud.",
                    update_allowed=True,
                    support_status=_SINCE_12,
                ),
                "ca_cert": PropertySchema(
                    PropertyType.STRING,
                    "CA certificate to verify TLS with.",
                    update_allowed=True,
                    support_status=_SINCE_12,
                ),
                "insecure": PropertySchema(
                    PropertyType.BOOLEAN,
                    "Do not verify the server's TLS certificate.",
                    default=False,
                    update_allowed=True,
                    support_status=_SINCE_12,
                ),
            },
        ),
        "template": PropertySchema(
            PropertyType.STRING,
            "The template of the stack to create.",
            required=True,
            update_allowed=True,
        ),
        "timeout": PropertySchema(
            PropertyType.INTEGER,
            "Minutes the stack may take to create.",
            update_allowed=True,
        ),
        "parameters": PropertySchema(
            PropertyType.MAP,
            "Parameter values for the stack.",
            default={},
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "stack_name": AttributeSchema("The stack's name.", type=AttributeType.STRING),
        "outputs": AttributeSchema("The stack's outputs, by output name.", type=AttributeType.MAP),
    }
