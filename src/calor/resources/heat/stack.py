"""OS::Heat::Stack: a stack created through an Orchestration API, maybe elsewhere.

Without a ``context`` (or with one naming no region and no credentials),
Heat creates the stack through its own API; Calor creates it through this
same engine, as a child stack of the resource's stack, so that it is
deleted with its parent and counts towards the nested depth limit. A remote
region or cloud needs that region's orchestration API, which embedded mode
does not have: the resource fails, saying so.
"""

from __future__ import annotations

from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.nested import ChildStack, StackResource
from calor.template.errors import TemplateError
from calor.template.loader import load_template
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The version that added credential_secret_id, ca_cert and insecure.
_SINCE_12 = SupportStatus(version="12.0.0")


class RemoteStack(StackResource):
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

    async def child_stack(self) -> ChildStack:
        context = self.properties.get("context") or {}
        region = context.get("region_name")
        if region or context.get("credential_secret_id"):
            where = f'region "{region}"' if region else "remote cloud"
            raise ResourceFailure(
                f"Cannot establish connection to Heat endpoint at {where} due to "
                '"a remote region or cloud needs its own orchestration API, '
                'which is not available in embedded mode"'
            )
        try:
            template = load_template(self.properties.get("template") or "")
        except TemplateError as exc:
            raise ResourceFailure(str(exc)) from None
        return ChildStack(
            template=template, parameters=dict(self.properties.get("parameters") or {}),
            timeout_mins=self.properties.get("timeout"),
        )

    async def resolve_attribute(self, name: str) -> Any:
        if name == "outputs":
            return dict(await self.child_outputs())
        if name == "stack_name":
            found = await self.child_status()
            return found.name if found is not None else None
        return None
