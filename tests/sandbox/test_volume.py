"""The sandbox's Block Storage v3 through the real clients: CLI, openstacksdk and raw HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

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


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_volume_discovery_advertises_microversions_3_0_to_3_70(
        sandbox: RunningSandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/volume/v3/")
    assert answer.status_code == 200
    (version,) = answer.json()["versions"]
    assert (version["min_version"], version["version"]) == ("3.0", "3.70")
    assert httpx.get(f"{sandbox.url}/volume").status_code == 300


def test_openstack_volume_create_show_list_and_delete(openstack_cli: Openstack,
                                                      api: httpx.Client) -> None:
    name = unique("vol")
    created = json.loads(openstack_cli("volume", "create", "--size", "1", name,
                                       "-f", "json").stdout)
    assert created["size"] == 1 and created["type"] == "lvmdriver-1"
    shown = json.loads(openstack_cli("volume", "show", name, "-f", "json").stdout)
    assert shown["id"] == created["id"] and shown["status"] == "available"
    listed = json.loads(openstack_cli("volume", "list", "-f", "json").stdout)
    assert {"ID": created["id"], "Name": name, "Status": "available", "Size": 1,
            "Attached to": []}.items() <= next(
        row for row in listed if row["ID"] == created["id"]).items()
    openstack_cli("volume", "delete", name)
    assert volume_status(api, created["id"]) is None


def test_sdk_creates_a_volume_and_waits_until_it_is_available(cloud: Connection) -> None:
    volume = cloud.block_storage.create_volume(size=2, name=unique("sdk"),
                                               metadata={"tier": "db"})
    volume = cloud.block_storage.wait_for_status(volume, "available", wait=10, interval=0.1)
    assert (volume.size, volume.metadata, volume.volume_type) == (2, {"tier": "db"},
                                                                  "lvmdriver-1")
    assert volume.attachments == [] and volume.is_bootable is False
    cloud.block_storage.delete_volume(volume.id)
    cloud.block_storage.wait_for_delete(volume, interval=0.1, wait=10)


def test_an_unknown_volume_is_cinders_item_not_found(api: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    answer = api.get(f"/volumes/{missing}")
    assert answer.status_code == 404
    assert answer.json() == {"itemNotFound": {
        "code": 404, "message": f"Volume {missing} could not be found."}}


def test_volume_list_filters_by_name_and_status(api: httpx.Client) -> None:
    name = unique("listed")
    created = create_volume(api, name=name)
    by_name = api.get("/volumes/detail", params={"name": name}).json()["volumes"]
    assert [v["id"] for v in by_name] == [created["id"]]
    errored = api.get("/volumes", params={"name": name, "status": "error"}).json()
    assert errored["volumes"] == []
    summary = api.get("/volumes", params={"name": name}).json()["volumes"][0]
    assert set(summary) == {"id", "name", "links"}


def test_volume_lists_page_with_limit_and_marker_newest_first(api: httpx.Client) -> None:
    prefix = unique("page")
    ids = [create_volume(api, name=f"{prefix}-{i}")["id"] for i in range(3)]
    first = api.get("/volumes", params={"limit": 2, "sort": "name:desc"}).json()
    assert len(first["volumes"]) == 2 and first["volumes_links"][0]["rel"] == "next"
    mine = api.get("/volumes/detail", params={"name~": prefix}).json()["volumes"]
    assert [v["id"] for v in mine] == list(reversed(ids))


def test_non_admins_may_not_filter_on_unknown_keys(sandbox: RunningSandbox) -> None:
    with cinder(sandbox, user="demo", password="demo-pass", project="demo") as demo:
        answer = demo.get("/volumes", params={"host": "x"})
    assert answer.status_code == 400
    assert "Invalid filters host are found in query options." in \
        answer.json()["badRequest"]["message"]


def test_a_url_naming_another_project_is_malformed(sandbox: RunningSandbox) -> None:
    token = sandbox.token()
    answer = httpx.get(f"{sandbox.url}/volume/v3/{uuid.uuid4().hex}/volumes",
                       headers={"X-Auth-Token": token})
    assert answer.status_code == 400
    assert answer.json()["badRequest"]["message"] == "Malformed request url"


def test_an_unsupported_microversion_is_refused_with_406(sandbox: RunningSandbox) -> None:
    with cinder(sandbox, version="3.99") as client:
        answer = client.get("/volumes")
    assert answer.status_code == 406
    assert "Minimum is 3.0 and maximum is 3.70" in answer.text


def test_volume_types_are_seeded_with_default_and_lvmdriver(api: httpx.Client) -> None:
    names = {t["name"] for t in api.get("/types").json()["volume_types"]}
    assert {"__DEFAULT__", "lvmdriver-1"} <= names
    assert api.get("/types/default").json()["volume_type"]["name"] == "lvmdriver-1"


def test_an_unknown_volume_type_is_a_404(api: httpx.Client) -> None:
    answer = api.post("/volumes", json={"volume": {"size": 1, "volume_type": "gold"}})
    assert answer.status_code == 404
    assert answer.json()["itemNotFound"]["message"] == \
        "Volume type with name gold could not be found."


def test_bad_sizes_are_refused_with_400(api: httpx.Client) -> None:
    for size in (0, -1, "big", True, None):
        answer = api.post("/volumes", json={"volume": {"size": size}})
        assert answer.status_code == 400, size
        assert "badRequest" in answer.json()
    assert api.post("/volumes", content=b"{not json").status_code == 400


def test_extend_grows_a_volume_and_refuses_to_shrink_it(api: httpx.Client) -> None:
    volume = create_volume(api, size=1)
    assert api.post(f"/volumes/{volume['id']}/action",
                    json={"os-extend": {"new_size": 3}}).status_code == 202
    assert api.get(f"/volumes/{volume['id']}").json()["volume"]["size"] == 3
    shrink = api.post(f"/volumes/{volume['id']}/action", json={"os-extend": {"new_size": 2}})
    assert shrink.status_code == 400
    assert shrink.json()["badRequest"]["message"] == (
        "Invalid input received: New size for extend must be greater than current size. "
        "(current: 3, extended: 2).")


def test_an_unknown_volume_action_is_a_400(api: httpx.Client) -> None:
    volume = create_volume(api)
    answer = api.post(f"/volumes/{volume['id']}/action", json={"os-fly": {}})
    assert answer.status_code == 400
    assert answer.json()["badRequest"]["message"] == "There is no such action: os-fly"


def test_a_volume_with_snapshots_is_deleted_only_with_cascade(api: httpx.Client) -> None:
    volume = create_volume(api)
    snapshot = api.post("/snapshots", json={"snapshot": {"volume_id": volume["id"],
                                                         "name": "snap"}})
    assert snapshot.status_code == 202
    snapshot_id = snapshot.json()["snapshot"]["id"]
    assert api.get(f"/snapshots/{snapshot_id}").json()["snapshot"]["status"] == "available"
    refused = api.delete(f"/volumes/{volume['id']}")
    assert refused.status_code == 400
    assert "must not be migrating, attached, belong to a group, have snapshots" in \
        refused.json()["badRequest"]["message"]
    assert api.delete(f"/volumes/{volume['id']}", params={"cascade": "true"}).status_code \
        == 202
    assert volume_status(api, volume["id"]) is None
    assert api.get(f"/snapshots/{snapshot_id}").status_code == 404


def test_a_volume_from_a_snapshot_takes_its_size(api: httpx.Client) -> None:
    origin = create_volume(api, size=2)
    snapshot = api.post("/snapshots", json={"snapshot": {"volume_id": origin["id"]}}).json()
    copy = create_volume(api, size=None, snapshot_id=snapshot["snapshot"]["id"])
    assert (copy["size"], copy["snapshot_id"]) == (2, snapshot["snapshot"]["id"])
    smaller = api.post("/volumes", json={"volume": {
        "size": 1, "snapshot_id": snapshot["snapshot"]["id"]}})
    assert smaller.status_code == 400


def test_a_volume_from_the_cirros_image_is_bootable(api: httpx.Client,
                                                   cloud: Connection) -> None:
    volume = create_volume(api, size=1, imageRef=cirros_id(cloud))
    shown = api.get(f"/volumes/{volume['id']}").json()["volume"]
    assert shown["bootable"] == "true"
    assert shown["volume_image_metadata"]["image_name"] == "cirros"
    unknown = api.post("/volumes", json={"volume": {"size": 1, "imageRef": "nope"}})
    assert unknown.status_code == 400


def test_volume_metadata_is_merged_replaced_and_deleted_by_key(api: httpx.Client) -> None:
    volume = create_volume(api, metadata={"a": "1"})
    path = f"/volumes/{volume['id']}/metadata"
    assert api.post(path, json={"metadata": {"b": "2"}}).json() == {
        "metadata": {"a": "1", "b": "2"}}
    assert api.put(path, json={"metadata": {"c": "3"}}).json() == {"metadata": {"c": "3"}}
    assert api.get(f"{path}/c").json() == {"meta": {"c": "3"}}
    assert api.delete(f"{path}/c").status_code == 200
    assert api.get(f"{path}/c").status_code == 404


def test_attachments_api_needs_3_27_and_marks_the_volume_in_use(
        sandbox: RunningSandbox, api: httpx.Client) -> None:
    volume = create_volume(api)
    with cinder(sandbox, version="3.26") as old:
        assert old.get("/attachments").status_code == 404
    server = str(uuid.uuid4())
    made = api.post("/attachments", json={"attachment": {
        "volume_uuid": volume["id"], "instance_uuid": server,
        "connector": {"host": "compute1", "mountpoint": "/dev/vdb"}}})
    assert made.status_code == 200, made.text
    attachment = made.json()["attachment"]
    assert attachment["status"] == "attaching"
    assert api.post(f"/attachments/{attachment['id']}/action",
                    json={"os-complete": attachment["id"]}).status_code == 204
    shown = api.get(f"/volumes/{volume['id']}").json()["volume"]
    assert shown["status"] == "in-use"
    assert [(a["server_id"], a["device"], a["attachment_id"]) for a in shown["attachments"]] \
        == [(server, "/dev/vdb", attachment["id"])]
    busy = api.post("/attachments", json={"attachment": {"volume_uuid": volume["id"]}})
    assert busy.status_code == 400
    assert api.delete(f"/attachments/{attachment['id']}").json() == {"attachments": []}
    assert volume_status(api, volume["id"]) == "available"


def test_limits_and_quota_usage_count_volumes_and_gigabytes(sandbox: RunningSandbox) -> None:
    with cinder(sandbox, user="demo", password="demo-pass", project="demo") as demo, \
            tidy(demo):
        before = demo.get("/limits").json()["limits"]["absolute"]
        create_volume(demo, size=3)
        after = demo.get("/limits").json()["limits"]["absolute"]
        project = demo.base_url.path.strip("/").rsplit("/", 1)[-1]
        usage = demo.get(f"/os-quota-sets/{project}", params={"usage": "True"}).json()
    assert after["totalVolumesUsed"] == before["totalVolumesUsed"] + 1
    assert after["totalGigabytesUsed"] == before["totalGigabytesUsed"] + 3
    assert after["maxTotalVolumeGigabytes"] == 1000
    assert usage["quota_set"]["volumes"]["in_use"] == after["totalVolumesUsed"]


def test_only_admins_change_quotas(sandbox: RunningSandbox) -> None:
    with cinder(sandbox, user="demo", password="demo-pass", project="demo") as demo:
        project = demo.base_url.path.strip("/").rsplit("/", 1)[-1]
        answer = demo.put(f"/os-quota-sets/{project}", json={"quota_set": {"volumes": 99}})
    assert answer.status_code == 403
