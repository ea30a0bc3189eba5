"""Cloud-backed custom constraints: a stack naming what the cloud lacks fails validation."""

from __future__ import annotations

import pytest
from openstack.connection import Connection
from tests.resources.openstack.stacks import template
from tests.sandbox.running import SDK_WARNINGS

from calor.service.stacks import StackService
from calor.service.templates import TemplateValidationFailed

pytestmark = SDK_WARNINGS

SERVER = """\
heat_template_version: 2018-08-31
parameters:
  image: {type: string, default: cirros}
  flavor: {type: string, default: m1.tiny}
  network: {type: string, default: public}
resources:
  net: {type: OS::Neutron::Net}
  server:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      networks: [{network: {get_param: network}}]
"""


async def refusal(service: StackService, name: str, text: str, **parameters: str) -> list[str]:
    with pytest.raises(TemplateValidationFailed) as caught:
        await service.create_stack(name, template(text), parameters=parameters)
    return [str(error) for error in caught.value.errors]


async def test_a_missing_image_fails_validation_naming_the_property(
    service: StackService, sdk: Connection
) -> None:
    networks = {n.id for n in sdk.network.networks()}
    errors = await refusal(service, "noimage", SERVER, image="no-such-image")
    assert errors == [
        "Property error: resources.server.properties.image: Error validating value "
        "'no-such-image': No images matching {'name': 'no-such-image'}."
    ]
    # Nothing was created: not the stack, not even the network it also describes.
    assert await service.list_stacks() == []
    assert {n.id for n in sdk.network.networks()} == networks


async def test_a_missing_flavor_and_network_are_reported_together(
    service: StackService,
) -> None:
    errors = await refusal(service, "noflavor", SERVER, flavor="m1.huge", network="nonet")
    assert errors == [
        "Property error: resources.server.properties.flavor: Error validating value "
        "'m1.huge': No Flavor matching {'name': 'm1.huge'}. (HTTP 404)",
        "Property error: resources.server.properties.networks[0].network: Error validating "
        "value 'nonet': Unable to find network with name or id 'nonet'",
    ]


async def test_a_parameter_constrained_to_images_names_the_parameter(
    service: StackService,
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    parameters:
      image:
        type: string
        constraints: [{custom_constraint: glance.image}]
      key:
        type: string
        default: no-such-key
        constraints: [{custom_constraint: nova.keypair}]
    resources: {}
    """
    errors = await refusal(service, "badparam", text, image="missing")
    assert errors == [
        "parameters.image: Parameter 'image' is invalid: Error validating value 'missing': "
        "No images matching {'name': 'missing'}.",
        "parameters.key: Parameter 'key' is invalid: Error validating value 'no-such-key': "
        "The Key (no-such-key) could not be found.",
    ]


async def test_values_the_cloud_has_pass_validation(service: StackService) -> None:
    stack = await service.create_stack("fine", template(SERVER))
    done = await service.wait(stack.id, timeout=60)
    assert done is not None and done.status == "COMPLETE", done and done.status_reason
    await service.delete_stack(stack.id)
    assert await service.wait(stack.id, timeout=60) is None


async def test_an_update_to_a_missing_image_is_refused_and_changes_nothing(
    service: StackService,
) -> None:
    text = """\
    heat_template_version: 2018-08-31
    parameters:
      image: {type: string, default: cirros}
    resources:
      value:
        type: OS::Heat::Value
        properties:
          type: string
          value: {get_param: image}
      check:
        type: OS::Heat::None
    outputs:
      image: {value: {get_param: image}}
    """
    constrained = text.replace("image: {type: string, default: cirros}",
                               "image: {type: string, default: cirros, constraints: "
                               "[{custom_constraint: glance.image}]}")
    stack = await service.create_stack("upd", template(constrained))
    assert (await service.wait(stack.id, timeout=60)) is not None
    with pytest.raises(TemplateValidationFailed) as caught:
        await service.update_stack(stack.id, template(constrained),
                                   parameters={"image": "gone"})
    assert "No images matching {'name': 'gone'}" in str(caught.value)
    unchanged = await service.find(stack.id)
    assert (unchanged.action, unchanged.status) == ("CREATE", "COMPLETE")
    await service.delete_stack(stack.id)
    assert await service.wait(stack.id, timeout=60) is None
