"""OS::Heat::StructuredDeployment: a software deployment that fills in a structured config."""

from __future__ import annotations

from calor.resources.heat.software_deployment import (
    ACTIONS,
    CONFIG,
    INPUT_VALUES,
    NAME,
    SERVER,
    SIGNAL_TRANSPORT,
    SoftwareDeployment,
)
from calor.template.constraints import AllowedValues
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

INPUT_KEY = PropertySchema(
    PropertyType.STRING,
    "The key whose one-entry maps ({<input_key>: <input name>}) are replaced by input values.",
    default="get_input",
)
INPUT_VALUES_VALIDATE = PropertySchema(
    PropertyType.STRING,
    "STRICT makes an input referenced in the config but given no value an error; "
    "LAX leaves it null.",
    default="LAX",
    constraints=[AllowedValues(["LAX", "STRICT"])],
)


class StructuredDeployment(SoftwareDeployment):
    """A software deployment that substitutes its input values into a structured config.

    For tools with no notion of inputs (cfn-init, say): each
    ``{get_input: name}`` in an OS::Heat::StructuredConfig's map is replaced
    by that input's value before the config is delivered. ``input_key``
    picks another key when get_input must reach the server as it is.
    """

    type_name = "OS::Heat::StructuredDeployment"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "config": CONFIG,
        "server": SERVER,
        "input_values": INPUT_VALUES,
        "actions": ACTIONS,
        "signal_transport": SIGNAL_TRANSPORT,
        "name": NAME,
        "input_key": INPUT_KEY,
        "input_values_validate": INPUT_VALUES_VALIDATE,
    }
