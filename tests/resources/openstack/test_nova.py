"""OS::Nova::* types build, update and delete real servers in the sandbox cloud."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openstack.connection import Connection
from tests.resources.openstack.stacks import (
    create,
    delete,
    finished,
    ids,
    outputs,
    rows,
    status,
    update,
)
from tests.sandbox.running import SDK_WARNINGS, RunningSandbox

from calor.service.signals import resource_show
from calor.service.stack_actions import check_stack, resume_stack, suspend_stack
from calor.service.stacks import StackService

pytestmark = SDK_WARNINGS

SERVER = """\
heat_template_version: 2018-08-31
parameters:
  flavor: {type: string, default: m1.tiny}
  server_name: {type: string, default: web}
  metadata: {type: json, default: {role: web}}
  user_data: {type: string, default: "#!/bin/sh\\necho hi"}
resources:
  net: {type: OS::Neutron::Net}
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.40.0.0/24}
  key:
    type: OS::Nova::KeyPair
    properties: {name: {list_join: ['-', [{get_param: 'OS::stack_name'}, key]]},
                 save_private_key: true}
  server:
    type: OS::Nova::Server
    properties:
      name: {get_param: server_name}
      image: cirros
      flavor: {get_param: flavor}
      key_name: {get_resource: key}
      metadata: {get_param: metadata}
      user_data_format: RAW
      user_data: {get_param: user_data}
      networks: [{subnet: {get_resource: subnet}}]
outputs:
  first_address: {value: {get_attr: [server, first_address]}}
  name: {value: {get_attr: [server, name]}}
  port: {value: {get_attr: [server, addresses, {get_attr: [net, name]}, 0, port]}}
  by_net_id: {value: {get_attr: [server, networks, {get_resource: net}, 0]}}
  console: {value: {get_attr: [server, console_urls, novnc]}}
  private_key: {value: {get_attr: [key, private_key]}}
"""


async def test_a_server_stack_boots_the_server_on_its_network(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "vm1", SERVER)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    found = await ids(service, stack)
    server = sdk.compute.get_server(found["server"])
    assert (server.status, server.name, server.key_name) == ("ACTIVE", "web", "vm1-key")
    assert server.metadata == {"role": "web"}
    assert server.flavor["original_name"] == "m1.tiny"
    ports = list(sdk.network.ports(device_id=server.id))
    assert [p.network_id for p in ports] == [found["net"]]
    values = await outputs(service, stack)
    assert values["first_address"] == ports[0].fixed_ips[0]["ip_address"]
    assert values["by_net_id"] == values["first_address"]
    assert values["name"] == "web"
    assert values["port"] == ports[0].id
    assert values["console"].startswith("http")
    assert values["private_key"].startswith("-----BEGIN")
    # resource show: what the cloud says of the server now (its ``show`` attribute).
    shown = (await resource_show(service, stack.id, "server"))["attributes"]
    assert (shown["id"], shown["status"], shown["name"]) == (server.id, "ACTIVE", "web")
    await delete(service, stack)


async def test_deleting_a_server_stack_deletes_the_server_and_the_port_made_for_it(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "vm2", SERVER)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    server_id = (await ids(service, stack))["server"]
    port_ids = [p.id for p in sdk.network.ports(device_id=server_id)]
    await delete(service, stack)
    assert sdk.compute.find_server(server_id) is None
    assert all(sdk.network.find_port(p) is None for p in port_ids)
    assert sdk.compute.find_keypair("vm2-key") is None


async def test_a_new_name_and_metadata_update_the_server_in_place(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "vm3", SERVER)
    before = (await ids(service, stack))["server"]
    stack = await update(service, stack, SERVER, server_name="web-renamed",
                         metadata={"role": "db"})
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    after = (await ids(service, stack))["server"]
    assert after == before
    server = sdk.compute.get_server(after)
    assert (server.name, server.metadata) == ("web-renamed", {"role": "db"})
    await delete(service, stack)


async def test_a_new_flavor_resizes_the_server(service: StackService, sdk: Connection) -> None:
    stack = await create(service, "vm4", SERVER)
    before = (await ids(service, stack))["server"]
    stack = await update(service, stack, SERVER, flavor="m1.small")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    assert (await ids(service, stack))["server"] == before
    server = sdk.compute.get_server(before)
    assert server.status == "ACTIVE"
    assert server.flavor["original_name"] == "m1.small"
    await delete(service, stack)


async def test_new_user_data_replaces_the_server(service: StackService, sdk: Connection) -> None:
    stack = await create(service, "vm5", SERVER)
    before = (await ids(service, stack))["server"]
    stack = await update(service, stack, SERVER, user_data="#!/bin/sh\necho bye")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    after = (await ids(service, stack))["server"]
    assert after != before
    assert sdk.compute.find_server(before) is None
    assert sdk.compute.get_server(after).status == "ACTIVE"
    await delete(service, stack)


@pytest.fixture
def failing_builds(sandbox: RunningSandbox) -> Iterator[str]:
    """Every server build in the sandbox ends in ERROR while the test runs."""
    message = "No valid host was found. There are not enough hosts available."
    sandbox.set_faults({"compute.server.create": {"failure_rate": 1.0, "message": message}})
    yield message
    sandbox.set_faults({})


async def test_a_server_the_cloud_fails_to_build_fails_with_the_clouds_fault(
    service: StackService, failing_builds: str
) -> None:
    stack = await create(service, "vmfail", SERVER)
    assert status(stack) == "CREATE_FAILED"
    server = (await rows(service, stack))["server"]
    assert server.status_reason.startswith(
        'ResourceInError: resources.server: Went to status ERROR due to "Message: '
        f"{failing_builds}")
    await delete(service, stack)


async def test_rollback_of_a_failed_server_create_leaves_nothing_in_the_cloud(
    service: StackService, sdk: Connection, failing_builds: str
) -> None:
    servers_before = {s.id for s in sdk.compute.servers()}
    ports_before = {p.id for p in sdk.network.ports()}
    networks_before = {n.id for n in sdk.network.networks()}
    stack = await create(service, "vmrollback", SERVER, rollback=True)
    assert status(stack) == "ROLLBACK_COMPLETE", stack.status_reason
    assert {s.id for s in sdk.compute.servers()} == servers_before
    assert {p.id for p in sdk.network.ports()} == ports_before
    assert {n.id for n in sdk.network.networks()} == networks_before
    assert sdk.compute.find_keypair("vmrollback-key") is None
    await delete(service, stack)


async def test_flavor_and_server_group_place_a_server(
    service: StackService, sdk: Connection
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    resources:
      flavor:
        type: OS::Nova::Flavor
        properties: {ram: 256, vcpus: 1, disk: 1, extra_specs: {"hw:cpu_policy": shared}}
      group:
        type: OS::Nova::ServerGroup
        properties: {policies: [anti-affinity]}
      server:
        type: OS::Nova::Server
        properties:
          image: cirros
          flavor: {get_resource: flavor}
          scheduler_hints: {group: {get_resource: group}}
          networks: [{network: public}]
    outputs:
      specs: {value: {get_attr: [flavor, extra_specs]}}
    """
    stack = await create(service, "placed", text)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    found = await ids(service, stack)
    group = sdk.compute.get_server_group(found["group"])
    assert found["server"] in group.member_ids
    assert (await outputs(service, stack))["specs"] == {"hw:cpu_policy": "shared"}
    flavor_id = found["flavor"]
    await delete(service, stack)
    assert sdk.compute.find_flavor(flavor_id) is None
    assert sdk.compute.find_server_group(found["group"]) is None


async def test_a_new_network_entry_attaches_an_interface_in_place(
    service: StackService, sdk: Connection
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    parameters:
      networks: {type: json}
    resources:
      net: {type: OS::Neutron::Net}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: 10.50.0.0/24}
      server:
        type: OS::Nova::Server
        depends_on: subnet
        properties:
          image: cirros
          flavor: m1.tiny
          networks: {get_param: networks}
    """
    public = sdk.network.find_network("public")
    assert public is not None
    stack = await create(service, "nics", text, networks=[{"network": "public"}])
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    server_id = (await ids(service, stack))["server"]
    private = (await ids(service, stack))["net"]
    stack = await update(service, stack, text,
                         networks=[{"network": "public"}, {"network": private}])
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    assert (await ids(service, stack))["server"] == server_id
    attached = {p.network_id for p in sdk.network.ports(device_id=server_id)}
    assert attached == {public.id, private}
    stack = await update(service, stack, text, networks=[{"network": private}])
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    assert {p.network_id for p in sdk.network.ports(device_id=server_id)} == {private}
    await delete(service, stack)


async def test_stack_suspend_resume_and_check_act_on_the_server(
    service: StackService, sdk: Connection
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    resources:
      server:
        type: OS::Nova::Server
        properties: {image: cirros, flavor: m1.tiny, networks: [{network: public}]}
    """
    stack = await create(service, "pause", text)
    server_id = (await ids(service, stack))["server"]
    stack = await finished(service, await suspend_stack(service, stack.id))
    assert status(stack) == "SUSPEND_COMPLETE", stack.status_reason
    assert sdk.compute.get_server(server_id).status == "SUSPENDED"
    stack = await finished(service, await resume_stack(service, stack.id))
    assert status(stack) == "RESUME_COMPLETE", stack.status_reason
    assert sdk.compute.get_server(server_id).status == "ACTIVE"
    stack = await finished(service, await check_stack(service, stack.id))
    assert status(stack) == "CHECK_COMPLETE", stack.status_reason
    await delete(service, stack)
