"""OS::Nova::Flavor: a virtual hardware template (administrators only, by default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.openstack.base import with_show
from calor.resources.openstack.nova.common import NovaResource
from calor.template.constraints import CustomConstraint
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


class NovaFlavor(NovaResource):
    """A Nova flavor: how much memory, CPU and disk a server gets.

    Nova's default policy lets only administrators make flavors. A private
    flavor (``is_public: false``) is shared with the ``tenants`` listed, or
    with the stack's own project when none are.
    """

    type_name = "OS::Nova::Flavor"
    path = "/flavors/{id}"
    body_key = "flavor"
    max_microversion = "2.61"
    support_status = SupportStatus(version="2014.2")

    properties_schema = {
        "tenants": PropertySchema(
            PropertyType.LIST, "The projects a private flavor is shared with.", default=[],
            update_allowed=True,
            schema=PropertySchema(PropertyType.STRING,
                                  constraints=[CustomConstraint("keystone.project")]),
            support_status=SupportStatus(version="8.0.0")),
        "flavorid": PropertySchema(
            PropertyType.STRING, "The flavor's id (unset: Nova generates a UUID).",
            support_status=SupportStatus(version="7.0.0")),
        "name": PropertySchema(PropertyType.STRING, "The flavor's name.",
                               support_status=SupportStatus(version="7.0.0")),
        "ram": PropertySchema(PropertyType.INTEGER, "Memory, in MB.", required=True),
        "vcpus": PropertySchema(PropertyType.INTEGER, "Virtual CPUs.", required=True),
        "disk": PropertySchema(
            PropertyType.INTEGER, "Root disk size in GB (0: the image's own size).",
            default=0),
        "swap": PropertySchema(PropertyType.INTEGER, "Swap space, in MB.", default=0),
        "ephemeral": PropertySchema(PropertyType.INTEGER,
                                    "Size of a second, ephemeral disk, in GB.", default=0),
        "rxtx_factor": PropertySchema(PropertyType.NUMBER, "The RX/TX factor.", default=1.0),
        "extra_specs": PropertySchema(
            PropertyType.MAP, "Key/value pairs extending what the flavor asks for.",
            update_allowed=True),
        "is_public": PropertySchema(
            PropertyType.BOOLEAN, "Whether every project may use the flavor.", default=True,
            support_status=SupportStatus(version="6.0.0")),
    }
    attributes_schema = with_show({
        "is_public": AttributeSchema("Whether every project may use the flavor.",
                                     type=AttributeType.BOOLEAN,
                                     support_status=SupportStatus(version="6.0.0")),
        "extra_specs": AttributeSchema("The flavor's extra specs.", type=AttributeType.MAP,
                                       support_status=SupportStatus(version="7.0.0")),
    })

    async def create(self) -> None:
        props = self.properties
        body = {
            "name": props.get("name") or self.ctx.physical_resource_name,
            "ram": props["ram"], "vcpus": props["vcpus"], "disk": props["disk"],
            "swap": props["swap"], "OS-FLV-EXT-DATA:ephemeral": props["ephemeral"],
            "rxtx_factor": props["rxtx_factor"],
            "os-flavor-access:is_public": props["is_public"],
        }
        if props.get("flavorid"):
            body["id"] = props["flavorid"]
        answer = await self.create_call("POST", "/flavors", json={"flavor": body},
                                        id_of=lambda a: str(self.body_of(a)["id"]))
        self.remember(self.body_of(answer))
        if props.get("extra_specs"):
            await self._set_specs(props["extra_specs"])
            self.forget()  # the body the create answered has no specs yet
        if not props["is_public"]:
            projects = list(props.get("tenants") or []) or [await self.cloud.project_id()]
            for project in projects:
                await self._access("addTenantAccess", project)

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        old = self.properties
        self.properties = properties
        if "extra_specs" in changed:
            current = await self._specs()
            for key in current:
                await self.api("DELETE", f"{self.resource_path()}/os-extra_specs/{key}",
                               missing_ok=True)
            if properties.get("extra_specs"):
                await self._set_specs(properties["extra_specs"])
        if "tenants" in changed and not old.get("is_public"):
            answer = await self.call("GET", f"{self.resource_path()}/os-flavor-access")
            current_tenants = {a["tenant_id"] for a in
                               (answer.body or {}).get("flavor_access", [])}
            wanted = set(properties.get("tenants") or [])
            for project in sorted(current_tenants - wanted):
                await self._access("removeTenantAccess", project)
            for project in sorted(wanted - current_tenants):
                await self._access("addTenantAccess", project)
        self.forget()

    async def _specs(self) -> dict[str, Any]:
        answer = await self.call("GET", f"{self.resource_path()}/os-extra_specs")
        return dict((answer.body or {}).get("extra_specs", {}))

    async def _set_specs(self, specs: Mapping[str, Any]) -> None:
        await self.call("POST", f"{self.resource_path()}/os-extra_specs",
                        json={"extra_specs": {k: str(v) for k, v in specs.items()}})

    async def _access(self, action: str, project: str) -> None:
        await self.call("POST", f"{self.resource_path()}/action",
                        json={action: {"tenant": project}})

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        if name == "is_public":
            return body.get("os-flavor-access:is_public")
        if name == "extra_specs":
            if "extra_specs" in body:  # shown in the body since microversion 2.61
                return body["extra_specs"]
            return await self._specs()
        return body.get(name)

    async def delete(self) -> None:
        # Flavors go at once: a 202/204 and no transitional state.
        if self.ctx.physical_resource_id is not None:
            await self.api("DELETE", self.resource_path(), missing_ok=True)
