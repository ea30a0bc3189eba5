"""``POST /servers``: check the request the way Nova's API does, then start the build."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from calor.identity.context import RequestContext
from calor.sandbox.compute import hooks, server_ports
from calor.sandbox.compute.common import (
    KEYPAIR,
    SERVER,
    at_least,
    check_int,
    check_metadata,
    check_string,
    invalid,
)
from calor.sandbox.compute.flavors import find_flavor
from calor.sandbox.compute.keypairs import record_id
from calor.sandbox.compute.server_groups import add_member, get_group
from calor.sandbox.compute.server_states import move, state
from calor.sandbox.compute.usage import ensure_room
from calor.sandbox.errors import ApiError, BadRequest, Forbidden
from calor.sandbox.image import records as images
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import Sandbox
from calor.sandbox.states import Body, iso8601
from calor.sandbox.store import Transaction

_ALLOWED = {"name", "imageRef", "flavorRef", "adminPass", "metadata", "networks",
            "personality", "user_data", "key_name", "security_groups", "availability_zone",
            "block_device_mapping", "block_device_mapping_v2", "config_drive", "min_count",
            "max_count", "return_reservation_id", "accessIPv4", "accessIPv6",
            "OS-DCF:diskConfig", "description", "tags", "trusted_image_certificates", "host",
            "hypervisor_hostname", "hostname"}
_HINTS = ("os:scheduler_hints", "OS-SCH-HNT:scheduler_hints")


@dataclass
class CreateRequest:
    """A checked ``POST /servers`` body."""

    name: str
    flavor_ref: str
    image_ref: str
    networks: list[Any] | str | None
    metadata: dict[str, str]
    min_count: int
    max_count: int
    key_name: str | None
    security_groups: list[str]
    user_data: str | None
    config_drive: bool
    availability_zone: str | None
    block_devices: list[dict[str, Any]]
    scheduler_hints: dict[str, Any]
    description: str | None
    admin_pass: str
    tags: list[str] = field(default_factory=list)
    access_ipv4: str = ""
    access_ipv6: str = ""
    disk_config: str = "MANUAL"
    return_reservation_id: bool = False


def parse(body: Any, version: Microversion) -> CreateRequest:
    """Nova's schema checks of a create request (a 400 for anything wrong)."""
    if not isinstance(body, dict) or not isinstance(body.get("server"), dict):
        raise invalid("server", body, "'server' is a required property")
    server = body["server"]
    unknown = sorted(set(server) - _ALLOWED)
    if unknown:
        raise invalid("server", server, f"Additional properties are not allowed ('{unknown[0]}'"
                      " was unexpected)")
    name = check_string("name", server.get("name"), minimum=1)
    if "flavorRef" not in server:
        raise invalid("server", server, "'flavorRef' is a required property")
    if at_least(version, "2.37") and "networks" not in server:
        raise invalid("server", server, "'networks' is a required property")
    networks = server_ports.parse_networks(server["networks"]) if "networks" in server \
        else None
    groups = server.get("security_groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, dict) and "name" in g
                                               for g in groups):
        raise invalid("security_groups", groups, "each entry needs a 'name'")
    user_data = server.get("user_data")
    if user_data is not None:
        if not isinstance(user_data, str) or len(user_data) > 65535:
            raise invalid("user_data", user_data, "is not a string of at most 65535 characters")
        try:
            base64.b64decode(user_data, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("User data needs to be valid base 64.") from None
    block_devices = server.get("block_device_mapping_v2") or []
    if not isinstance(block_devices, list) or not all(isinstance(b, dict)
                                                      for b in block_devices):
        raise invalid("block_device_mapping_v2", block_devices, "is not of type 'array'")
    hints: dict[str, Any] = {}
    for key in _HINTS:
        if isinstance(body.get(key), dict):
            hints.update(body[key])
    min_count = check_int("min_count", server.get("min_count", 1), minimum=1)
    max_count = check_int("max_count", server.get("max_count", min_count), minimum=1)
    if min_count > max_count:
        raise BadRequest("min_count must be <= max_count")
    config_drive = server.get("config_drive", False)
    tags = server.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise invalid("tags", tags, "is not a list of strings")
    image_ref = server.get("imageRef", "")
    if not isinstance(image_ref, str):
        raise invalid("imageRef", image_ref, "is not of type 'string'")
    return CreateRequest(
        name=name, flavor_ref=str(server["flavorRef"]), image_ref=image_ref,
        networks=networks,
        metadata=check_metadata("metadata", server.get("metadata", {})),
        min_count=min_count, max_count=max_count,
        key_name=server.get("key_name"), security_groups=[str(g["name"]) for g in groups],
        user_data=user_data, config_drive=config_drive not in (False, None, "", "False"),
        availability_zone=server.get("availability_zone"), block_devices=block_devices,
        scheduler_hints=hints, description=server.get("description"),
        admin_pass=str(server.get("adminPass") or secrets.token_urlsafe(9)), tags=tags,
        access_ipv4=str(server.get("accessIPv4") or ""),
        access_ipv6=str(server.get("accessIPv6") or ""),
        disk_config=str(server.get("OS-DCF:diskConfig") or "MANUAL"),
        return_reservation_id=bool(server.get("return_reservation_id", False)),
    )


def _boot_from_volume(request: CreateRequest) -> bool:
    return any(str(b.get("boot_index")) == "0" and (
        b.get("destination_type") == "volume" or b.get("source_type") in {"volume", "snapshot"})
        for b in request.block_devices)


def _image(tx: Transaction, request: CreateRequest, flavor: Body,
           context: RequestContext) -> Body | None:
    if not request.image_ref:
        if not _boot_from_volume(request):
            raise BadRequest("Block Device Mapping is Invalid: Boot sequence for the instance "
                             "and image/block device mapping combination is not valid.")
        return None
    image_id = request.image_ref.rstrip("/").rsplit("/", 1)[-1]
    image = images.find(tx, image_id, context)
    if image is None:
        raise BadRequest(f"Image {image_id} could not be found.")
    if image["status"] != "active":
        raise BadRequest(f"Image {image_id} is not active.")
    disk_bytes = int(flavor["disk"]) * 1024 ** 3
    if flavor["disk"] and not _boot_from_volume(request):
        if int(image.get("min_disk") or 0) > int(flavor["disk"]):
            raise BadRequest("Flavor's disk is too small for requested image. Flavor disk is "
                             f"{disk_bytes} bytes, minimum required by image is "
                             f"{int(image['min_disk']) * 1024 ** 3} bytes.")
        if int(image.get("size") or 0) > disk_bytes:
            raise BadRequest("Flavor's disk is too small for requested image. Flavor disk is "
                             f"{disk_bytes} bytes, image is {image['size']} bytes.")
    if int(image.get("min_ram") or 0) > int(flavor["ram"]):
        raise BadRequest("Flavor's memory is too small for requested image.")
    return image


def _hostname(name: str) -> str:
    cleaned = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    return cleaned[:63] or "server"


def create(sandbox: Sandbox, tx: Transaction, request: CreateRequest,
           context: RequestContext) -> tuple[list[Body], str]:
    """Make the servers (and their ports); returns them and the reservation id."""
    flavor = find_flavor(tx, request.flavor_ref, context)
    if flavor is None:
        raise BadRequest(f"Flavor {request.flavor_ref} could not be found.")
    image = _image(tx, request, flavor, context)
    if request.key_name is not None and \
            tx.get(KEYPAIR, record_id(context.user_id, str(request.key_name))) is None:
        raise BadRequest("Invalid key_name provided.")
    if request.availability_zone not in (None, "", "nova"):
        raise BadRequest("The requested availability zone is not available")
    limit = sandbox.quotas.limit(tx, "compute", context.project_id, "metadata_items")
    if limit >= 0 and len(request.metadata) > limit:
        raise Forbidden(f"Quota exceeded for metadata_items: Requested "
                        f"{len(request.metadata)}, but already used 0 of {limit} "
                        "metadata_items")
    if request.block_devices and any(
            b.get("destination_type") == "volume" or b.get("source_type") in {"volume",
                                                                              "snapshot"}
            for b in request.block_devices) and not hooks.hooks():
        raise BadRequest("Block Device Mapping is Invalid: the sandbox has no volume service.")
    count = request.max_count
    ensure_room(sandbox, tx, context.project_id, {
        "instances": count, "cores": count * int(flavor["vcpus"]),
        "ram": count * int(flavor["ram"])})
    planned = server_ports.plan(tx, request.networks, context, count)
    groups = server_ports.security_group_ids(tx, request.security_groups, context)
    group = None
    if request.scheduler_hints.get("group"):
        try:
            group = get_group(tx, str(request.scheduler_hints["group"]), context)
        except ApiError as error:
            raise BadRequest(error.message) from None
    reservation = f"r-{secrets.token_hex(4)}"
    servers = []
    for index in range(count):
        server = _new_server(tx, request, flavor, image, context, reservation, index,
                             [g["name"] for g in groups], group)
        try:
            server["_created_ports"] = server_ports.attach(sandbox, tx, server, planned,
                                                          groups, context)
        except server_ports.NoAddressLeft as error:
            server["_created_ports"] = []
            message = f"Build of instance {server['id']} aborted: {error}"
            move(sandbox, tx, server, "compute.server.create", state("BUILD", "spawning"),
                 {**state("ERROR"), "fault": {"code": 500, "message": message,
                                              "created": iso8601(tx.now)}})
            servers.append(server)
            continue
        if group is not None:
            add_member(sandbox, tx, group, server["id"])
        for hook in hooks.hooks():
            hook.on_create(sandbox, tx, server, request.block_devices, context)
        move(sandbox, tx, server, "compute.server.create", state("BUILD", "spawning"),
             {**state("ACTIVE"), "OS-SRV-USG:launched_at": None})
        _launched_at(server)
        tx.save(SERVER, server)
        servers.append(server)
    return servers, reservation


def _launched_at(server: Body) -> None:
    # The build's last step also says when the server came up.
    for step in server.get("_pending", []):
        if step["set"] and step["set"].get("status") == "ACTIVE":
            step["set"]["OS-SRV-USG:launched_at"] = step["set"]["updated"].replace(
                "Z", ".000000")
    if server["status"] == "ACTIVE" and not server.get("OS-SRV-USG:launched_at"):
        server["OS-SRV-USG:launched_at"] = server["updated"].replace("Z", ".000000")


def _new_server(tx: Transaction, request: CreateRequest, flavor: Body, image: Body | None,
                context: RequestContext, reservation: str, index: int,
                group_names: list[str], group: Body | None) -> Body:
    server_id = str(uuid.uuid4())
    name = request.name if request.max_count == 1 else f"{request.name}-{index + 1}"
    stamp = iso8601(tx.now)
    number = int(tx.get_meta("instance_number") or 0) + 1
    tx.set_meta("instance_number", number)
    server: Body = {
        "id": server_id, "name": name, "tenant_id": context.project_id,
        "user_id": context.user_id, "metadata": dict(request.metadata),
        "hostId": hashlib.sha224(f"{context.project_id}sandbox".encode()).hexdigest(),
        "image": image["id"] if image else "",
        "flavor": {"id": flavor["id"], "vcpus": flavor["vcpus"], "ram": flavor["ram"],
                   "disk": flavor["disk"], "ephemeral": flavor["OS-FLV-EXT-DATA:ephemeral"],
                   "swap": flavor["swap"], "original_name": flavor["name"],
                   "extra_specs": dict(flavor["extra_specs"])},
        "created": stamp, "updated": stamp, "accessIPv4": request.access_ipv4,
        "accessIPv6": request.access_ipv6, "key_name": request.key_name,
        "config_drive": "True" if request.config_drive else "", "progress": 0,
        "OS-DCF:diskConfig": request.disk_config, "OS-EXT-AZ:availability_zone": "nova",
        **state("BUILD", "scheduling"),
        "OS-SRV-USG:launched_at": None, "OS-SRV-USG:terminated_at": None,
        "os-extended-volumes:volumes_attached": [],
        "security_groups": [{"name": n} for n in group_names],
        "locked": False, "locked_reason": None, "description": request.description,
        "tags": sorted(set(request.tags)), "trusted_image_certificates": None,
        "host_status": "UP", "server_groups": [group["id"]] if group else [],
        "pinned_availability_zone": None,
        "OS-EXT-SRV-ATTR:host": "sandbox", "OS-EXT-SRV-ATTR:hypervisor_hostname": "sandbox",
        "OS-EXT-SRV-ATTR:instance_name": f"instance-{number:08x}",
        "OS-EXT-SRV-ATTR:reservation_id": reservation,
        "OS-EXT-SRV-ATTR:launch_index": index, "OS-EXT-SRV-ATTR:kernel_id": "",
        "OS-EXT-SRV-ATTR:ramdisk_id": "", "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
        "OS-EXT-SRV-ATTR:user_data": request.user_data,
        "hostname": _hostname(name),
        "_block_device_mapping_v2": request.block_devices,
        "_scheduler_hints": request.scheduler_hints, "_admin_pass": request.admin_pass,
        "_created_ports": [], "_created_at": tx.now + index * 1e-6,
    }
    return tx.insert(SERVER, server, project_id=context.project_id)
