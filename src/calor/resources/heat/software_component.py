"""OS::Heat::SoftwareComponent: one config per lifecycle action of a software component."""

from __future__ import annotations

from calor.resources.heat.software_config import INPUTS, OPTIONS, OUTPUTS, SoftwareConfig
from calor.template.constraints import Length
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: One entry of ``configs``: which actions it serves, with what tool.
CONFIG_ENTRY_SCHEMA = {
    # Other action names pass too: in-instance hooks may handle custom ones.
    "actions": PropertySchema(
        PropertyType.LIST,
        "The lifecycle actions the entry's config is for (CREATE, DELETE, UPDATE, "
        "SUSPEND, RESUME).",
        default=["CREATE", "UPDATE"],
        schema=PropertySchema(PropertyType.STRING),
        constraints=[Length(min=1)],
    ),
    "config": SoftwareConfig.properties_schema["config"],
    "tool": PropertySchema(
        PropertyType.STRING,
        "The tool on the server that applies the config; the server's agent must know it.",
        required=True,
    ),
}


class SoftwareComponent(SoftwareConfig):
    """A software config holding a separate script for each lifecycle action.

    Where SoftwareConfig stores one script, a component stores one per
    action (CREATE, UPDATE, SUSPEND, RESUME, DELETE) of whatever deploys it;
    an action may appear in only one entry.
    """

    type_name = "OS::Heat::SoftwareComponent"
    support_status = SupportStatus(version="2014.2")
    properties_schema = {
        "configs": PropertySchema(
            PropertyType.LIST,
            "The component's configs, each for some lifecycle actions.",
            schema=PropertySchema(PropertyType.MAP, schema=CONFIG_ENTRY_SCHEMA),
            constraints=[Length(min=1)],
            required=True,
        ),
        "inputs": INPUTS,
        "outputs": OUTPUTS,
        "options": OPTIONS,
    }
