"""What the Neutron resource types share: request bodies, ``value_specs``, status, tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import OpenStackResource, present
from calor.resources.openstack.errors import ResourceInError, ResourceUnknownStatus
from calor.resources.openstack.finders import find_neutron_id
from calor.template.constraints import AllowedValues, CustomConstraint
from calor.template.schema import PropertySchema, PropertyType, Support, SupportStatus

#: Protocols a security group rule may match by name (numbers 0-255 are allowed too).
PROTOCOL_NAMES = (
    "ah", "dccp", "egp", "esp", "gre", "icmp", "icmpv6", "igmp", "ipv6-encap", "ipv6-frag",
    "ipv6-icmp", "ipv6-nonxt", "ipv6-opts", "ipv6-route", "ospf", "pgm", "rsvp", "sctp",
    "tcp", "udp", "udplite", "vrrp",
)
PROTOCOLS: tuple[Any, ...] = (*range(256), *PROTOCOL_NAMES)
PROTOCOL_HELP = ("The protocol the rule matches: one of " + ", ".join(PROTOCOL_NAMES)
                 + ", or a protocol number from 0 to 255.")


def value_specs_schema(update_allowed: bool = True) -> PropertySchema:
    return PropertySchema(
        PropertyType.MAP,
        "More attributes to send in the create request as they are (extension or "
        "plugin specific).",
        default={},
        update_allowed=update_allowed,
    )


def tags_schema(noun: str) -> PropertySchema:
    return PropertySchema(
        PropertyType.LIST,
        f"Tags to put on the {noun}.",
        schema=PropertySchema(PropertyType.STRING),
        update_allowed=True,
        support_status=SupportStatus(version="9.0.0"),
    )


def network_schema(description: str, *, required: bool = False,
                   update_allowed: bool = False) -> PropertySchema:
    return PropertySchema(PropertyType.STRING, description, required=required,
                          update_allowed=update_allowed,
                          constraints=[CustomConstraint("neutron.network")])


def hidden_id(replaced_by: str, constraint: str, *, version: str = "5.0.0",
              deprecated: str = "2014.2") -> PropertySchema:
    """A deprecated ``*_id`` property that another one replaces (still accepted)."""
    return PropertySchema(
        PropertyType.STRING,
        f"Superseded by {replaced_by}.",
        constraints=[CustomConstraint(constraint)],
        support_status=SupportStatus(
            Support.HIDDEN, version=version, message=f"Use property {replaced_by}.",
            previous_status=SupportStatus(Support.DEPRECATED, version=deprecated),
        ),
    )


DIRECTION = PropertySchema(
    PropertyType.STRING,
    "Which traffic the rule applies to: ingress (arriving at the instance) or egress "
    "(leaving it).",
    default="ingress",
    constraints=[AllowedValues(["ingress", "egress"])],
)
ETHERTYPE = PropertySchema(
    PropertyType.STRING, "The ethertype of the traffic.", default="IPv4",
    constraints=[AllowedValues(["IPv4", "IPv6"])],
)


def merged_value_specs(props: dict[str, Any], before: Mapping[str, Any] | None = None) -> None:
    """Move ``value_specs`` into the body; on update only the entries that changed."""
    specs = props.pop("value_specs", None)
    if not specs:
        return
    specs = dict(specs)
    if before:
        specs = {k: v for k, v in specs.items() if before.get(k) != v}
    props.update(specs)


class NeutronResource(OpenStackResource):
    """A Neutron resource: ``POST /<collection>`` with ``{<body_key>: {...}}``."""

    service = "network"
    #: The collection (``networks``); ``path`` and tags live under it.
    collection: ClassVar[str]
    #: Whether the resource has a status to wait on (BUILD -> ACTIVE).
    has_status: ClassVar[bool] = False

    @classmethod
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        collection = cls.__dict__.get("collection")
        if collection is not None:
            cls.path = f"/{collection}/{{id}}"

    # -- building bodies -------------------------------------------------------

    def create_body(self) -> dict[str, Any]:
        """Heat's ``prepare_properties``: set values only, the physical name, value_specs."""
        props = present(self.properties)
        if "name" in self.properties_schema:
            props.setdefault("name", self.ctx.physical_resource_name)
        self.check_value_specs(props)
        merged_value_specs(props)
        return props

    def check_value_specs(self, props: Mapping[str, Any]) -> None:
        specs = props.get("value_specs") or {}
        banned = {"shared", "tenant_id", *self.properties_schema} & set(specs)
        if banned:
            raise ResourceFailure(f"{', '.join(sorted(banned))} not allowed in value_specs")

    def update_body(self, properties: Mapping[str, Any],
                    changed: frozenset[str]) -> dict[str, Any]:
        """The changed values, value_specs merged, a cleared name set back to the physical one."""
        diff = {k: properties.get(k) for k in changed if k in self.properties_schema}
        if "value_specs" in diff:
            merged_value_specs(diff, self.properties.get("value_specs"))
        if "name" in diff and diff["name"] is None:
            diff["name"] = self.ctx.physical_resource_name
        return diff

    # -- requests --------------------------------------------------------------

    async def find(self, resource: str, name_or_id: str) -> str:
        """The id of the Neutron ``resource`` a template names (by name or id).

        An id is used as it is: validation checked it, and the request that
        uses it fails with Neutron's message if it is wrong.
        """
        return await self.lookup(find_neutron_id, resource, name_or_id, verify=False)

    async def create_resource(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST the body; the id is stored before anything else happens."""
        answer = await self.create_call("POST", f"/{self.collection}",
                                        json={self.body_key: dict(body)},
                                        id_of=lambda a: str(self.body_of(a)["id"]))
        return self.remember(self.body_of(answer))

    async def update_resource(self, body: Mapping[str, Any]) -> None:
        if body:
            answer = await self.call("PUT", self.resource_path(),
                                     json={self.body_key: dict(body)})
            self.remember(self.body_of(answer))

    async def set_tags(self, tags: list[str] | None) -> None:
        await self.call("PUT", f"{self.resource_path()}/tags", json={"tags": list(tags or [])})
        self.forget()

    async def wait_built(self) -> None:
        """Wait until the status is ACTIVE or DOWN (Heat's ``is_built``)."""
        if not self.has_status:
            return

        async def built() -> bool:
            body = await self.body()
            if body is None:
                raise ResourceFailure(f"The resource {self.ctx.resource_name} disappeared")
            if is_built(body):
                return True
            self.forget()
            return False

        await self.wait_until(built)

    # -- lifecycle ---------------------------------------------------------------

    async def create(self) -> None:
        body = self.create_body()
        tags = body.pop("tags", None)
        await self.create_resource(body)
        if tags:
            await self.set_tags(tags)
        await self.wait_built()

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        body = self.update_body(properties, changed)
        tags_changed = "tags" in body
        tags = body.pop("tags", None)
        self.properties = properties
        if tags_changed:
            await self.set_tags(tags)
        await self.update_resource(body)
        await self.wait_built()


def is_built(body: Mapping[str, Any]) -> bool:
    """Heat's rule: BUILD waits, ACTIVE and DOWN are done, ERROR fails, others are unknown."""
    status = str(body.get("status", "ACTIVE"))
    if status == "BUILD":
        return False
    if status in ("ACTIVE", "DOWN"):
        return True
    if status in ("ERROR", "DEGRADED"):
        raise ResourceInError(status)
    raise ResourceUnknownStatus(status, reason="Resource is not built")
