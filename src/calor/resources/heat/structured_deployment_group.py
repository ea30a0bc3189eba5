"""OS::Heat::StructuredDeploymentGroup: one structured deployment per server of a map."""

from __future__ import annotations

from calor.resources.heat.software_deployment import (
    ACTIONS,
    CONFIG,
    INPUT_VALUES,
    NAME,
    SIGNAL_TRANSPORT,
)
from calor.resources.heat.software_deployment_group import SERVERS, SoftwareDeploymentGroup
from calor.resources.heat.structured_deployment import INPUT_KEY, INPUT_VALUES_VALIDATE
from calor.template.schema import Support, SupportStatus


class StructuredDeploymentGroup(SoftwareDeploymentGroup):
    """Applies one structured config to every server of ``servers``.

    As OS::Heat::SoftwareDeploymentGroup, but each member is an
    OS::Heat::StructuredDeployment.
    """

    type_name = "OS::Heat::StructuredDeploymentGroup"
    # Heat inherits this from SoftwareDeploymentGroup; said again for the reader.
    support_status = SupportStatus(version="5.0.0")
    properties_schema = {
        "servers": SERVERS,
        "config": CONFIG,
        "input_values": INPUT_VALUES,
        "actions": ACTIONS,
        "signal_transport": SIGNAL_TRANSPORT,
        "name": NAME,
        "input_key": INPUT_KEY,
        "input_values_validate": INPUT_VALUES_VALIDATE,
    }


class StructuredDeployments(StructuredDeploymentGroup):
    """The old name of OS::Heat::StructuredDeploymentGroup, kept for existing templates."""

    type_name = "OS::Heat::StructuredDeployments"
    support_status = SupportStatus(
        Support.HIDDEN,
        version="7.0.0",
        message="Please use OS::Heat::StructuredDeploymentGroup instead.",
        previous_status=SupportStatus(Support.DEPRECATED, version="2014.2"),
    )
