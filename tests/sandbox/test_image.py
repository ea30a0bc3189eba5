"""Image v2: the openstack CLI and openstacksdk against the sandbox's Glance."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import httpx
import pytest
from openstack import exceptions
from openstack.connection import Connection
from tests.sandbox.running import SDK_WARNINGS, OpenstackBatch, RunningSandbox

pytestmark = SDK_WARNINGS


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_cli_creates_an_image_from_a_file_and_saves_the_same_bytes(
        openstack_batch: OpenstackBatch, tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    source, saved = tmp_path / "disk.img", tmp_path / "saved.img"
    source.write_bytes(data)
    name = _name("img")
    (made,) = openstack_batch(
        f"image create --file {source} --disk-format qcow2 {name} -f json",
        f"image save --file {saved} {name}",
    )
    assert made["status"] == "active"
    assert made["size"] == len(data)
    assert made["checksum"] == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert saved.read_bytes() == data


def test_cirros_is_seeded_as_a_small_public_active_image(cloud: Connection) -> None:
    cirros = cloud.image.find_image("cirros", ignore_missing=False)
    assert (cirros.status, cirros.visibility, cirros.disk_format) == ("active", "public",
                                                                      "qcow2")
    assert 1024 < cirros.size < 16384


def test_an_image_is_queued_until_its_bytes_arrive(sandbox: RunningSandbox) -> None:
    token = {"X-Auth-Token": sandbox.token()}
    url = f"{sandbox.url}/image/v2/images"
    made = httpx.post(url, json={"name": _name("img"), "disk_format": "raw",
                                 "container_format": "bare"}, headers=token).json()
    assert made["status"] == "queued"
    assert httpx.get(f"{url}/{made['id']}/file", headers=token).status_code == 204
    upload = httpx.put(f"{url}/{made['id']}/file", content=b"disk bytes",
                       headers={**token, "Content-Type": "application/octet-stream"})
    assert upload.status_code == 204
    shown = httpx.get(f"{url}/{made['id']}", headers=token).json()
    assert (shown["status"], shown["size"]) == ("active", 10)
    again = httpx.put(f"{url}/{made['id']}/file", content=b"more",
                      headers={**token, "Content-Type": "application/octet-stream"})
    assert again.status_code == 409


def test_patch_changes_fields_and_extra_properties(cloud: Connection) -> None:
    image = cloud.image.create_image(name=_name("img"), disk_format="raw",
                                     container_format="bare", data=b"x" * 10)
    cloud.image.update_image(image, name="renamed", os_distro="cirros", calor_tier="web")
    shown = cloud.image.get_image(image.id)
    assert shown.name == "renamed"
    assert (shown.os_distro, shown.properties["calor_tier"]) == ("cirros", "web")


def test_read_only_fields_and_bad_patches_are_refused(sandbox: RunningSandbox,
                                                     cloud: Connection) -> None:
    image = cloud.image.create_image(name=_name("img"), disk_format="raw",
                                     container_format="bare", data=b"x")
    url = f"{sandbox.url}/image/v2/images/{image.id}"
    headers = {"X-Auth-Token": sandbox.token(),
               "Content-Type": "application/openstack-images-v2.1-json-patch"}
    status = httpx.patch(url, headers=headers,
                         content=json.dumps([{"op": "replace", "path": "/status",
                                              "value": "active"}]))
    assert status.status_code == 403
    garbage = httpx.patch(url, headers=headers, content=b"{nope")
    assert garbage.status_code == 400
    plain = httpx.patch(url, headers={**headers, "Content-Type": "application/json"},
                        content=b"[]")
    assert plain.status_code == 415


def test_a_protected_image_cannot_be_deleted_and_a_deleted_one_is_gone(
        cloud: Connection) -> None:
    image = cloud.image.create_image(name=_name("img"), disk_format="raw",
                                     container_format="bare", data=b"x", is_protected=True)
    with pytest.raises(exceptions.ForbiddenException):
        cloud.image.delete_image(image)
    cloud.image.update_image(image, is_protected=False)
    cloud.image.delete_image(image)
    with pytest.raises(exceptions.NotFoundException):
        cloud.image.get_image(image.id)


def test_images_are_looked_up_by_name_after_a_404(sandbox: RunningSandbox) -> None:
    token = {"X-Auth-Token": sandbox.token()}
    missing = httpx.get(f"{sandbox.url}/image/v2/images/cirros", headers=token)
    assert missing.status_code == 404
    listed = httpx.get(f"{sandbox.url}/image/v2/images", params={"name": "cirros"},
                       headers=token).json()
    assert [i["name"] for i in listed["images"]] == ["cirros"]


def test_image_discovery_answers_300_with_v2(sandbox: RunningSandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/image")
    assert answer.status_code == 300
    assert answer.json()["versions"][0]["links"][0]["href"] == f"{sandbox.url}/image/v2/"


def test_web_download_import_makes_a_queued_image_active(sandbox: RunningSandbox,
                                                         cloud: Connection) -> None:
    image = cloud.image.create_image(name=_name("web"), disk_format="qcow2",
                                     container_format="bare")
    answer = httpx.post(f"{sandbox.url}/image/v2/images/{image.id}/import",
                        json={"method": {"name": "web-download",
                                         "uri": "http://download.example.com/disk.img"}},
                        headers={"X-Auth-Token": sandbox.token()})
    assert answer.status_code == 202
    shown = cloud.image.get_image(image.id)
    assert shown.status == "active" and shown.size > 0


def test_glance_direct_imports_the_staged_bytes(sandbox: RunningSandbox,
                                                cloud: Connection) -> None:
    headers = {"X-Auth-Token": sandbox.token()}
    image = cloud.image.create_image(name=_name("staged"), disk_format="raw",
                                     container_format="bare")
    url = f"{sandbox.url}/image/v2/images/{image.id}"
    httpx.put(f"{url}/stage", content=b"staged bytes",
              headers={**headers, "Content-Type": "application/octet-stream"})
    assert httpx.get(url, headers=headers).json()["status"] == "uploading"
    httpx.post(f"{url}/import", json={"method": {"name": "glance-direct"}}, headers=headers)
    assert httpx.get(f"{url}/file", headers=headers).content == b"staged bytes"


def test_a_shared_image_is_seen_by_its_member_and_a_deactivated_one_is_not_downloaded(
        sandbox: RunningSandbox, cloud: Connection) -> None:
    demo = {"X-Auth-Token": sandbox.token("demo", "demo-pass", "demo")}
    project = httpx.get(f"{sandbox.url}/identity/v3/auth/projects",
                        headers=demo).json()["projects"][0]["id"]
    image = cloud.image.create_image(name=_name("shared"), disk_format="raw",
                                     container_format="bare", data=b"abc",
                                     visibility="shared")
    url = f"{sandbox.url}/image/v2/images/{image.id}"
    assert httpx.get(url, headers=demo).status_code == 404
    cloud.image.add_member(image, member=project)
    assert httpx.get(url, headers=demo).json()["id"] == image.id
    cloud.image.deactivate_image(image)
    assert httpx.get(f"{url}/file", headers=demo).status_code == 403
    cloud.image.reactivate_image(image)
    assert httpx.get(f"{url}/file", headers=demo).content == b"abc"
