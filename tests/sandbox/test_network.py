"""Network v2.0: the openstack CLI and openstacksdk against the sandbox's Neutron."""

from __future__ import annotations

import uuid

import httpx
import pytest
from openstack import exceptions
from openstack.connection import Connection
from tests.sandbox.running import SDK_WARNINGS, OpenstackBatch, RunningSandbox

pytestmark = SDK_WARNINGS


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_cli_builds_a_network_with_a_router_to_public_and_a_floating_ip_on_a_port(
        openstack_batch: OpenstackBatch, cloud: Connection) -> None:
    net, sub, port, router = _name("net"), _name("sub"), _name("port"), _name("r")
    _net, subnet, made, _router, fip = openstack_batch(
        f"network create {net} -f json",
        f"subnet create --network {net} --subnet-range 10.10.0.0/24 {sub} -f json",
        f"port create --network {net} {port} -f json",
        f"router create --external-gateway public {router} -f json",
        f"router add subnet {router} {sub}",
        "floating ip create public -f json",
    )
    openstack_batch(f"floating ip set --port {port} {fip['id']}")
    shown = cloud.network.get_ip(fip["id"])

    assert subnet["allocation_pools"] == [{"start": "10.10.0.2", "end": "10.10.0.254"}]
    assert subnet["gateway_ip"] == "10.10.0.1"
    assert made["fixed_ips"][0]["ip_address"] == "10.10.0.2"
    assert made["mac_address"].startswith("fa:16:3e:")
    assert fip["floating_ip_address"].startswith("172.24.4.")
    assert shown.port_id == made["id"]
    assert shown.fixed_ip_address == "10.10.0.2"
    assert shown.status == "ACTIVE"


def test_cli_creates_a_security_group_with_an_ssh_rule(openstack_batch: OpenstackBatch,
                                                       cloud: Connection) -> None:
    group = _name("sg")
    _group, rule = openstack_batch(
        f"security group create {group} -f json",
        f"security group rule create --protocol tcp --dst-port 22 --remote-ip 0.0.0.0/0 "
        f"{group} -f json",
    )
    shown = cloud.network.find_security_group(group, ignore_missing=False)
    assert rule["port_range_min"] == 22 and rule["port_range_max"] == 22
    assert rule["id"] in {r["id"] for r in shown.security_group_rules}
    # Two egress rules come with every new group, as in Neutron.
    assert len(shown.security_group_rules) == 3


def test_the_public_network_is_seeded_as_external_with_a_subnet(cloud: Connection) -> None:
    public = cloud.network.find_network("public", ignore_missing=False)
    assert public is not None and public.is_router_external
    (subnet,) = cloud.network.subnets(network_id=public.id)
    assert subnet.cidr == "172.24.4.0/24"


def test_ports_take_the_lowest_free_addresses_and_a_requested_one(cloud: Connection) -> None:
    net = cloud.network.create_network(name=_name("net"))
    sub = cloud.network.create_subnet(network_id=net.id, cidr="10.20.0.0/29", ip_version=4)
    first = cloud.network.create_port(network_id=net.id)
    chosen = cloud.network.create_port(network_id=net.id,
                                       fixed_ips=[{"ip_address": "10.20.0.6"}])
    second = cloud.network.create_port(network_id=net.id)
    assert [p.fixed_ips[0]["ip_address"] for p in (first, chosen, second)] == [
        "10.20.0.2", "10.20.0.6", "10.20.0.3"]
    assert chosen.fixed_ips[0]["subnet_id"] == sub.id


def test_an_address_in_use_is_refused_with_neutrons_conflict(cloud: Connection) -> None:
    net = cloud.network.create_network(name=_name("net"))
    cloud.network.create_subnet(network_id=net.id, cidr="10.21.0.0/24", ip_version=4)
    cloud.network.create_port(network_id=net.id, fixed_ips=[{"ip_address": "10.21.0.9"}])
    with pytest.raises(exceptions.ConflictException) as caught:
        cloud.network.create_port(network_id=net.id, fixed_ips=[{"ip_address": "10.21.0.9"}])
    assert "already allocated" in str(caught.value)


def test_a_full_pool_answers_ip_address_generation_failure(cloud: Connection,
                                                            sandbox: RunningSandbox) -> None:
    net = cloud.network.create_network(name=_name("net"))
    cloud.network.create_subnet(network_id=net.id, cidr="10.22.0.0/30", ip_version=4)
    cloud.network.create_port(network_id=net.id)
    answer = httpx.post(f"{sandbox.url}/networking/v2.0/ports",
                        json={"port": {"network_id": net.id}},
                        headers={"X-Auth-Token": sandbox.token()})
    assert answer.status_code == 409
    assert answer.json()["NeutronError"]["type"] == "IpAddressGenerationFailure"


def test_lookup_by_name_is_a_clean_neutron_404(sandbox: RunningSandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/networking/v2.0/networks/no-such-net",
                       headers={"X-Auth-Token": sandbox.token()})
    assert answer.status_code == 404
    assert answer.json() == {"NeutronError": {
        "type": "NetworkNotFound", "message": "Network no-such-net could not be found.",
        "detail": ""}}


def test_bad_input_is_a_neutron_400(sandbox: RunningSandbox) -> None:
    token = {"X-Auth-Token": sandbox.token()}
    cases = [
        ("networks", {"network": {"name": "x", "bogus": 1}}, "Unrecognized attribute"),
        ("networks", {"network": {"admin_state_up": "maybe"}}, "not a valid boolean"),
        ("subnets", {"subnet": {"network_id": "x", "cidr": "nope", "ip_version": 4}},
         "not a valid IP subnet"),
        ("networks", "not an object", "Invalid request body"),
    ]
    for collection, body, message in cases:
        answer = httpx.post(f"{sandbox.url}/networking/v2.0/{collection}", json=body,
                            headers=token)
        assert answer.status_code == 400, answer.text
        assert message in answer.json()["NeutronError"]["message"]


def test_a_subnet_with_ports_cannot_be_deleted_but_goes_with_its_network(
        cloud: Connection) -> None:
    net = cloud.network.create_network(name=_name("net"))
    sub = cloud.network.create_subnet(network_id=net.id, cidr="10.23.0.0/24", ip_version=4)
    port = cloud.network.create_port(network_id=net.id)
    with pytest.raises(exceptions.ConflictException):
        cloud.network.delete_subnet(sub)
    with pytest.raises(exceptions.ConflictException):
        cloud.network.delete_network(net)
    cloud.network.delete_port(port)
    cloud.network.delete_network(net)
    with pytest.raises(exceptions.NotFoundException):
        cloud.network.get_subnet(sub.id)


def test_a_floating_ip_needs_a_router_from_the_ports_subnet_to_public(
        cloud: Connection) -> None:
    net = cloud.network.create_network(name=_name("net"))
    cloud.network.create_subnet(network_id=net.id, cidr="10.24.0.0/24", ip_version=4)
    port = cloud.network.create_port(network_id=net.id)
    public = cloud.network.find_network("public", ignore_missing=False)
    with pytest.raises(exceptions.NotFoundException) as caught:
        cloud.network.create_ip(floating_network_id=public.id, port_id=port.id)
    assert "is not reachable from subnet" in str(caught.value)


def test_a_router_with_interfaces_cannot_be_deleted(cloud: Connection) -> None:
    net = cloud.network.create_network(name=_name("net"))
    sub = cloud.network.create_subnet(network_id=net.id, cidr="10.25.0.0/24", ip_version=4)
    router = cloud.network.create_router(name=_name("r"))
    cloud.network.add_interface_to_router(router, subnet_id=sub.id)
    with pytest.raises(exceptions.ConflictException):
        cloud.network.delete_router(router)
    cloud.network.remove_interface_from_router(router, subnet_id=sub.id)
    cloud.network.delete_router(router)
    with pytest.raises(exceptions.NotFoundException):
        cloud.network.get_router(router.id)


def test_each_project_gets_a_default_security_group(sandbox: RunningSandbox) -> None:
    token = sandbox.token("demo", "demo-pass", "demo")
    answer = httpx.get(f"{sandbox.url}/networking/v2.0/security-groups",
                       headers={"X-Auth-Token": token})
    (group,) = answer.json()["security_groups"]
    assert group["name"] == "default"
    assert len(group["security_group_rules"]) == 4


def test_a_duplicate_rule_is_refused(cloud: Connection) -> None:
    group = cloud.network.create_security_group(name=_name("sg"))
    rule = {"security_group_id": group.id, "direction": "ingress", "protocol": "tcp",
            "port_range_min": 80, "port_range_max": 80, "remote_ip_prefix": "0.0.0.0/0"}
    cloud.network.create_security_group_rule(**rule)
    with pytest.raises(exceptions.ConflictException):
        cloud.network.create_security_group_rule(**rule)


def test_network_quota_refuses_with_over_quota(sandbox: RunningSandbox) -> None:
    admin = {"X-Auth-Token": sandbox.token()}
    demo = {"X-Auth-Token": sandbox.token("demo", "demo-pass", "demo")}
    project = httpx.get(f"{sandbox.url}/identity/v3/auth/projects",
                        headers=demo).json()["projects"][0]["id"]
    used = len(httpx.get(f"{sandbox.url}/networking/v2.0/networks?project_id={project}",
                         headers=demo).json()["networks"])
    answer = httpx.put(f"{sandbox.url}/networking/v2.0/quotas/{project}",
                       json={"quota": {"network": used + 1}}, headers=admin)
    assert answer.json()["quota"]["network"] == used + 1
    create = {"network": {"name": "q"}}
    url = f"{sandbox.url}/networking/v2.0/networks"
    assert httpx.post(url, json=create, headers=demo).status_code == 201
    refused = httpx.post(url, json=create, headers=demo)
    assert refused.status_code == 409
    assert refused.json()["NeutronError"] == {
        "type": "OverQuota", "message": "Quota exceeded for resources: ['network'].",
        "detail": ""}
    httpx.delete(f"{sandbox.url}/networking/v2.0/quotas/{project}", headers=admin)


def test_filters_fields_and_paging_are_plain_query_params(sandbox: RunningSandbox,
                                                          cloud: Connection) -> None:
    tag = _name("paged")
    for _ in range(3):
        cloud.network.create_network(name=tag)
    token = {"X-Auth-Token": sandbox.token()}
    url = f"{sandbox.url}/networking/v2.0/networks"
    first = httpx.get(url, params={"name": tag, "limit": 2, "fields": ["id", "name"]},
                      headers=token).json()
    assert [set(n) for n in first["networks"]] == [{"id", "name"}] * 2
    following = httpx.get(first["networks_links"][0]["href"], headers=token).json()
    assert len(following["networks"]) == 1
    assert len(list(cloud.network.networks(name=tag))) == 3
