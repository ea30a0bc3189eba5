"""Neutron's discovery documents, ``/v2.0/extensions``, availability zones and tags."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body
from calor.sandbox.errors import BadRequest, NotFound
from calor.sandbox.network.common import (
    FLOATINGIP,
    NETWORK,
    PORT,
    ROUTER,
    SECURITY_GROUP,
    SUBNET,
    get_owned,
    not_found,
    touch,
)
from calor.sandbox.runtime import SandboxDep

_UPDATED = "2013-01-20T00:00:00-00:00"

#: (alias, name, description) of each extension the sandbox implements.
EXTENSIONS = (
    ("agent", "agent", "The agent management extension."),
    ("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
    ("availability_zone", "Availability Zone", "The availability zone extension."),
    ("binding", "Port Binding", "Expose port bindings of a virtual port to external "
                                "application"),
    ("dns-integration", "DNS Integration", "Provides integration with DNS."),
    ("external-net", "Neutron external network", "Adds external network attribute to "
                                                 "network resource."),
    ("ext-gw-mode", "Neutron L3 Configurable external gateway mode",
     "Extension of the router abstraction for specifying whether SNAT should occur on the "
     "external gateway"),
    ("extra_dhcp_opt", "Neutron Extra DHCP options", "Extra options configuration for DHCP."),
    ("extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"),
    ("fip-port-details", "Floating IP Port Details Extension",
     "Add port_details attribute to Floating IP resource"),
    ("net-mtu", "Network MTU", "Provides MTU attribute for a network resource."),
    ("net-mtu-writable", "Network MTU (writable)", "Provides a writable MTU attribute for a "
                                                  "network resource."),
    ("network_availability_zone", "Network Availability Zone",
     "Availability zone support for network."),
    ("port-security", "Port Security", "Provides port security"),
    ("project-id", "project_id field enabled", "Extension that indicates that project_id "
                                               "field is enabled."),
    ("provider", "Provider Network", "Expose mapping of virtual networks to physical "
                                     "networks"),
    ("quotas", "Quota management support", "Expose functions for quotas management per "
                                           "tenant"),
    ("quota_details", "Quota details management support",
     "Expose functions for quotas usage statistics per project"),
    ("router", "Neutron L3 Router", "Router abstraction for basic L3 forwarding between L2 "
                                    "Neutron networks and access to external networks via a "
                                    "NAT gateway."),
    ("router_availability_zone", "Router Availability Zone",
     "Availability zone support for router."),
    ("security-group", "security-group", "The security groups extension."),
    ("standard-attr-description", "standard-attr-description",
     "Extension to add descriptions to standard attributes"),
    ("standard-attr-revisions", "Resource revision numbers",
     "This extension will display the revision number of neutron resources."),
    ("standard-attr-tag", "Tag support for resources with standard attribute: port, subnet, "
                          "network, router, floatingip, security_group",
     "Enables to set tag on resources with standard attribute."),
    ("standard-attr-timestamp", "Resource timestamps",
     "Adds created_at and updated_at fields to all Neutron resources that have Neutron "
     "standard attributes."),
    ("stateful-security-group", "Stateful security group",
     "Indicates if the security group is stateful or not"),
)

_TAGGED = {"networks": NETWORK, "subnets": SUBNET, "ports": PORT, "routers": ROUTER,
           "floatingips": FLOATINGIP, "security-groups": SECURITY_GROUP}


def _extension(alias: str, name: str, description: str) -> dict[str, Any]:
    return {"alias": alias, "name": name, "description": description, "updated": _UPDATED,
            "links": []}


def version_document(request: Request) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {"id": "v2.0", "status": "CURRENT",
            "links": [{"rel": "self", "href": f"{base}/networking/v2.0/"}]}


def versions_routes(router: APIRouter) -> None:
    @router.get("/networking")
    @router.get("/networking/")
    async def versions(request: Request) -> dict[str, Any]:
        return {"versions": [version_document(request)]}

    @router.get("/networking/v2.0")
    @router.get("/networking/v2.0/")
    async def resources(request: Request) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        return {"resources": [
            {"name": name.rstrip("s"), "collection": name,
             "links": [{"rel": "self", "href": f"{base}/networking/v2.0/{name}"}]}
            for name in ("networks", "subnets", "ports", "routers", "floatingips",
                         "security-groups", "security-group-rules", "quotas")
        ]}


def routes(router: APIRouter) -> None:
    @router.get("/extensions")
    async def list_extensions(context: Context) -> dict[str, Any]:
        return {"extensions": [_extension(*entry) for entry in EXTENSIONS]}

    @router.get("/extensions/{alias}")
    async def show_extension(alias: str, context: Context) -> dict[str, Any]:
        for entry in EXTENSIONS:
            if entry[0] == alias:
                return {"extension": _extension(*entry)}
        raise NotFound(f"Extension with alias {alias} does not exist",
                       code="ExtensionNotFound")

    @router.get("/availability_zones")
    async def availability_zones(context: Context) -> dict[str, Any]:
        return {"availability_zones": [
            {"name": "nova", "resource": kind, "state": "available"}
            for kind in ("network", "router")
        ]}

    def tagged(collection: str) -> str:
        kind = _TAGGED.get(collection)
        if kind is None:
            raise NotFound("The resource could not be found.")
        return kind

    def missing(collection: str) -> Any:
        title = {"floatingips": "Floating IP", "security-groups": "Security group"}.get(
            collection, collection[:-1].capitalize())
        return lambda resource_id: not_found(title, resource_id)

    @router.get("/{collection}/{resource_id}/tags")
    async def show_tags(collection: str, resource_id: str, context: Context,
                        sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            body = get_owned(tx, tagged(collection), resource_id, context,
                             missing(collection))
        return {"tags": body.get("tags", [])}

    @router.put("/{collection}/{resource_id}/tags")
    async def replace_tags(collection: str, resource_id: str, request: Request,
                           context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        body = await json_body(request)
        tags = body.get("tags") if isinstance(body, dict) else None
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise BadRequest("Invalid input for tags. Reason: a list of strings is expected.")
        kind = tagged(collection)
        with sandbox.transaction() as tx:
            record = get_owned(tx, kind, resource_id, context, missing(collection))
            record["tags"] = sorted(set(tags))
            tx.save(kind, touch(record, tx.now))
        return {"tags": record["tags"]}

    @router.put("/{collection}/{resource_id}/tags/{tag}")
    async def add_tag(collection: str, resource_id: str, tag: str, context: Context,
                      sandbox: SandboxDep) -> Response:
        kind = tagged(collection)
        with sandbox.transaction() as tx:
            record = get_owned(tx, kind, resource_id, context, missing(collection))
            record["tags"] = sorted({*record.get("tags", []), tag})
            tx.save(kind, touch(record, tx.now))
        return Response(status_code=201)

    @router.delete("/{collection}/{resource_id}/tags")
    async def clear_tags(collection: str, resource_id: str, context: Context,
                         sandbox: SandboxDep) -> Response:
        kind = tagged(collection)
        with sandbox.transaction() as tx:
            record = get_owned(tx, kind, resource_id, context, missing(collection))
            record["tags"] = []
            tx.save(kind, touch(record, tx.now))
        return Response(status_code=204)

    @router.delete("/{collection}/{resource_id}/tags/{tag}")
    async def remove_tag(collection: str, resource_id: str, tag: str, context: Context,
                         sandbox: SandboxDep) -> Response:
        kind = tagged(collection)
        with sandbox.transaction() as tx:
            record = get_owned(tx, kind, resource_id, context, missing(collection))
            if tag not in record.get("tags", []):
                raise NotFound(f"Tag {tag} could not be found for {collection[:-1]} "
                               f"{resource_id}.", code="TagNotFound")
            record["tags"] = [t for t in record["tags"] if t != tag]
            tx.save(kind, touch(record, tx.now))
        return Response(status_code=204)
