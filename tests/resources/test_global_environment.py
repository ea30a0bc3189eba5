"""The global environment holds the mappings of Heat's shipped default.yaml."""

from __future__ import annotations

import pytest

from calor.resources.global_environment import global_registry
from calor.template.resource_registry import ResourceRegistry


def final_type(registry: ResourceRegistry, type_name: str) -> str:
    entry = registry.lookup(type_name)
    assert entry is not None
    assert entry.kind == "type"
    return entry.target


def test_global_registry_maps_quantum_net_to_neutron_net() -> None:
    assert final_type(global_registry(), "OS::Quantum::Net") == "OS::Neutron::Net"


@pytest.mark.parametrize("name", ["Subnet", "Router", "Port", "FloatingIP"])
def test_every_quantum_type_becomes_its_neutron_namesake(name: str) -> None:
    assert final_type(global_registry(), f"OS::Quantum::{name}") == f"OS::Neutron::{name}"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("OS::Metering::Alarm", "OS::Aodh::Alarm"),
        ("OS::Ceilometer::Alarm", "OS::Aodh::Alarm"),
        ("OS::Ceilometer::GnocchiResourcesAlarm", "OS::Aodh::GnocchiResourcesAlarm"),
        (
            "OS::Ceilometer::GnocchiAggregationByMetricsAlarm",
            "OS::Aodh::GnocchiAggregationByMetricsAlarm",
        ),
        (
            "OS::Ceilometer::GnocchiAggregationByResourcesAlarm",
            "OS::Aodh::GnocchiAggregationByResourcesAlarm",
        ),
        ("OS::Ceilometer::CombinationAlarm", "OS::Aodh::CombinationAlarm"),
    ],
)
def test_ceilometer_alarm_types_become_aodh_ones(old: str, new: str) -> None:
    assert final_type(global_registry(), old) == new


@pytest.mark.parametrize("name", ["AWS::CloudWatch::Alarm", "AWS::RDS::DBInstance"])
def test_types_heat_maps_to_shipped_provider_templates_are_left_unmapped(name: str) -> None:
    assert final_type(global_registry(), name) == name
    assert global_registry().template_types() == ()


def test_global_registry_is_marked_global() -> None:
    assert global_registry().is_global


def test_user_registry_mapping_wins_over_the_global_one() -> None:
    user = ResourceRegistry({"OS::Quantum::Net": "OS::Heat::None"}, parent=global_registry())
    assert final_type(user, "OS::Quantum::Net") == "OS::Heat::None"


def test_user_registry_falls_back_to_the_global_mappings() -> None:
    user = ResourceRegistry({"OS::Nova::Thing": "OS::Heat::None"}, parent=global_registry())
    assert final_type(user, "OS::Quantum::Subnet") == "OS::Neutron::Subnet"


def test_global_registry_is_new_each_time() -> None:
    first = global_registry()
    first.load({"OS::Quantum*": None})
    assert final_type(global_registry(), "OS::Quantum::Net") == "OS::Neutron::Net"
