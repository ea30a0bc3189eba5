"""OS::Cinder::*, OS::Swift::Container and OS::Glance::WebImage in the sandbox cloud."""

from __future__ import annotations

import httpx
import pytest
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
from tests.sandbox.running import SDK_WARNINGS, RunningSandbox

from calor.service.stacks import StackService

pytestmark = SDK_WARNINGS

VOLUME = """\
heat_template_version: 2018-08-31
parameters:
  size: {type: number, default: 1}
  role: {type: string, default: data}
resources:
  server:
    type: OS::Nova::Server
    properties: {image: cirros, flavor: m1.tiny, networks: [{network: public}]}
  volume:
    type: OS::Cinder::Volume
    properties:
      size: {get_param: size}
      name: data
      metadata: {role: {get_param: role}}
  attachment:
    type: OS::Cinder::VolumeAttachment
    properties:
      instance_uuid: {get_resource: server}
      volume_id: {get_resource: volume}
      mountpoint: /dev/vdb
outputs:
  size: {value: {get_attr: [volume, size]}}
  role: {value: {get_attr: [volume, metadata_values, role]}}
"""


async def test_a_volume_is_made_and_attached_to_a_server(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "vol1", VOLUME)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    found = await ids(service, stack)
    volume = sdk.block_storage.get_volume(found["volume"])
    assert (volume.status, volume.size, volume.name) == ("in-use", 1, "data")
    assert [a["server_id"] for a in volume.attachments] == [
        found["server"]]
    assert (await outputs(service, stack))["role"] == "data"
    await delete(service, stack)
    assert sdk.block_storage.find_volume(volume.id) is None
    assert sdk.compute.find_server(found["server"]) is None


async def test_a_bigger_size_extends_the_attached_volume_in_place(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "vol2", VOLUME)
    before = (await ids(service, stack))["volume"]
    stack = await update(service, stack, VOLUME, size=2, role="logs")
    assert status(stack) == "UPDATE_COMPLETE", stack.status_reason
    assert (await ids(service, stack))["volume"] == before
    volume = sdk.block_storage.get_volume(before)
    assert (volume.size, volume.metadata, volume.status) == (2, {"role": "logs"}, "in-use")
    assert (await outputs(service, stack))["size"] == "2"
    await delete(service, stack)


async def test_a_smaller_size_is_refused(service: StackService) -> None:
    stack = await create(service, "vol3", VOLUME, size=2)
    stack = await update(service, stack, VOLUME, size=1)
    assert status(stack) == "UPDATE_FAILED"
    volume = (await rows(service, stack))["volume"]
    assert volume.status_reason == ("NotSupported: resources.volume: Shrinking volume is "
                                    "not supported.")
    await delete(service, stack)


CONTAINER = """\
heat_template_version: 2018-08-31
parameters:
  purge: {type: boolean, default: true}
resources:
  container:
    type: OS::Swift::Container
    properties:
      X-Container-Meta: {web: site}
      PurgeOnDelete: {get_param: purge}
outputs:
  url: {value: {get_attr: [container, WebsiteURL]}}
  count: {value: {get_attr: [container, ObjectCount]}}
"""


async def test_a_container_is_made_with_its_metadata_and_purged_on_delete(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "box", CONTAINER)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    name = (await ids(service, stack))["container"]
    assert name is not None and name.startswith("box-container-")
    container = sdk.object_store.get_container_metadata(name)
    assert container.metadata == {"web": "site"}
    values = await outputs(service, stack)
    assert values["url"].endswith(f"/{name}")
    assert values["count"] == 0
    sdk.object_store.upload_object(container=name, name="index.html", data=b"<p>hi</p>")
    await delete(service, stack)
    assert name not in [c.name for c in sdk.object_store.containers()]


async def test_deleting_a_container_with_objects_and_no_purge_fails(
    service: StackService, sdk: Connection
) -> None:
    stack = await create(service, "keep", CONTAINER, purge=False)
    name = (await ids(service, stack))["container"]
    assert name is not None
    sdk.object_store.upload_object(container=name, name="a.txt", data=b"a")
    await service.delete_stack(stack.id)
    failed = await service.wait(stack.id, timeout=60)
    assert failed is not None and status(failed) == "DELETE_FAILED"
    row = (await rows(service, failed))["container"]
    assert row.status_reason == (
        f"ResourceActionNotSupported: resources.container: Deleting non-empty container "
        f"({name}) when PurgeOnDelete is False is not supported for resource.")
    sdk.object_store.delete_object("a.txt", container=name)
    await delete(service, failed)


@pytest.fixture
def image_import(sandbox: RunningSandbox, sdk: Connection) -> None:
    """WebImage needs the image service's import (web-download)."""
    image = sdk.image.create_image(name="probe", disk_format="raw", container_format="bare")
    answer = httpx.post(f"{str(sdk.image.get_endpoint()).rstrip('/')}/images/{image.id}/import",
                        json={"method": {"name": "web-download", "uri": "http://x/y"}},
                        headers={"X-Auth-Token": sandbox.token()})
    sdk.image.delete_image(image.id)
    if answer.status_code == 404:
        pytest.skip("the sandbox's Image service has no image import (web-download) yet")


async def test_a_web_image_is_imported_from_its_location(
    service: StackService, sdk: Connection, image_import: None
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    resources:
      image:
        type: OS::Glance::WebImage
        properties:
          name: downloaded
          disk_format: qcow2
          container_format: bare
          location: http://download.example.com/cirros.img
          tags: [test]
    """
    stack = await create(service, "img", text)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    image = sdk.image.get_image((await ids(service, stack))["image"])
    assert (image.name, image.tags) == ("downloaded", ["test"])
    await delete(service, stack)
    assert sdk.image.find_image(image.id) is None


async def test_a_server_boots_from_a_volume_made_from_an_image(
    service: StackService, sdk: Connection
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    resources:
      server:
        type: OS::Nova::Server
        properties:
          flavor: m1.tiny
          networks: [{network: public}]
          block_device_mapping_v2:
            - {image: cirros, volume_size: 1, delete_on_termination: true}
    """
    volumes_before = {v.id for v in sdk.block_storage.volumes()}
    stack = await create(service, "bfv", text)
    assert status(stack) == "CREATE_COMPLETE", stack.status_reason
    server = sdk.compute.get_server((await ids(service, stack))["server"])
    attached = [v["id"] for v in server.attached_volumes]
    assert len(attached) == 1
    assert sdk.block_storage.get_volume(attached[0]).status == "in-use"
    await delete(service, stack)
    assert {v.id for v in sdk.block_storage.volumes()} == volumes_before
