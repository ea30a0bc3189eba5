"""OS::Heat::SoftwareDeployment: applies a software config to one server."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The resource actions that may trigger a deployment.
DEPLOY_ACTIONS = ("CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME")

#: How a server reports a deployment's outputs back.
SIGNAL_TRANSPORTS = ("CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL")

#: Heat takes the default from its ``default_deployment_signal_transport`` option.
DEFAULT_SIGNAL_TRANSPORT = "CFN_SIGNAL"

CONFIG = PropertySchema(
    PropertyType.STRING,
    "ID of the software config to apply to the server.",
    update_allowed=True,
)
SERVER = PropertySchema(
    PropertyType.STRING,
    "ID of the server to configure, normally an OS::Nova::Server.",
    required=True,
)
INPUT_VALUES = PropertySchema(
    PropertyType.MAP,
    "Values for the inputs the config declares.",
    update_allowed=True,
)
ACTIONS = PropertySchema(
    PropertyType.LIST,
    "The actions of this resource that run the deployment.",
    update_allowed=True,
    default=["CREATE", "UPDATE"],
    constraints=[AllowedValues(DEPLOY_ACTIONS)],
)
NAME = PropertySchema(
    PropertyType.STRING,
    "Name of the derived config; the server applies its configs in name order.",
    update_allowed=True,
)
SIGNAL_TRANSPORT = PropertySchema(
    PropertyType.STRING,
    "How the server reports outputs back: CFN_SIGNAL (POST to a signed CFN URL), "
    "TEMP_URL_SIGNAL (PUT to a Swift TempURL), HEAT_SIGNAL (resource signal with "
    "keystone credentials), ZAQAR_SIGNAL (a Zaqar queue), or NO_SIGNAL (complete "
    "without waiting).",
    default=DEFAULT_SIGNAL_TRANSPORT,
    constraints=[AllowedValues(SIGNAL_TRANSPORTS)],
)


def _captured(what: str) -> AttributeSchema:
    return AttributeSchema(f"The {what} the config's run reported.", type=AttributeType.STRING)


class SoftwareDeployment(Resource):
    """Delivers a software config, with input values, to a server and waits for its outputs.

    Each time it runs, the config is copied with the given input values and
    ``deploy_*`` inputs describing the stack and how to signal back. Unless
    ``signal_transport`` is NO_SIGNAL it waits for the server to report the
    outputs, which become its attributes beside deploy_stdout,
    deploy_stderr and deploy_status_code.
    """

    type_name = "OS::Heat::SoftwareDeployment"
    support_status = SupportStatus(version="2014.1")
    # Every output the config declares is an attribute too.
    accepts_any_attribute = True
    properties_schema = {
        "config": CONFIG,
        "server": SERVER,
        "input_values": INPUT_VALUES,
        "actions": ACTIONS,
        "name": NAME,
        "signal_transport": SIGNAL_TRANSPORT,
    }
    attributes_schema = {
        "deploy_stdout": _captured("standard output"),
        "deploy_stderr": _captured("standard error"),
        "deploy_status_code": _captured("exit status"),
    }
