"""OS::Heat::CloudConfig: cloud-init cloud-config as a software config."""

from __future__ import annotations

from calor.resources.heat.software_config import SoftwareConfig
from calor.template.schema import PropertySchema, PropertyType, SupportStatus


class CloudConfig(SoftwareConfig):
    """Stores cloud-init cloud-config, written as a map and kept as YAML.

    It is boot-time configuration: changing it replaces the servers using it.
    """

    type_name = "OS::Heat::CloudConfig"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "cloud_config": PropertySchema(
            PropertyType.MAP, "The cloud-config data, formatted as YAML when stored."
        ),
    }
