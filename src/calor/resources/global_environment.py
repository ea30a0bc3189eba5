"""The global environment: the resource_registry every stack's sits above.

Heat loads every file of its ``environment_dir`` (``/etc/heat/environment.d``)
into one global environment; the file it ships, ``default.yaml``, keeps old
type names working. These are its mappings. Two of its entries are left
out because they name provider templates installed under
``/etc/heat/templates`` (``AWS::CloudWatch::Alarm`` and
``AWS::RDS::DBInstance``), which Calor does not ship.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from calor.template.resource_registry import ResourceRegistry

#: The type mappings of Heat's shipped ``environment.d/default.yaml``.
DEFAULT_MAPPINGS: Mapping[str, str] = MappingProxyType(
    {
        # Neutron was called Quantum once.
        "OS::Quantum*": "OS::Neutron*",
        # The alarm types moved from Ceilometer to Aodh.
        "OS::Metering::Alarm": "OS::Aodh::Alarm",
        "OS::Ceilometer::Alarm": "OS::Aodh::Alarm",
        "OS::Ceilometer::GnocchiResourcesAlarm": "OS::Aodh::GnocchiResourcesAlarm",
        "OS::Ceilometer::GnocchiAggregationByMetricsAlarm": (
            "OS::Aodh::GnocchiAggregationByMetricsAlarm"
        ),
        "OS::Ceilometer::GnocchiAggregationByResourcesAlarm": (
            "OS::Aodh::GnocchiAggregationByResourcesAlarm"
        ),
        "OS::Ceilometer::CombinationAlarm": "OS::Aodh::CombinationAlarm",
    }
)


def global_registry() -> ResourceRegistry:
    """A new global resource_registry holding Heat's default mappings."""
    return ResourceRegistry(dict(DEFAULT_MAPPINGS), is_global=True)
