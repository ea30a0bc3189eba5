"""OS::Heat::DeployedServer: a server deployed outside the cloud, for software deployments."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues, Length
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

#: How a server's agent fetches its deployment metadata.
SOFTWARE_CONFIG_TRANSPORTS = (
    "POLL_SERVER_CFN",
    "POLL_SERVER_HEAT",
    "POLL_TEMP_URL",
    "ZAQAR_MESSAGE",
)

#: Heat takes the default from its ``default_software_config_transport`` option.
DEFAULT_SOFTWARE_CONFIG_TRANSPORT = "POLL_SERVER_CFN"


def _swift_name(what: str) -> PropertySchema:
    return PropertySchema(PropertyType.STRING, f"The {what}'s name.", constraints=[Length(min=1)])


class DeployedServer(Resource):
    """Stands for a server that was deployed by other means than the cloud.

    Software deployments can target it like an OS::Nova::Server: its agent
    is given credentials to fetch deployment metadata by the chosen
    ``software_config_transport``.
    """

    type_name = "OS::Heat::DeployedServer"
    properties_schema = {
        "name": PropertySchema(PropertyType.STRING, "The server's name.", update_allowed=True),
        "metadata": PropertySchema(
            PropertyType.MAP,
            "Key/value metadata for the server (ignored).",
            update_allowed=True,
            support_status=SupportStatus(
                Support.DEPRECATED,
                version="9.0.0",
                message="This property will be ignored",
                previous_status=SupportStatus(version="8.0.0"),
            ),
        ),
        "software_config_transport": PropertySchema(
            PropertyType.STRING,
            "How the server's agent fetches deployment metadata: POLL_SERVER_CFN "
            "(CFN DescribeStackResource with a keypair), POLL_SERVER_HEAT (resource "
            "show with keystone credentials), POLL_TEMP_URL (a Swift TempURL Heat "
            "fills), or ZAQAR_MESSAGE (a Zaqar queue Heat posts to).",
            default=DEFAULT_SOFTWARE_CONFIG_TRANSPORT,
            update_allowed=True,
            constraints=[AllowedValues(SOFTWARE_CONFIG_TRANSPORTS)],
        ),
        "deployment_swift_data": PropertySchema(
            PropertyType.MAP,
            "The Swift container and object holding deployment data with "
            "POLL_TEMP_URL; unset, a container named after the resource and an "
            "object with a generated name are used.",
            support_status=SupportStatus(version="9.0.0"),
            default={},
            update_allowed=True,
            schema={"container": _swift_name("container"), "object": _swift_name("object")},
        ),
    }
    attributes_schema = {
        "name": AttributeSchema("The server's name.", type=AttributeType.STRING),
        "os_collect_config": AttributeSchema(
            "The os-collect-config settings that let the server's agent fetch its deployment data.",
            type=AttributeType.MAP,
            support_status=SupportStatus(version="9.0.0"),
            cache_mode=CacheMode.NONE,
        ),
    }
