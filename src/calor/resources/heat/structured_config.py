"""OS::Heat::StructuredConfig: a software config whose content is a map."""

from __future__ import annotations

from calor.resources.heat.software_config import GROUP, INPUTS, OPTIONS, OUTPUTS, SoftwareConfig
from calor.template.schema import PropertySchema, PropertyType, SupportStatus


class StructuredConfig(SoftwareConfig):
    """A software config whose content is a map, stored as JSON.

    For tools that are configured with YAML or JSON.
    """

    type_name = "OS::Heat::StructuredConfig"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "group": GROUP,
        "options": OPTIONS,
        "inputs": INPUTS,
        "outputs": OUTPUTS,
        "config": PropertySchema(
            PropertyType.MAP, "The configuration data, serialized to JSON when stored."
        ),
    }
