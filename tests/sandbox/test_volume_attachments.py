"""Volumes on servers: Nova's os-volume_attachments, boot from volume, and server delete."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openstack.connection import Connection
from tests.sandbox.running import SDK_WARNINGS, Openstack, RunningSandbox
from tests.sandbox.volume_clients import (
    cinder,
    cirros_id,
    create_volume,
    tidy,
    volume_status,
    wait_until,
)

pytestmark = SDK_WARNINGS


@pytest.fixture(scope="module")
def admin_cinder(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with cinder(sandbox) as client:
        yield client


@pytest.fixture
def api(admin_cinder: httpx.Client) -> Iterator[httpx.Client]:
    """Cinder as admin; the volumes a test makes are deleted after it."""
    with tidy(admin_cinder):
        yield admin_cinder


@pytest.fixture(scope="module")
def nova(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    headers = {"X-Auth-Token": sandbox.token(), "OpenStack-API-Version": "compute 2.89"}
    with httpx.Client(base_url=f"{sandbox.url}/compute/v2.1", headers=headers) as client:
        yield client


def boot(nova: httpx.Client, **extra: Any) -> dict[str, Any]:
    """An ACTIVE server without networks (the session sandbox has no latency)."""
    flavor = next(f["id"] for f in nova.get("/flavors").json()["flavors"]
                  if f["name"] == "m1.tiny")
    body = {"name": f"vm-{uuid.uuid4().hex[:6]}", "flavorRef": flavor, "networks": "none",
            **extra}
    answer = nova.post("/servers", json={"server": body})
    assert answer.status_code == 202, answer.text
    server_id = answer.json()["server"]["id"]
    return dict(nova.get(f"/servers/{server_id}").json()["server"])


@pytest.fixture
def server(nova: httpx.Client, cloud: Connection) -> Iterator[dict[str, Any]]:
    found = boot(nova, imageRef=cirros_id(cloud))
    yield found
    nova.delete(f"/servers/{found['id']}")


def test_openstack_server_add_volume_makes_the_volume_in_use(
        openstack_cli: Openstack, api: httpx.Client, server: dict[str, Any]) -> None:
    volume = create_volume(api, name=f"cli-{uuid.uuid4().hex[:6]}")
    openstack_cli("server", "add", "volume", server["name"], volume["name"])
    shown = api.get(f"/volumes/{volume['id']}").json()["volume"]
    assert shown["status"] == "in-use"
    (attached,) = shown["attachments"]
    assert (attached["server_id"], attached["device"], attached["volume_id"]) == \
        (server["id"], "/dev/vdb", volume["id"])
    assert set(attached) >= {"attachment_id", "id", "host_name", "attached_at"}
    assert api.delete(f"/volumes/{volume['id']}").status_code == 400
    assert volume_status(api, volume["id"]) == "in-use"


def test_sdk_attach_and_detach_volume_wait_for_in_use_and_available(
        cloud: Connection, server: dict[str, Any]) -> None:
    volume = cloud.block_storage.create_volume(size=1, name=f"sdk-{uuid.uuid4().hex[:6]}")
    volume = cloud.block_storage.wait_for_status(volume, "available", interval=0.1, wait=10)
    vm = cloud.compute.get_server(server["id"])
    cloud.attach_volume(vm, volume, wait=True, timeout=10)
    attached = cloud.block_storage.get_volume(volume.id)
    assert attached.status == "in-use"
    assert attached.attachments[0]["server_id"] == server["id"]
    assert [a.volume_id for a in cloud.compute.volume_attachments(vm)] == [volume.id]
    cloud.detach_volume(vm, attached, wait=True, timeout=10)
    assert cloud.block_storage.get_volume(volume.id).status == "available"
    cloud.block_storage.delete_volume(volume.id)


def test_nova_attachment_views_follow_the_microversion(
        nova: httpx.Client, api: httpx.Client, server: dict[str, Any]) -> None:
    volume = create_volume(api)
    path = f"/servers/{server['id']}/os-volume_attachments"
    made = nova.post(path, json={"volumeAttachment": {"volumeId": volume["id"],
                                                      "tag": "data"}})
    assert made.status_code == 200
    assert made.json()["volumeAttachment"] == {
        "id": volume["id"], "serverId": server["id"], "volumeId": volume["id"],
        "device": "/dev/vdb", "tag": "data", "delete_on_termination": False}
    shown = nova.get(f"{path}/{volume['id']}").json()["volumeAttachment"]
    assert "id" not in shown and shown["attachment_id"] and shown["bdm_uuid"]
    old = nova.get(path, headers={"OpenStack-API-Version": "compute 2.60"}).json()
    assert old["volumeAttachments"] == [{"id": volume["id"], "volumeId": volume["id"],
                                         "serverId": server["id"], "device": "/dev/vdb"}]
    server_body = nova.get(f"/servers/{server['id']}").json()["server"]
    assert server_body["os-extended-volumes:volumes_attached"] == [
        {"id": volume["id"], "delete_on_termination": False}]
    assert nova.delete(f"{path}/{volume['id']}").status_code == 202
    assert volume_status(api, volume["id"]) == "available"
    assert nova.get(f"/servers/{server['id']}").json()["server"][
        "os-extended-volumes:volumes_attached"] == []


def test_a_volume_in_use_cannot_be_attached_again(
        nova: httpx.Client, api: httpx.Client, server: dict[str, Any]) -> None:
    volume = create_volume(api)
    path = f"/servers/{server['id']}/os-volume_attachments"
    nova.post(path, json={"volumeAttachment": {"volumeId": volume["id"]}})
    again = nova.post(path, json={"volumeAttachment": {"volumeId": volume["id"]}})
    assert again.status_code == 400
    assert again.json()["badRequest"]["message"] == (
        f"Invalid input received: Invalid volume: Volume {volume['id']} status must be "
        "available or downloading to reserve, but the current status is in-use. (HTTP 400)")
    nova.delete(f"{path}/{volume['id']}")


def test_unknown_servers_volumes_and_attachments_are_novas_404(
        nova: httpx.Client, api: httpx.Client, server: dict[str, Any]) -> None:
    volume = create_volume(api)
    missing = str(uuid.uuid4())
    answer = nova.post(f"/servers/{missing}/os-volume_attachments",
                       json={"volumeAttachment": {"volumeId": volume["id"]}})
    assert answer.json() == {"itemNotFound": {
        "code": 404, "message": f"Instance {missing} could not be found."}}
    path = f"/servers/{server['id']}/os-volume_attachments"
    unknown = nova.post(path, json={"volumeAttachment": {"volumeId": missing}})
    assert unknown.json()["itemNotFound"]["message"] == f"Volume {missing} could not be found."
    detached = nova.delete(f"{path}/{volume['id']}")
    assert detached.status_code == 404
    assert detached.json()["itemNotFound"]["message"] == \
        f"Instance {server['id']} is not attached to volume {volume['id']}"


def test_deleting_a_server_detaches_its_volumes_and_deletes_those_marked_so(
        nova: httpx.Client, api: httpx.Client, cloud: Connection) -> None:
    vm = boot(nova, imageRef=cirros_id(cloud))
    kept, dropped = create_volume(api), create_volume(api)
    path = f"/servers/{vm['id']}/os-volume_attachments"
    nova.post(path, json={"volumeAttachment": {"volumeId": kept["id"]}})
    nova.post(path, json={"volumeAttachment": {"volumeId": dropped["id"],
                                               "delete_on_termination": True}})
    assert nova.delete(f"/servers/{vm['id']}").status_code == 204
    assert volume_status(api, kept["id"]) == "available"
    assert wait_until(lambda: volume_status(api, dropped["id"]) is None)


def test_a_server_boots_from_a_volume_made_from_an_image(
        nova: httpx.Client, api: httpx.Client, cloud: Connection) -> None:
    vm = boot(nova, imageRef="", block_device_mapping_v2=[{
        "uuid": cirros_id(cloud), "source_type": "image", "destination_type": "volume",
        "boot_index": 0, "volume_size": 1, "delete_on_termination": True}])
    (attached,) = vm["os-extended-volumes:volumes_attached"]
    volume = api.get(f"/volumes/{attached['id']}").json()["volume"]
    assert (volume["status"], volume["bootable"]) == ("in-use", "true")
    assert volume["attachments"][0]["device"] == "/dev/vda"
    nova.delete(f"/servers/{vm['id']}")
    assert wait_until(lambda: volume_status(api, attached["id"]) is None)
