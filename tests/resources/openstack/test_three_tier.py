"""examples/three-tier.yaml on the sandbox cloud: create, update, delete, and a rollback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openstack.connection import Connection
from tests.resources.openstack.stacks import create, delete, finished, outputs, rows, status
from tests.sandbox.running import SDK_WARNINGS, RunningSandbox

from calor.service.stacks import StackService
from calor.template.loader import load_template

pytestmark = SDK_WARNINGS

EXAMPLE = (Path(__file__).resolve().parents[3] / "examples" / "three-tier.yaml").read_text()

#: A third web server, as a user adds one: its port, the server and a floating IP.
WEB3 = """
  web3_port:
    type: OS::Neutron::Port
    properties:
      network: {get_resource: net}
      fixed_ips: [{subnet: {get_resource: subnet}}]
      security_groups: [{get_resource: web_security_group}]
  web3:
    type: OS::Nova::Server
    properties:
      flavor: {get_param: web_flavor}
      image: {get_param: image}
      networks: [{port: {get_resource: web3_port}}]
  web3_floating_ip:
    type: OS::Neutron::FloatingIP
    depends_on: router_interface
    properties:
      floating_network: {get_param: public_network}
      port_id: {get_resource: web3_port}
"""


def with_web3(text: str) -> str:
    head, tail = text.split("\noutputs:\n")
    return head.rstrip("\n") + "\n" + WEB3 + "\noutputs:\n" + tail


def what_the_cloud_holds(sdk: Connection) -> dict[str, set[str]]:
    return {
        "servers": {s.id for s in sdk.compute.servers()},
        "ports": {p.id for p in sdk.network.ports()},
        "networks": {n.id for n in sdk.network.networks()},
        "routers": {r.id for r in sdk.network.routers()},
        "floating_ips": {f.id for f in sdk.network.ips()},
        "volumes": {v.id for v in sdk.block_storage.volumes()},
        "security_groups": {g.id for g in sdk.network.security_groups()},
    }


async def update(service: StackService, stack: Any, text: str, **parameters: Any) -> Any:
    started = await service.update_stack(stack.id, load_template(text), parameters=parameters)
    return await finished(service, started)


async def test_three_tier_creates_updates_and_deletes_cleanly(
    service: StackService, sdk: Connection
) -> None:
    before = what_the_cloud_holds(sdk)
    stack = await create(service, "threetier", EXAMPLE)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    shown = await outputs(service, stack)
    assert len(shown["web_public_addresses"]) == 2
    assert all(address.startswith("172.24.4.") for address in shown["web_public_addresses"])
    assert all(address.startswith("10.10.0.") for address in shown["web_private_addresses"])
    assert shown["db_address"].startswith("10.10.0.")
    found = await rows(service, stack)
    db = sdk.compute.get_server(found["db"].physical_resource_id)
    assert db.flavor["original_name"] == "m1.small"
    volume = sdk.block_storage.get_volume(found["db_volume"].physical_resource_id)
    assert volume.status == "in-use" and volume.attachments[0]["server_id"] == db.id

    # Resize the database server (in place), then add a web server.
    stack = await update(service, stack, EXAMPLE, db_flavor="m1.medium")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    resized = sdk.compute.get_server(db.id)
    assert resized.flavor["original_name"] == "m1.medium" and resized.status == "ACTIVE"
    stack = await update(service, stack, with_web3(EXAMPLE), db_flavor="m1.medium")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    web3 = (await rows(service, stack))["web3"]
    assert sdk.compute.get_server(web3.physical_resource_id).status == "ACTIVE"
    assert (await rows(service, stack))["db"].physical_resource_id == db.id

    await delete(service, stack)
    assert what_the_cloud_holds(sdk) == before


@pytest.fixture
def failing_db_build(sandbox: RunningSandbox) -> Iterator[None]:
    sandbox.set_faults({"compute.server.create": {"failure_rate": 1.0,
                                                  "message": "No valid host was found."}})
    yield
    sandbox.set_faults({})


async def test_a_failed_server_create_rolls_back_and_leaves_nothing(
    service: StackService, sdk: Connection, failing_db_build: None
) -> None:
    before = what_the_cloud_holds(sdk)
    stack = await create(service, "threetier-rb", EXAMPLE, rollback=True)
    assert status(stack) == "ROLLBACK_COMPLETE", stack.status_reason
    assert what_the_cloud_holds(sdk) == before
    await delete(service, stack)
