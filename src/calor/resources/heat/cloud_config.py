"""OS::Heat::CloudConfig: cloud-init cloud-config as a software config."""

from __future__ import annotations

from typing import Any

import yaml

from calor.resources.heat.software_config import SoftwareConfig
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: The first line cloud-init recognises cloud-config by.
CLOUD_CONFIG_HEADER = "#cloud-config\n"

# Heat dumps with libyaml's SafeDumper when PyYAML has it, so Calor does too
# (the pure-Python one differs in details: it ends a lone scalar with "...").
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render_cloud_config(cloud_config: object) -> str:
    """``#cloud-config`` and the data as YAML, as Heat stores it (keys sorted, block style)."""
    return CLOUD_CONFIG_HEADER + yaml.dump(cloud_config, Dumper=_DUMPER)


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

    def config_content(self) -> str:
        return render_cloud_config(self.properties.get("cloud_config"))
