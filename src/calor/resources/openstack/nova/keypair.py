"""OS::Nova::KeyPair: an SSH key pair servers can be given."""

from __future__ import annotations

from typing import Any

from calor.resources.openstack.base import with_show
from calor.resources.openstack.nova.common import NovaResource
from calor.template.constraints import AllowedValues, CustomConstraint, Length
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The resource data key a saved private key is kept under (as in Heat).
PRIVATE_KEY = "private_key"

#: From 2.92 Nova no longer generates keys: a create without a public key asks for 2.91.
_GENERATING_MICROVERSION = "2.91"


class KeyPair(NovaResource):
    """A Nova key pair, to inject into servers at boot.

    Without ``public_key`` Nova generates the pair; with ``save_private_key``
    the private half is kept (encrypted) and readable as the ``private_key``
    attribute. With a ``public_key`` there is no private key to keep.
    """

    type_name = "OS::Nova::KeyPair"
    path = "/os-keypairs/{id}"
    body_key = "keypair"
    max_microversion = "2.10"
    support_status = SupportStatus(version="2014.1")

    properties_schema = {
        "name": PropertySchema(PropertyType.STRING, "The key pair's name.", required=True,
                               constraints=[Length(min=1, max=255)]),
        "save_private_key": PropertySchema(
            PropertyType.BOOLEAN, "Keep a generated private key (as the private_key "
            "attribute).", default=False),
        "public_key": PropertySchema(
            PropertyType.STRING, "The public key of an existing pair. Unset: Nova generates "
            "a pair (before compute microversion 2.92)."),
        "type": PropertySchema(
            PropertyType.STRING, "The key type (compute microversion 2.2 and later).",
            constraints=[AllowedValues(["ssh", "x509"])],
            support_status=SupportStatus(version="8.0.0")),
        "user": PropertySchema(
            PropertyType.STRING, "The id or name of the user to add the pair for "
            "(administrators only; compute microversion 2.10 and later).",
            constraints=[CustomConstraint("keystone.user")],
            support_status=SupportStatus(version="9.0.0")),
    }
    attributes_schema = with_show({
        "public_key": AttributeSchema("The public key.", type=AttributeType.STRING),
        "private_key": AttributeSchema("The private key, if it was saved.",
                                       type=AttributeType.STRING, cache_mode=CacheMode.NONE),
    })

    async def create(self) -> None:
        body: dict[str, Any] = {"name": self.properties["name"]}
        public_key = self.properties.get("public_key") or None
        if public_key:
            body["public_key"] = public_key
        if self.properties.get("type"):
            body["type"] = self.properties["type"]
        if self.properties.get("user"):
            body["user_id"] = self.properties["user"]
        answer = await self.call("POST", "/os-keypairs", json={"keypair": body},
                                 max_microversion=None if public_key
                                 else _GENERATING_MICROVERSION)
        created = self.remember(self.body_of(answer))
        if self.properties.get("save_private_key") and created.get("private_key"):
            await self.ctx.set_data(PRIVATE_KEY, str(created["private_key"]), redact=True)
        await self.ctx.set_physical_resource_id(str(created["name"]))

    async def attribute(self, name: str, body: Any) -> Any:
        if name == "private_key":
            if not self.properties.get("save_private_key"):
                return ""
            return (await self.ctx.get_data()).get(PRIVATE_KEY, "")
        if name == "public_key":
            return self.properties.get("public_key") or body.get("public_key")
        return body.get(name)

    async def resolve_attribute(self, name: str) -> Any:
        if name == "public_key" and self.properties.get("public_key"):
            return self.properties["public_key"]  # no need to ask the cloud
        if name == "private_key" and self.ctx.physical_resource_id is not None:
            return await self.attribute(name, {})
        return await super().resolve_attribute(name)
