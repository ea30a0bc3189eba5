"""Volumes move through Cinder's states with the configured latency; quotas and faults bite."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tests.sandbox.running import RunningSandbox
from tests.sandbox.volume_clients import (
    cinder,
    create_volume,
    slow_sandbox,
    volume_status,
    wait_until,
)

LATENCY = 0.3


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A sandbox whose volume operations take 0.3 s, with small block storage quotas."""
    quotas = {"volume": {"volumes": 3, "gigabytes": 10, "snapshots": 1}}
    with slow_sandbox(tmp_path_factory.mktemp("slow-volume"), LATENCY, quotas) as running:
        yield running


@pytest.fixture(scope="module")
def slow_cinder(slow: RunningSandbox) -> Iterator[httpx.Client]:
    with cinder(slow) as client:
        yield client


@pytest.fixture
def api(slow_cinder: httpx.Client) -> Iterator[httpx.Client]:
    """Cinder on the slow sandbox; every volume is gone again after each test."""
    client = slow_cinder
    yield client
    wait_until(lambda: not any(
        item["status"] == "creating"
        for kind in ("volumes", "snapshots")
        for item in client.get(f"/{kind}/detail").json()[kind]))
    for volume in client.get("/volumes/detail").json()["volumes"]:
        client.delete(f"/volumes/{volume['id']}", params={"cascade": "true", "force": "true"})
    wait_until(lambda: client.get("/volumes").json()["volumes"] == [])


def test_a_new_volume_is_creating_until_the_latency_has_passed(api: httpx.Client) -> None:
    volume = create_volume(api)
    assert volume["status"] == "creating"
    assert volume_status(api, volume["id"]) == "creating"
    assert wait_until(lambda: volume_status(api, volume["id"]) == "available")


def test_a_volume_cannot_be_deleted_while_creating(api: httpx.Client) -> None:
    volume = create_volume(api)
    answer = api.delete(f"/volumes/{volume['id']}")
    assert answer.status_code == 400
    assert answer.json()["badRequest"]["message"].startswith(
        "Invalid volume: Volume status must be available or error or error_restoring")


def test_a_deleted_volume_is_deleting_then_gone(api: httpx.Client) -> None:
    volume = create_volume(api)
    wait_until(lambda: volume_status(api, volume["id"]) == "available")
    assert api.delete(f"/volumes/{volume['id']}").status_code == 202
    assert volume_status(api, volume["id"]) == "deleting"
    assert wait_until(lambda: volume_status(api, volume["id"]) is None)


def test_extend_is_extending_then_available_with_the_new_size(api: httpx.Client) -> None:
    volume = create_volume(api)
    wait_until(lambda: volume_status(api, volume["id"]) == "available")
    api.post(f"/volumes/{volume['id']}/action", json={"os-extend": {"new_size": 2}})
    shown = api.get(f"/volumes/{volume['id']}").json()["volume"]
    assert (shown["status"], shown["size"]) == ("extending", 1)
    wait_until(lambda: volume_status(api, volume["id"]) == "available")
    assert api.get(f"/volumes/{volume['id']}").json()["volume"]["size"] == 2


def test_too_many_gigabytes_is_cinders_413_over_limit(api: httpx.Client) -> None:
    answer = api.post("/volumes", json={"volume": {"size": 11}})
    assert answer.status_code == 413
    assert answer.headers["Retry-After"] == "0"
    assert answer.json() == {"overLimit": {
        "code": 413, "retryAfter": "0",
        "message": "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds "
                   "allowed gigabytes quota. Requested 11G, quota is 10G and 0G has been "
                   "consumed."}}


def test_too_many_volumes_is_refused_with_volume_limit_exceeded(api: httpx.Client) -> None:
    for _ in range(3):
        create_volume(api)
    answer = api.post("/volumes", json={"volume": {"size": 1}})
    assert answer.status_code == 413
    assert answer.json()["overLimit"]["message"] == (
        "VolumeLimitExceeded: Maximum number of volumes allowed (3) exceeded for quota "
        "'volumes'.")


def test_snapshots_have_their_own_quota(api: httpx.Client) -> None:
    volume = create_volume(api)
    wait_until(lambda: volume_status(api, volume["id"]) == "available")
    first = api.post("/snapshots", json={"snapshot": {"volume_id": volume["id"]}})
    assert first.json()["snapshot"]["status"] == "creating"
    second = api.post("/snapshots", json={"snapshot": {"volume_id": volume["id"]}})
    assert second.status_code == 413
    assert second.json()["overLimit"]["message"] == (
        "SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded")


def test_an_injected_fault_ends_a_volume_create_in_error(slow: RunningSandbox,
                                                         api: httpx.Client) -> None:
    slow.set_faults({"volume.volume.create": {"failure_rate": 1.0, "latency": 0}})
    try:
        volume = create_volume(api)
    finally:
        slow.set_faults({})
    assert volume_status(api, volume["id"]) == "error"
    # An errored volume can be deleted as usual.
    assert api.delete(f"/volumes/{volume['id']}").status_code == 202


def test_attach_and_detach_pass_through_attaching_and_detaching(slow: RunningSandbox,
                                                                api: httpx.Client) -> None:
    headers = {"X-Auth-Token": slow.token(), "OpenStack-API-Version": "compute 2.89"}
    with httpx.Client(base_url=f"{slow.url}/compute/v2.1", headers=headers) as nova:
        flavor = next(f["id"] for f in nova.get("/flavors").json()["flavors"]
                      if f["name"] == "m1.tiny")
        image = httpx.get(f"{slow.url}/image/v2/images", params={"name": "cirros"},
                          headers=headers).json()["images"][0]["id"]
        made = nova.post("/servers", json={"server": {
            "name": "vm", "flavorRef": flavor, "imageRef": image, "networks": "none"}})
        server = made.json()["server"]["id"]
        volume = create_volume(api)
        wait_until(lambda: nova.get(f"/servers/{server}").json()["server"]["status"]
                   == "ACTIVE" and volume_status(api, volume["id"]) == "available")
        path = f"/servers/{server}/os-volume_attachments"
        nova.post(path, json={"volumeAttachment": {"volumeId": volume["id"]}})
        assert volume_status(api, volume["id"]) == "attaching"
        assert wait_until(lambda: volume_status(api, volume["id"]) == "in-use")
        nova.delete(f"{path}/{volume['id']}")
        assert volume_status(api, volume["id"]) == "detaching"
        assert wait_until(lambda: volume_status(api, volume["id"]) == "available")
        nova.delete(f"/servers/{server}")
