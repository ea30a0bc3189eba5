"""Names or ids, to the cloud's ids: what templates say, as the APIs need it.

A template may name a network, flavor or image by name or by id; Heat
resolves it before the resource is created, and its custom constraints
(``neutron.network``, ``nova.flavor``, ``glance.image``, ...) do the same
lookup during validation. Both use these finders, which raise
:class:`EntityNotFound` with Heat's own words for what was not found.
Each finder is a coroutine on a :class:`~calor.clouds.Cloud`; a cloud
failure other than "not found" raises :class:`calor.clouds.CloudError`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from calor import clouds
from calor.clouds import Cloud
from calor.resources.openstack.errors import EntityNotFound

#: Neutron's collection (path, answer key) for the resources Heat looks up by name or id.
NEUTRON_COLLECTIONS: Mapping[str, tuple[str, str]] = {
    "network": ("networks", "networks"),
    "subnet": ("subnets", "subnets"),
    "port": ("ports", "ports"),
    "router": ("routers", "routers"),
    "security_group": ("security-groups", "security_groups"),
    "subnetpool": ("subnetpools", "subnetpools"),
    "qos_policy": ("qos/policies", "policies"),
}


def is_uuid(value: str) -> bool:
    """Whether ``value`` looks like a UUID (with or without dashes)."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def _get(cloud: Cloud, service: str, path: str, *,
               params: Mapping[str, Any] | None = None,
               max_microversion: str | None = None) -> Any:
    """The JSON body, or None for a 404."""
    try:
        answer = await cloud.request(service, "GET", path, params=params,
                                     max_microversion=max_microversion)
    except clouds.NotFound:
        return None
    return answer.body


async def find_neutron_id(cloud: Cloud, resource: str, name_or_id: str, *,
                          verify: bool = True) -> str:
    """The id of the Neutron ``resource`` (``network``, ``subnet``, ...) named so, or so id-ed.

    Without ``verify`` an id is taken as it is (the request that uses it
    fails with Neutron's own message if it names nothing); a name is always
    looked up.
    """
    if is_uuid(name_or_id) and not verify:
        return name_or_id
    remembered = cloud.lookups.get((resource, name_or_id))
    if remembered is not None:
        return remembered
    found = await _find_neutron_id(cloud, resource, name_or_id)
    cloud.lookups.put((resource, name_or_id), found)
    return found


async def _find_neutron_id(cloud: Cloud, resource: str, name_or_id: str) -> str:
    collection, key = NEUTRON_COLLECTIONS[resource]
    if is_uuid(name_or_id):
        found = await _get(cloud, "network", f"/{collection}/{name_or_id}")
        if found is not None:
            return name_or_id
    params = {"name": name_or_id}
    if resource == "security_group":
        # Every project has a group named "default": look in the caller's own.
        params["project_id"] = await cloud.project_id()
    body = await _get(cloud, "network", f"/{collection}", params=params)
    matches = [item for item in (body or {}).get(key, []) if item.get("name") == name_or_id]
    if not matches:
        raise EntityNotFound(f"Unable to find {resource} with name or id '{name_or_id}'")
    if len(matches) > 1:
        raise EntityNotFound(f"Multiple {resource} matches found for name '{name_or_id}', "
                             "use an ID to be more specific.")
    return str(matches[0]["id"])


async def find_flavor_id(cloud: Cloud, name_or_id: str) -> str:
    """The id of the Nova flavor with that id, else that name."""
    key = ("flavor", name_or_id)
    remembered = cloud.lookups.get(key)
    if remembered is not None:
        return remembered
    found_id = await _find_flavor_id(cloud, name_or_id)
    cloud.lookups.put(key, found_id)
    return found_id


async def _find_flavor_id(cloud: Cloud, name_or_id: str) -> str:
    found = await _get(cloud, "compute", f"/flavors/{name_or_id}")
    if found is not None:
        return str(found["flavor"]["id"])
    body = await _get(cloud, "compute", "/flavors/detail", params={"is_public": "None"})
    matches = [f for f in (body or {}).get("flavors", []) if f.get("name") == name_or_id]
    if len(matches) != 1:
        raise EntityNotFound(f"No Flavor matching {{'name': '{name_or_id}'}}. (HTTP 404)")
    return str(matches[0]["id"])


async def find_image_id(cloud: Cloud, name_or_id: str) -> str:
    """The id of the Glance image with that id, else that name."""
    key = ("image", name_or_id)
    remembered = cloud.lookups.get(key)
    if remembered is not None:
        return remembered
    found_id = await _find_image_id(cloud, name_or_id)
    cloud.lookups.put(key, found_id)
    return found_id


async def _find_image_id(cloud: Cloud, name_or_id: str) -> str:
    if is_uuid(name_or_id):
        found = await _get(cloud, "image", f"/images/{name_or_id}")
        if found is not None:
            return str(found["id"])
    body = await _get(cloud, "image", "/images", params={"name": name_or_id})
    matches = [i for i in (body or {}).get("images", []) if i.get("name") == name_or_id]
    if not matches:
        raise EntityNotFound(f"No images matching {{'name': '{name_or_id}'}}.")
    if len(matches) > 1:
        raise EntityNotFound(f"No images unique match found for {{'name': '{name_or_id}'}}.")
    return str(matches[0]["id"])


async def find_keypair(cloud: Cloud, name: str) -> str:
    """The keypair's name, once the cloud confirms it exists."""
    if await _get(cloud, "compute", f"/os-keypairs/{name}") is None:
        raise EntityNotFound(f"The Key ({name}) could not be found.")
    return name


async def find_volume_id(cloud: Cloud, volume_id: str) -> str:
    """The Cinder volume's id, once the cloud confirms it exists."""
    if await _get(cloud, "volume", f"/volumes/{volume_id}") is None:
        raise EntityNotFound(f"The Volume ({volume_id}) could not be found.")
    return volume_id


async def find_snapshot_id(cloud: Cloud, snapshot_id: str) -> str:
    """The Cinder snapshot's id, once the cloud confirms it exists."""
    if await _get(cloud, "volume", f"/snapshots/{snapshot_id}") is None:
        raise EntityNotFound(f"The VolumeSnapshot ({snapshot_id}) could not be found.")
    return snapshot_id


async def find_volume_type_id(cloud: Cloud, name_or_id: str) -> str:
    """The id of the Cinder volume type with that name or id."""
    body = await _get(cloud, "volume", "/types")
    for found in (body or {}).get("volume_types", []):
        if name_or_id in (found.get("name"), found.get("id")):
            return str(found["id"])
    raise EntityNotFound(f"The VolumeType ({name_or_id}) could not be found.")


async def security_group_ids(cloud: Cloud, names_or_ids: list[str]) -> list[str]:
    """Security group ids for names (of the current project) or ids, as Heat resolves them."""
    found: list[str] = []
    groups: list[dict[str, Any]] | None = None
    for group in names_or_ids:
        if is_uuid(group):
            found.append(group)
            continue
        if groups is None:
            project_id = await cloud.project_id()
            body = await _get(cloud, "network", "/security-groups",
                              params={"project_id": project_id})
            groups = list((body or {}).get("security_groups", []))
        same = [g["id"] for g in groups if g.get("name") == group]
        if not same:
            raise EntityNotFound(f"The Resource ({group}) could not be found.")
        if len(same) > 1:
            raise EntityNotFound(
                f"Multiple physical resources were found with name ({group}).")
        found.append(str(same[0]))
    return found


def _neutron(resource: str) -> Callable[[Cloud, str], Awaitable[str]]:
    async def find(cloud: Cloud, value: str) -> str:
        return await find_neutron_id(cloud, resource, value)

    return find


#: The custom constraints that ask the cloud, each with the lookup it does.
CLOUD_CONSTRAINTS: Mapping[str, Callable[[Cloud, str], Awaitable[str]]] = {
    "neutron.network": _neutron("network"),
    "neutron.subnet": _neutron("subnet"),
    "neutron.port": _neutron("port"),
    "neutron.router": _neutron("router"),
    "neutron.security_group": _neutron("security_group"),
    "nova.flavor": find_flavor_id,
    "nova.keypair": find_keypair,
    "glance.image": find_image_id,
    "cinder.volume": find_volume_id,
    "cinder.snapshot": find_snapshot_id,
    "cinder.vtype": find_volume_type_id,
}
