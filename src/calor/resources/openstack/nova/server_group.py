"""OS::Nova::ServerGroup: servers placed together, or apart, by the scheduler."""

from __future__ import annotations

from typing import Any

from calor.resources.openstack.base import with_show
from calor.resources.openstack.nova.common import NovaResource
from calor.template.constraints import AllowedValues
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

POLICIES = ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")

#: Since 2.64 a group has one ``policy`` and ``rules``; before, a list of ``policies``.
RULES_MICROVERSION = "2.64"


class ServerGroup(NovaResource):
    """A Nova server group: its servers go on one host (affinity) or on different ones.

    Servers join it through the ``group`` scheduler hint. Any change replaces it.
    """

    type_name = "OS::Nova::ServerGroup"
    path = "/os-server-groups/{id}"
    body_key = "server_group"
    max_microversion = RULES_MICROVERSION
    support_status = SupportStatus(version="2014.2")

    properties_schema = {
        "name": PropertySchema(PropertyType.STRING, "The group's name."),
        "policies": PropertySchema(
            PropertyType.LIST, "The one policy to apply (anti-affinity unless set).",
            default=["anti-affinity"], constraints=[AllowedValues(POLICIES)],
            schema=PropertySchema(PropertyType.STRING)),
        "rules": PropertySchema(
            PropertyType.MAP, "Rules for the policy.",
            schema={"max_server_per_host": PropertySchema(
                PropertyType.NUMBER, "At most this many of the group's servers on one host "
                "(anti-affinity).")},
            support_status=SupportStatus(version="17.0.0")),
    }
    attributes_schema = with_show({})

    async def create(self) -> None:
        name = self.properties.get("name") or self.ctx.physical_resource_name
        policies = list(self.properties.get("policies") or ["anti-affinity"])
        version = await self.cloud.microversion("compute", RULES_MICROVERSION)
        body: dict[str, Any] = {"name": name}
        if version is not None and _at_least(version, RULES_MICROVERSION):
            body["policy"] = policies[0]
            rules = {k: v for k, v in (self.properties.get("rules") or {}).items()
                     if v is not None}
            if rules:
                body["rules"] = {k: int(v) for k, v in rules.items()}
        else:
            body["policies"] = policies
        answer = await self.create_call("POST", "/os-server-groups",
                                        json={"server_group": body},
                                        id_of=lambda a: str(self.body_of(a)["id"]))
        self.remember(self.body_of(answer))

    async def delete(self) -> None:
        if self.ctx.physical_resource_id is not None:
            await self.api("DELETE", self.resource_path(), missing_ok=True)


def _at_least(version: str, wanted: str) -> bool:
    def parts(text: str) -> tuple[int, int]:
        major, _, minor = text.partition(".")
        return int(major), int(minor or 0)

    return parts(version) >= parts(wanted)
