"""Compute v2.1: the openstack CLI and openstacksdk against the sandbox's Nova."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest
from openstack import exceptions
from openstack.connection import Connection
from tests.sandbox.running import SDK_WARNINGS, Openstack, OpenstackBatch, RunningSandbox

pytestmark = SDK_WARNINGS

SSH_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZ3C8w7mZ0y8m9G6kq2o8dqJtJq3wRrJ5l7o3c1b2a4 "
           "test@calor")


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def net(cloud: Connection) -> Any:
    """A network with a /24 subnet for this module's servers."""
    network = cloud.network.create_network(name=_name("computenet"))
    cloud.network.create_subnet(network_id=network.id, cidr="10.50.0.0/24", ip_version=4)
    return network


def _boot(cloud: Connection, net: Any, **extra: Any) -> Any:
    image = cloud.image.find_image("cirros", ignore_missing=False)
    flavor = cloud.compute.find_flavor("m1.tiny", ignore_missing=False)
    server = cloud.compute.create_server(name=_name("vm"), image_id=image.id,
                                         flavor_id=flavor.id, networks=[{"uuid": net.id}],
                                         **extra)
    return cloud.compute.wait_for_server(server, interval=0.05, wait=10)


def _api(sandbox: RunningSandbox, method: str, path: str, version: str = "2.96",
         **kwargs: Any) -> httpx.Response:
    headers = {"X-Auth-Token": sandbox.token(), "OpenStack-API-Version": f"compute {version}"}
    return httpx.request(method, f"{sandbox.url}/compute/v2.1{path}", headers=headers,
                         **kwargs)


def test_cli_creates_lists_shows_and_deletes_a_server(openstack_batch: OpenstackBatch,
                                                      cloud: Connection, net: Any) -> None:
    name = _name("vm")
    made, listed, shown = openstack_batch(
        f"server create --flavor m1.tiny --image cirros --network {net.name} --wait {name} "
        "-f json",
        "server list -f json",
        f"server show {name} -f json",
        f"server delete --wait {name}",
    )
    assert made["status"] == "ACTIVE"
    assert {s["Name"]: s["Status"] for s in listed}[name] == "ACTIVE"
    (address,) = shown["addresses"][net.name]
    assert address.startswith("10.50.0.")
    assert shown["flavor"]["original_name"] == "m1.tiny"
    with pytest.raises(exceptions.NotFoundException):
        cloud.compute.get_server(made["id"])
    assert not list(cloud.network.ports(device_id=made["id"]))


def test_cli_creates_a_keypair_from_a_generated_key(openstack_cli: Openstack,
                                                    cloud: Connection) -> None:
    name = _name("kp")
    private_key = openstack_cli("keypair", "create", name).stdout
    keypair = cloud.compute.get_keypair(name)
    assert private_key.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert keypair.public_key.startswith("ssh-ed25519 ")
    assert len(keypair.fingerprint.split(":")) == 16


def test_an_active_server_has_addresses_from_its_neutron_port(cloud: Connection,
                                                              net: Any) -> None:
    server = _boot(cloud, net)
    (port,) = cloud.network.ports(device_id=server.id)
    (address,) = server.addresses[net.name]
    assert address["addr"] == port.fixed_ips[0]["ip_address"]
    assert address["OS-EXT-IPS-MAC:mac_addr"] == port.mac_address
    assert port.device_owner == "compute:nova"
    assert server.flavor["original_name"] == "m1.tiny"


def test_a_server_on_a_given_port_leaves_the_port_behind_when_deleted(
        cloud: Connection, net: Any) -> None:
    port = cloud.network.create_port(network_id=net.id,
                                     fixed_ips=[{"ip_address": "10.50.0.200"}])
    image = cloud.image.find_image("cirros", ignore_missing=False)
    flavor = cloud.compute.find_flavor("m1.tiny", ignore_missing=False)
    server = cloud.compute.create_server(name=_name("vm"), image_id=image.id,
                                         flavor_id=flavor.id, networks=[{"port": port.id}])
    server = cloud.compute.wait_for_server(server, interval=0.05, wait=10)
    assert server.addresses[net.name][0]["addr"] == "10.50.0.200"
    with pytest.raises(exceptions.ConflictException):
        cloud.compute.create_server(name=_name("vm"), image_id=image.id,
                                    flavor_id=flavor.id, networks=[{"port": port.id}])
    cloud.compute.delete_server(server)
    cloud.compute.wait_for_delete(server, interval=0.05, wait=10)
    left = cloud.network.get_port(port.id)
    assert left.device_id == "" and left.fixed_ips[0]["ip_address"] == "10.50.0.200"


def test_a_name_lookup_is_a_clean_404_and_unknown_refs_are_nova_400s(
        sandbox: RunningSandbox, net: Any) -> None:
    missing = _api(sandbox, "GET", "/servers/vm-by-name")
    assert missing.status_code == 404
    assert missing.json() == {"itemNotFound": {
        "code": 404, "message": "Instance vm-by-name could not be found."}}
    body = {"server": {"name": "x", "imageRef": str(uuid.uuid4()), "flavorRef": "nope",
                       "networks": [{"uuid": net.id}]}}
    refused = _api(sandbox, "POST", "/servers", json=body)
    assert refused.status_code == 400
    assert refused.json()["badRequest"]["message"] == "Flavor nope could not be found."
    body["server"]["bogus"] = 1
    assert "Additional properties" in _api(sandbox, "POST", "/servers",
                                           json=body).json()["badRequest"]["message"]


def test_microversions_are_negotiated_and_echoed(sandbox: RunningSandbox) -> None:
    document = httpx.get(f"{sandbox.url}/compute/v2.1").json()["version"]
    assert (document["min_version"], document["version"]) == ("2.1", "2.96")
    latest = _api(sandbox, "GET", "/flavors/detail", version="latest")
    assert latest.headers["OpenStack-API-Version"] == "compute 2.96"
    assert "extra_specs" in latest.json()["flavors"][0]
    old = _api(sandbox, "GET", "/flavors/detail", version="2.1")
    assert "extra_specs" not in old.json()["flavors"][0]
    too_new = _api(sandbox, "GET", "/flavors", version="3.0")
    assert too_new.status_code == 406


def test_the_four_m1_flavors_are_seeded_with_their_real_sizes(cloud: Connection) -> None:
    sizes = {f.name: (f.ram, f.vcpus, f.disk) for f in cloud.compute.flavors()}
    assert sizes == {"m1.tiny": (512, 1, 1), "m1.small": (2048, 1, 20),
                     "m1.medium": (4096, 2, 40), "m1.large": (8192, 4, 80)}


def test_stop_start_reboot_suspend_and_resume_move_the_server_through_its_states(
        cloud: Connection, net: Any) -> None:
    server = _boot(cloud, net)
    cloud.compute.stop_server(server)
    assert cloud.compute.get_server(server.id).status == "SHUTOFF"
    with pytest.raises(exceptions.ConflictException) as caught:
        cloud.compute.suspend_server(server)
    assert "while it is in vm_state stopped" in str(caught.value)
    cloud.compute.start_server(server)
    cloud.compute.reboot_server(server, "HARD")
    assert cloud.compute.get_server(server.id).status == "ACTIVE"
    cloud.compute.suspend_server(server)
    assert cloud.compute.get_server(server.id).status == "SUSPENDED"
    cloud.compute.resume_server(server)
    assert cloud.compute.get_server(server.id).power_state == 1


def test_resize_shows_verify_resize_then_confirm_keeps_the_new_flavor(
        cloud: Connection, net: Any) -> None:
    server = _boot(cloud, net)
    small = cloud.compute.find_flavor("m1.small", ignore_missing=False)
    cloud.compute.resize_server(server, small.id)
    assert cloud.compute.get_server(server.id).status == "VERIFY_RESIZE"
    cloud.compute.confirm_server_resize(server)
    resized = cloud.compute.get_server(server.id)
    assert (resized.status, resized.flavor["original_name"]) == ("ACTIVE", "m1.small")


def test_revert_resize_returns_to_the_old_flavor(cloud: Connection, net: Any) -> None:
    server = _boot(cloud, net)
    small = cloud.compute.find_flavor("m1.small", ignore_missing=False)
    cloud.compute.resize_server(server, small.id)
    cloud.compute.revert_server_resize(server)
    reverted = cloud.compute.get_server(server.id)
    assert (reverted.status, reverted.flavor["original_name"]) == ("ACTIVE", "m1.tiny")


def test_rebuild_answers_the_server_and_keeps_its_ports(cloud: Connection, net: Any) -> None:
    server = _boot(cloud, net)
    image = cloud.image.find_image("cirros", ignore_missing=False)
    rebuilt = cloud.compute.rebuild_server(server, image=image.id, name="rebuilt")
    assert rebuilt.name == "rebuilt"
    assert cloud.compute.get_server(server.id).addresses == server.addresses


def test_a_build_takes_its_latency_in_build_state(sandbox: RunningSandbox,
                                                  cloud: Connection, net: Any) -> None:
    sandbox.set_faults({"compute.server.create": {"latency": 0.6}})
    try:
        image = cloud.image.find_image("cirros", ignore_missing=False)
        flavor = cloud.compute.find_flavor("m1.tiny", ignore_missing=False)
        server = cloud.compute.create_server(name=_name("vm"), image_id=image.id,
                                             flavor_id=flavor.id,
                                             networks=[{"uuid": net.id}])
        first = cloud.compute.get_server(server.id)
        time.sleep(0.7)
        later = cloud.compute.get_server(server.id)
    finally:
        sandbox.set_faults({})
    assert (first.status, first.task_state) == ("BUILD", "spawning")
    assert (later.status, later.task_state) == ("ACTIVE", None)


def test_an_injected_fault_sends_a_server_create_to_error_with_its_message(
        sandbox: RunningSandbox, cloud: Connection, net: Any) -> None:
    sandbox.set_faults({"compute.server.*": {"failure_rate": 1.0,
                                             "message": "No valid host was found."}})
    try:
        with pytest.raises(exceptions.ResourceFailure):
            _boot(cloud, net)
    finally:
        sandbox.set_faults({})
    (failed,) = [s for s in cloud.compute.servers() if s.status == "ERROR"]
    assert failed.fault["message"] == "No valid host was found."
    cloud.compute.delete_server(failed)
    cloud.compute.wait_for_delete(failed, interval=0.05, wait=10)


def test_faults_spread_evenly_over_calls(sandbox: RunningSandbox, cloud: Connection,
                                         net: Any) -> None:
    sandbox.set_faults({"compute.server.create": {"failure_rate": 0.5}})
    try:
        image = cloud.image.find_image("cirros", ignore_missing=False)
        flavor = cloud.compute.find_flavor("m1.tiny", ignore_missing=False)
        made = [cloud.compute.create_server(name=_name("vm"), image_id=image.id,
                                            flavor_id=flavor.id, networks=[{"uuid": net.id}])
                for _ in range(4)]
    finally:
        sandbox.set_faults({})
    statuses = [cloud.compute.get_server(s.id).status for s in made]
    assert statuses == ["ACTIVE", "ERROR", "ACTIVE", "ERROR"]
    for server in made:
        cloud.compute.delete_server(server)


def test_the_instances_quota_refuses_with_novas_403(sandbox: RunningSandbox,
                                                    net: Any) -> None:
    demo = {"X-Auth-Token": sandbox.token("demo", "demo-pass", "demo")}
    project = httpx.get(f"{sandbox.url}/identity/v3/auth/projects",
                        headers=demo).json()["projects"][0]["id"]
    assert _api(sandbox, "PUT", f"/os-quota-sets/{project}",
                json={"quota_set": {"instances": 0}}).status_code == 200
    try:
        flavors = _api(sandbox, "GET", "/flavors").json()["flavors"]
        flavor = next(f["id"] for f in flavors if f["name"] == "m1.tiny")
        image = httpx.get(f"{sandbox.url}/image/v2/images?name=cirros",
                          headers=demo).json()["images"][0]["id"]
        refused = httpx.post(f"{sandbox.url}/compute/v2.1/servers", headers=demo, json={
            "server": {"name": "q", "imageRef": image, "flavorRef": flavor,
                       "networks": "none"}})
    finally:
        _api(sandbox, "DELETE", f"/os-quota-sets/{project}")
    assert refused.status_code == 403
    assert refused.json() == {"forbidden": {"code": 403, "message": (
        "Quota exceeded for instances: Requested 1, but already used 0 of 0 instances")}}


def test_keypairs_are_listed_shown_refused_twice_and_deleted(cloud: Connection) -> None:
    name = _name("kp")
    made = cloud.compute.create_keypair(name=name, public_key=SSH_KEY)
    assert made.fingerprint and name in {k.name for k in cloud.compute.keypairs()}
    with pytest.raises(exceptions.ConflictException):
        cloud.compute.create_keypair(name=name, public_key=SSH_KEY)
    cloud.compute.delete_keypair(name)
    with pytest.raises(exceptions.NotFoundException):
        cloud.compute.get_keypair(name)


def test_a_server_group_gains_a_member_through_the_scheduler_hint(cloud: Connection,
                                                                 net: Any) -> None:
    group = cloud.compute.create_server_group(name=_name("sg"), policy="anti-affinity")
    server = _boot(cloud, net, scheduler_hints={"group": group.id})
    assert cloud.compute.get_server_group(group.id).member_ids == [server.id]
    cloud.compute.delete_server(server)
    cloud.compute.wait_for_delete(server, interval=0.05, wait=10)
    assert cloud.compute.get_server_group(group.id).member_ids == []


def test_server_metadata_items_are_set_read_and_deleted(cloud: Connection, net: Any) -> None:
    server = _boot(cloud, net, metadata={"role": "web"})
    cloud.compute.set_server_metadata(server, tier="front")
    assert cloud.compute.get_server_metadata(server).metadata == {"role": "web",
                                                                  "tier": "front"}
    cloud.compute.delete_server_metadata(server, ["role"])
    assert cloud.compute.get_server(server.id).metadata == {"tier": "front"}


def test_an_interface_attached_on_a_network_gets_a_port_and_goes_on_detach(
        cloud: Connection, net: Any) -> None:
    server = _boot(cloud, net)
    other = cloud.network.create_network(name=_name("net"))
    cloud.network.create_subnet(network_id=other.id, cidr="10.51.0.0/24", ip_version=4)
    attached = cloud.compute.create_server_interface(server, net_id=other.id)
    assert attached.fixed_ips[0]["ip_address"] == "10.51.0.2"
    assert set(cloud.compute.get_server(server.id).addresses) == {net.name, other.name}
    cloud.compute.delete_server_interface(attached.port_id, server=server)
    assert len(list(cloud.compute.server_interfaces(server))) == 1
    with pytest.raises(exceptions.NotFoundException):
        cloud.network.get_port(attached.port_id)


def test_limits_and_availability_zones_are_answered(cloud: Connection) -> None:
    limits = cloud.compute.get_limits()
    assert limits.absolute.instances == 10
    assert [z.name for z in cloud.compute.availability_zones()] == ["nova"]

