"""OS::Heat::SoftwareConfig: a stored, immutable piece of server configuration."""

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

#: The types a config's inputs and outputs may declare.
IO_TYPES = ("String", "Number", "CommaDelimitedList", "Json", "Boolean")


def _io_common(what: str) -> dict[str, PropertySchema]:
    return {
        "name": PropertySchema(PropertyType.STRING, f"The {what}'s name.", required=True),
        "description": PropertySchema(PropertyType.STRING, f"What the {what} is for."),
        "type": PropertySchema(
            PropertyType.STRING,
            f"The type of the {what}'s value.",
            default="String",
            constraints=[AllowedValues(IO_TYPES)],
        ),
    }


INPUT_SCHEMA = {
    **_io_common("input"),
    "default": PropertySchema(PropertyType.ANY, "The value used when none is given."),
    "replace_on_change": PropertySchema(
        PropertyType.BOOLEAN,
        "Replace the deployment, rather than update it, when this value changes.",
        default=False,
    ),
}

OUTPUT_SCHEMA = {
    **_io_common("output"),
    "error_output": PropertySchema(
        PropertyType.BOOLEAN,
        "A value in this output means the deployment failed.",
        default=False,
    ),
}

GROUP = PropertySchema(
    PropertyType.STRING,
    "The group the config is delivered under, which tells servers which tool applies it.",
    default="Heat::Ungrouped",
)
OPTIONS = PropertySchema(PropertyType.MAP, "Options for the configuration tool.")
INPUTS = PropertySchema(
    PropertyType.LIST,
    "The inputs the config expects.",
    schema=PropertySchema(PropertyType.MAP, schema=INPUT_SCHEMA),
)
OUTPUTS = PropertySchema(
    PropertyType.LIST,
    "The outputs the config produces.",
    schema=PropertySchema(PropertyType.MAP, schema=OUTPUT_SCHEMA),
)


class SoftwareConfig(Resource):
    """Stores a configuration script with the inputs and outputs it uses.

    Configs cannot change: a new definition makes a new config. Servers'
    user_data, deployments and MultipartMime parts can refer to one.
    """

    type_name = "OS::Heat::SoftwareConfig"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "group": GROUP,
        "config": PropertySchema(
            PropertyType.STRING, "The script or manifest that does the configuring."
        ),
        "options": OPTIONS,
        "inputs": INPUTS,
        "outputs": OUTPUTS,
    }
    attributes_schema = {
        "config": AttributeSchema("The stored config.", type=AttributeType.STRING),
    }
