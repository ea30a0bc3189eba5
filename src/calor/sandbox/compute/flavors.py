"""Nova flavors: ``/flavors`` (+ ``/detail``), extra specs and flavor access."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, page, parse_bool
from calor.sandbox.compute.common import (
    FLAVOR,
    Version,
    at_least,
    check_int,
    check_string,
    invalid,
    links,
    require_admin,
)
from calor.sandbox.errors import BadRequest, Conflict, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

#: (name, RAM MB, vCPUs, disk GB): devstack's m1 sizes.
SEEDED = (("m1.tiny", 512, 1, 1), ("m1.small", 2048, 1, 20), ("m1.medium", 4096, 2, 40),
          ("m1.large", 8192, 4, 80))


def flavor_missing(flavor_id: str) -> NotFound:
    return NotFound(f"Flavor {flavor_id} could not be found.")


def new_flavor(tx: Transaction, *, name: str, ram: int, vcpus: int, disk: int,
               flavor_id: str | None = None, ephemeral: int = 0, swap: int = 0,
               rxtx_factor: float = 1.0, is_public: bool = True,
               description: str | None = None) -> Body:
    flavor = {"id": flavor_id or str(uuid.uuid4()), "name": name, "ram": ram, "vcpus": vcpus,
              "disk": disk, "OS-FLV-EXT-DATA:ephemeral": ephemeral, "swap": swap,
              "rxtx_factor": rxtx_factor, "os-flavor-access:is_public": is_public,
              "OS-FLV-DISABLED:disabled": False, "description": description,
              "extra_specs": {}, "_access": []}
    return tx.insert(FLAVOR, flavor)


def seed_flavors(tx: Transaction) -> None:
    for name, ram, vcpus, disk in SEEDED:
        if not tx.list(FLAVOR, name=name):
            new_flavor(tx, name=name, ram=ram, vcpus=vcpus, disk=disk)


def accessible(context: RequestContext, flavor: Body) -> bool:
    return context.is_admin or flavor["os-flavor-access:is_public"] \
        or context.project_id in flavor["_access"]


def find_flavor(tx: Transaction, ref: str, context: RequestContext) -> Body | None:
    """A flavor by id or by a link to it (``flavorRef`` may be either)."""
    flavor_id = ref.rstrip("/").rsplit("/", 1)[-1]
    flavor = tx.get(FLAVOR, flavor_id)
    return flavor if flavor is not None and accessible(context, flavor) else None


def embedded(flavor: Body, version: Microversion, request: Request) -> Body:
    """The flavor as a server shows it: a link before 2.47, a copy of its sizes since."""
    if at_least(version, "2.47"):
        return {"vcpus": flavor["vcpus"], "ram": flavor["ram"], "disk": flavor["disk"],
                "ephemeral": flavor["OS-FLV-EXT-DATA:ephemeral"], "swap": flavor["swap"],
                "original_name": flavor["name"], "extra_specs": dict(flavor["extra_specs"])}
    return {"id": flavor["id"], "links": links(request, "flavors", flavor["id"])[1:]}


def view(flavor: Body, version: Microversion, request: Request, *, detail: bool) -> Body:
    shown: Body = {"id": flavor["id"], "name": flavor["name"],
                   "links": links(request, "flavors", flavor["id"])}
    if at_least(version, "2.55"):
        shown["description"] = flavor["description"]
    if not detail:
        return shown
    swap = flavor["swap"]
    shown.update({
        "ram": flavor["ram"], "vcpus": flavor["vcpus"], "disk": flavor["disk"],
        "OS-FLV-EXT-DATA:ephemeral": flavor["OS-FLV-EXT-DATA:ephemeral"],
        "OS-FLV-DISABLED:disabled": flavor["OS-FLV-DISABLED:disabled"],
        "swap": swap if swap or at_least(version, "2.75") else "",
        "rxtx_factor": flavor["rxtx_factor"],
        "os-flavor-access:is_public": flavor["os-flavor-access:is_public"],
    })
    if at_least(version, "2.61"):
        shown["extra_specs"] = dict(flavor["extra_specs"])
    return shown


def _listed(request: Request, context: RequestContext, flavors: list[Body],
            version: Microversion, *, detail: bool) -> dict[str, Any]:
    params = request.query_params
    wanted = params.get("is_public")
    if wanted is None or wanted == "":
        public_filter: bool | None = True
    elif wanted.lower() == "none":
        public_filter = None
    else:
        public_filter = parse_bool(wanted)
    found = [f for f in flavors if accessible(context, f)]
    if public_filter is not None and context.is_admin:
        found = [f for f in found if f["os-flavor-access:is_public"] == public_filter]
    for key, field in (("minDisk", "disk"), ("minRam", "ram")):
        if params.get(key):
            limit = check_int(key, params[key], minimum=0)
            found = [f for f in found if f[field] >= limit]
    sort_key = {"flavorid": "id", "memory_mb": "ram", "root_gb": "disk",
                "ephemeral_gb": "OS-FLV-EXT-DATA:ephemeral"}.get(
        params.get("sort_key", "flavorid"), params.get("sort_key", "id"))
    if found and sort_key not in found[0]:
        raise BadRequest(f"Invalid input for query parameters sort_key. Value: {sort_key}.")
    found.sort(key=lambda f: (str(type(f[sort_key])), f[sort_key]),
               reverse=params.get("sort_dir") == "desc")
    shown, more = page(found, limit=params.get("limit"), marker=params.get("marker"))
    answer: dict[str, Any] = {"flavors": [view(f, version, request, detail=detail)
                                          for f in shown]}
    if more and shown:
        answer["flavors_links"] = [{"rel": "next", "href": str(request.url.include_query_params(
            marker=shown[-1]["id"]))}]
    return answer


def routes(router: APIRouter) -> None:
    def get(tx: Transaction, flavor_id: str, context: RequestContext) -> Body:
        flavor = tx.get(FLAVOR, flavor_id)
        if flavor is None or not accessible(context, flavor):
            raise flavor_missing(flavor_id)
        return flavor

    @router.get("/flavors")
    async def list_flavors(request: Request, context: Context, version: Version,
                           sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return _listed(request, context, tx.list(FLAVOR), version, detail=False)

    @router.get("/flavors/detail")
    async def list_flavors_detail(request: Request, context: Context, version: Version,
                                  sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return _listed(request, context, tx.list(FLAVOR), version, detail=True)

    @router.get("/flavors/{flavor_id}")
    async def show_flavor(flavor_id: str, request: Request, context: Context,
                          version: Version, sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"flavor": view(get(tx, flavor_id, context), version, request,
                                   detail=True)}

    @router.post("/flavors")
    async def create_flavor(request: Request, context: Context, version: Version,
                            sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-flavor-manage:create")
        body = member(await json_body(request), "flavor")
        name = check_string("name", body.get("name"), minimum=1).strip()
        flavor_id = body.get("id")
        if flavor_id in (None, "auto"):
            flavor_id = None
        else:
            flavor_id = check_string("id", flavor_id, minimum=1)
        values = {
            "ram": check_int("ram", body.get("ram"), minimum=1),
            "vcpus": check_int("vcpus", body.get("vcpus"), minimum=1),
            "disk": check_int("disk", body.get("disk"), minimum=0),
            "ephemeral": check_int("OS-FLV-EXT-DATA:ephemeral",
                                   body.get("OS-FLV-EXT-DATA:ephemeral", 0), minimum=0),
            "swap": check_int("swap", body.get("swap", 0) or 0, minimum=0),
        }
        public = body.get("os-flavor-access:is_public", True)
        if not isinstance(public, bool):
            raise invalid("os-flavor-access:is_public", public, "is not of type 'boolean'")
        description = body.get("description")
        if description is not None:
            check_string("description", description, maximum=65535)
        await sandbox.faults.gate("compute.flavor.create")
        with sandbox.transaction() as tx:
            if tx.list(FLAVOR, name=name):
                raise Conflict(f"Flavor with name {name} already exists.")
            if flavor_id and tx.get(FLAVOR, flavor_id):
                raise Conflict(f"Flavor with ID {flavor_id} already exists.")
            flavor = new_flavor(tx, name=name, flavor_id=flavor_id, is_public=public,
                                rxtx_factor=float(body.get("rxtx_factor", 1.0)),
                                description=description, **values)
        return {"flavor": view(flavor, version, request, detail=True)}

    @router.put("/flavors/{flavor_id}")
    async def update_flavor(flavor_id: str, request: Request, context: Context,
                            version: Version, sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-flavor-manage:update")
        body = member(await json_body(request), "flavor")
        if set(body) != {"description"}:
            raise invalid("flavor", body, "only 'description' may be updated")
        with sandbox.transaction() as tx:
            flavor = get(tx, flavor_id, context)
            flavor["description"] = body["description"]
            tx.save(FLAVOR, flavor)
        return {"flavor": view(flavor, version, request, detail=True)}

    @router.delete("/flavors/{flavor_id}")
    async def delete_flavor(flavor_id: str, context: Context,
                            sandbox: SandboxDep) -> Response:
        require_admin(context.is_admin, "os_compute_api:os-flavor-manage:delete")
        await sandbox.faults.gate("compute.flavor.delete")
        with sandbox.transaction() as tx:
            get(tx, flavor_id, context)
            tx.delete(FLAVOR, flavor_id)
        return Response(status_code=202)

    @router.get("/flavors/{flavor_id}/os-extra_specs")
    async def extra_specs(flavor_id: str, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"extra_specs": get(tx, flavor_id, context)["extra_specs"]}

    @router.post("/flavors/{flavor_id}/os-extra_specs")
    async def add_extra_specs(flavor_id: str, request: Request, context: Context,
                              sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-flavor-extra-specs:create")
        specs = member(await json_body(request), "extra_specs")
        for key, value in specs.items():
            check_string(f"extra_specs.{key}", value if isinstance(value, str) else str(value))
        with sandbox.transaction() as tx:
            flavor = get(tx, flavor_id, context)
            flavor["extra_specs"].update({k: str(v) for k, v in specs.items()})
            tx.save(FLAVOR, flavor)
        return {"extra_specs": flavor["extra_specs"]}

    @router.get("/flavors/{flavor_id}/os-extra_specs/{key}")
    async def extra_spec(flavor_id: str, key: str, context: Context,
                         sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            specs = get(tx, flavor_id, context)["extra_specs"]
        if key not in specs:
            raise NotFound(f"Flavor {flavor_id} has no extra specs with key {key}.")
        return {key: specs[key]}

    @router.put("/flavors/{flavor_id}/os-extra_specs/{key}")
    async def set_extra_spec(flavor_id: str, key: str, request: Request, context: Context,
                             sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-flavor-extra-specs:update")
        body = await json_body(request)
        if not isinstance(body, dict) or list(body) != [key]:
            raise BadRequest("Request body and URI mismatch")
        with sandbox.transaction() as tx:
            flavor = get(tx, flavor_id, context)
            flavor["extra_specs"][key] = str(body[key])
            tx.save(FLAVOR, flavor)
        return {key: flavor["extra_specs"][key]}

    @router.delete("/flavors/{flavor_id}/os-extra_specs/{key}")
    async def delete_extra_spec(flavor_id: str, key: str, context: Context,
                                sandbox: SandboxDep) -> Response:
        require_admin(context.is_admin, "os_compute_api:os-flavor-extra-specs:delete")
        with sandbox.transaction() as tx:
            flavor = get(tx, flavor_id, context)
            if key not in flavor["extra_specs"]:
                raise NotFound(f"Flavor {flavor_id} has no extra specs with key {key}.")
            del flavor["extra_specs"][key]
            tx.save(FLAVOR, flavor)
        return Response(status_code=202)

    def access_list(flavor: Body) -> dict[str, Any]:
        return {"flavor_access": [{"flavor_id": flavor["id"], "tenant_id": project}
                                  for project in flavor["_access"]]}

    @router.get("/flavors/{flavor_id}/os-flavor-access")
    async def flavor_access(flavor_id: str, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-flavor-access")
        with sandbox.transaction() as tx:
            flavor = get(tx, flavor_id, context)
        if flavor["os-flavor-access:is_public"]:
            raise NotFound("Access list not available for public flavors.")
        return access_list(flavor)

    @router.post("/flavors/{flavor_id}/action")
    async def flavor_action(flavor_id: str, request: Request, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-flavor-access:add_tenant_access")
        body = await json_body(request)
        if not isinstance(body, dict) or len(body) != 1:
            raise BadRequest("Malformed request body")
        (action, arguments), = body.items()
        if action not in {"addTenantAccess", "removeTenantAccess"} or \
                not isinstance(arguments, dict) or not isinstance(arguments.get("tenant"), str):
            raise BadRequest(f"There is no such action: {action}")
        project = arguments["tenant"]
        with sandbox.transaction() as tx:
            flavor = get(tx, flavor_id, context)
            if flavor["os-flavor-access:is_public"]:
                raise Conflict("Can not add access to a public flavor.")
            if action == "addTenantAccess":
                if project in flavor["_access"]:
                    raise Conflict(f"Flavor access already exists for flavor {flavor_id} and "
                                   f"project {project} combination.")
                flavor["_access"].append(project)
            else:
                if project not in flavor["_access"]:
                    raise NotFound(f"Flavor access not found for {flavor_id} / {project} "
                                   "combination.")
                flavor["_access"].remove(project)
            tx.save(FLAVOR, flavor)
        return access_list(flavor)

