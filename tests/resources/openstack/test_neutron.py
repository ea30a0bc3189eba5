"""OS::Neutron::* types build, update and delete real networks in the sandbox cloud."""

from __future__ import annotations

from openstack.connection import Connection
from tests.resources.openstack.stacks import (
    create,
    delete,
    ids,
    outputs,
    rows,
    status,
    update,
)
from tests.sandbox.running import SDK_WARNINGS

from calor.service.stacks import StackService

pytestmark = SDK_WARNINGS

NETWORK = """\
heat_template_version: 2018-08-31
parameters:
  net_name: {type: string, default: web-net}
  cidr: {type: string, default: 10.10.0.0/24}
resources:
  net:
    type: OS::Neutron::Net
    properties: {name: {get_param: net_name}}
  subnet:
    type: OS::Neutron::Subnet
    properties:
      network: {get_resource: net}
      cidr: {get_param: cidr}
      dns_nameservers: [8.8.8.8]
  router:
    type: OS::Neutron::Router
    properties:
      external_gateway_info: {network: public}
  interface:
    type: OS::Neutron::RouterInterface
    properties: {router: {get_resource: router}, subnet: {get_resource: subnet}}
  sg:
    type: OS::Neutron::SecurityGroup
    properties:
      rules:
        - {protocol: tcp, port_range_min: 80, port_range_max: 80}
  ssh:
    type: OS::Neutron::SecurityGroupRule
    properties: {security_group: {get_resource: sg}, port_range_min: 22,
                 port_range_max: 22, remote_ip_prefix: 10.0.0.0/8}
  port:
    type: OS::Neutron::Port
    properties:
      network: {get_resource: net}
      fixed_ips: [{subnet: {get_resource: subnet}}]
      security_groups: [{get_resource: sg}]
  fip:
    type: OS::Neutron::FloatingIP
    depends_on: interface
    properties: {floating_network: public, port_id: {get_resource: port}}
outputs:
  port_ip: {value: {get_attr: [port, fixed_ips, 0, ip_address]}}
  public_ip: {value: {get_attr: [fip, floating_ip_address]}}
  net_name: {value: {get_attr: [net, name]}}
  port_network_mtu: {value: {get_attr: [port, network, mtu]}}
"""


async def test_a_network_stack_builds_what_it_describes(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "netstack", NETWORK)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    found = await ids(service, stack)
    net = sdk.network.get_network(found["net"])
    assert net.name == "web-net"
    subnet = sdk.network.get_subnet(found["subnet"])
    assert (subnet.cidr, subnet.network_id, subnet.dns_nameservers) == (
        "10.10.0.0/24", net.id, ["8.8.8.8"])
    router = sdk.network.get_router(found["router"])
    public = sdk.network.find_network("public")
    assert public is not None
    assert router.external_gateway_info["network_id"] == public.id
    assert found["interface"] == f"{router.id}:subnet_id={subnet.id}"
    port = sdk.network.get_port(found["port"])
    assert port.security_group_ids == [found["sg"]]
    rules = list(sdk.network.security_group_rules(
        security_group_id=found["sg"]))
    assert {(r.direction, r.port_range_min) for r in rules} >= {("ingress", 80), ("ingress", 22)}
    fip = sdk.network.get_ip(found["fip"])
    assert fip.port_id == port.id
    values = await outputs(service, stack)
    assert values["port_ip"] == port.fixed_ips[0]["ip_address"]
    assert values["public_ip"] == fip.floating_ip_address
    assert values["net_name"] == "web-net"
    assert values["port_network_mtu"] == net.mtu
    await delete(service, stack)


async def test_deleting_a_network_stack_leaves_nothing_behind(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "netgone", NETWORK, net_name="gone-net")
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    found = await ids(service, stack)
    await delete(service, stack)
    assert sdk.network.find_network(found["net"]) is None
    assert sdk.network.find_subnet(found["subnet"]) is None
    assert sdk.network.find_router(found["router"]) is None
    assert sdk.network.find_port(found["port"]) is None
    assert sdk.network.find_security_group(found["sg"]) is None
    assert sdk.network.find_ip(found["fip"]) is None


async def test_a_name_change_updates_the_network_in_place(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "netrename", NETWORK, net_name="before")
    before = (await ids(service, stack))["net"]
    stack = await update(service, stack, NETWORK, net_name="after")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    after = (await ids(service, stack))["net"]
    assert after == before
    assert sdk.network.get_network(after).name == "after"
    assert (await outputs(service, stack))["net_name"] == "after"
    await delete(service, stack)


async def test_a_new_cidr_replaces_the_subnet(service: StackService, sdk: Connection) -> None:
    text = """\
    heat_template_version: 2018-08-31
    parameters:
      cidr: {type: string}
    resources:
      net: {type: OS::Neutron::Net}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: {get_param: cidr}}
    """
    stack = await create(service, "netcidr", text, cidr="10.20.0.0/24")
    old = (await ids(service, stack))["subnet"]
    stack = await update(service, stack, text, cidr="10.21.0.0/24")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    new = (await ids(service, stack))["subnet"]
    assert new != old
    assert sdk.network.find_subnet(old) is None
    assert sdk.network.get_subnet(new).cidr == "10.21.0.0/24"
    await delete(service, stack)


async def test_a_cloud_error_fails_the_resource_with_the_clouds_message(
    service: StackService,
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    resources:
      net: {type: OS::Neutron::Net}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: 10.30.0.0/24,
                     allocation_pools: [{start: 10.99.0.10, end: 10.99.0.20}]}
    """
    stack = await create(service, "netbad", text)
    assert status(stack) == "CREATE_FAILED"
    subnet = (await rows(service, stack))["subnet"]
    assert subnet.status_reason.startswith("BadRequest: resources.subnet: ")
    assert "10.99.0.10" in subnet.status_reason
    await delete(service, stack)


async def test_changed_rules_update_the_security_group_in_place(
    service: StackService, sdk: Connection
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    parameters:
      port: {type: number}
    resources:
      sg:
        type: OS::Neutron::SecurityGroup
        properties:
          rules: [{protocol: tcp, port_range_min: {get_param: port},
                   port_range_max: {get_param: port}}]
    """
    stack = await create(service, "sgrules", text, port=80)
    group = (await ids(service, stack))["sg"]
    stack = await update(service, stack, text, port=443)
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    assert (await ids(service, stack))["sg"] == group
    rules = list(sdk.network.security_group_rules(security_group_id=group))
    assert {(r.direction, r.port_range_min) for r in rules} == {
        ("ingress", 443), ("egress", None)}
    await delete(service, stack)


async def test_an_association_puts_a_floating_ip_on_a_port_and_takes_it_off(
    service: StackService, sdk: Connection
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    resources:
      net: {type: OS::Neutron::Net}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: 10.70.0.0/24}
      router:
        type: OS::Neutron::Router
        properties: {external_gateway_info: {network: public}}
      interface:
        type: OS::Neutron::RouterInterface
        properties: {router: {get_resource: router}, subnet: {get_resource: subnet}}
      port:
        type: OS::Neutron::Port
        properties: {network: {get_resource: net},
                     fixed_ips: [{subnet: {get_resource: subnet}}]}
      fip:
        type: OS::Neutron::FloatingIP
        properties: {floating_network: public}
      association:
        type: OS::Neutron::FloatingIPAssociation
        depends_on: interface
        properties: {floatingip_id: {get_resource: fip}, port_id: {get_resource: port}}
    """
    stack = await create(service, "assoc", text)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    found = await ids(service, stack)
    assert sdk.network.get_ip(found["fip"]).port_id == found["port"]
    await delete(service, stack)
    assert sdk.network.find_ip(found["fip"]) is None
