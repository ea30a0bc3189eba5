"""OS::Heat::SoftwareDeploymentGroup: one software deployment per server of a map."""

from __future__ import annotations

from calor.resources.heat.resource_group import BATCH_CREATE_SCHEMA, ResourceGroup
from calor.resources.heat.software_deployment import (
    ACTIONS,
    CONFIG,
    INPUT_VALUES,
    NAME,
    SIGNAL_TRANSPORT,
)
from calor.template.constraints import Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

SERVERS = PropertySchema(
    PropertyType.MAP,
    "The servers to configure, by name; each name becomes the name of its deployment.",
    update_allowed=True,
    required=True,
)

#: ``rolling_update`` of a deployment group: no min_in_service.
ROLLING_UPDATE_SCHEMA = {
    "max_batch_size": PropertySchema(
        PropertyType.INTEGER,
        "The most deployments to replace at a time.",
        constraints=[Range(min=1)],
        default=1,
    ),
    "pause_time": PropertySchema(
        PropertyType.NUMBER,
        "Seconds to pause between batches.",
        constraints=[Range(min=0)],
        default=0,
    ),
}

#: The update policy of the deployment groups.
UPDATE_POLICY_SCHEMA = {
    "rolling_update": PropertySchema(
        PropertyType.MAP,
        schema=ROLLING_UPDATE_SCHEMA,
        support_status=SupportStatus(version="7.0.0"),
    ),
    "batch_create": PropertySchema(
        PropertyType.MAP,
        schema=BATCH_CREATE_SCHEMA,
        support_status=SupportStatus(version="7.0.0"),
    ),
}


def _by_server(what: str) -> AttributeSchema:
    return AttributeSchema(f"The {what} of each server's run, by name.", type=AttributeType.MAP)


#: The attributes of the deployment groups.
ATTRIBUTES_SCHEMA = {
    "deploy_stdouts": _by_server("standard output"),
    "deploy_stderrs": _by_server("standard error"),
    "deploy_status_codes": _by_server("exit status"),
}


class SoftwareDeploymentGroup(ResourceGroup):
    """Applies one software config to every server of ``servers``.

    Each server gets its own OS::Heat::SoftwareDeployment, named by its key.
    Any attribute of a single deployment (config outputs included) may be
    asked for, and comes back as a map of deployment name to value.
    """

    type_name = "OS::Heat::SoftwareDeploymentGroup"
    support_status = SupportStatus(version="5.0.0")
    properties_schema = {
        "servers": SERVERS,
        "config": CONFIG,
        "input_values": INPUT_VALUES,
        "actions": ACTIONS,
        "name": NAME,
        "signal_transport": SIGNAL_TRANSPORT,
    }
    attributes_schema = ATTRIBUTES_SCHEMA
    update_policy_schema = UPDATE_POLICY_SCHEMA


class SoftwareDeployments(SoftwareDeploymentGroup):
    """The old name of OS::Heat::SoftwareDeploymentGroup, kept for existing templates."""

    type_name = "OS::Heat::SoftwareDeployments"
    support_status = SupportStatus(
        Support.HIDDEN,
        version="7.0.0",
        message="Please use OS::Heat::SoftwareDeploymentGroup instead.",
        previous_status=SupportStatus(Support.DEPRECATED, version="2014.2"),
    )
