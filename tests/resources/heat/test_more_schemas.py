"""The rest of the OS::Heat::* types declare what Heat 27 declares."""

from __future__ import annotations

from typing import Any

import pytest

from calor.resources import default_registry
from calor.template.resource_types import ResourceTypeSchema

#: Every OS::Heat::* type Heat 27 registers (hidden ones included).
HEAT_27_TYPES = [
    "OS::Heat::AccessPolicy",
    "OS::Heat::AutoScalingGroup",
    "OS::Heat::CloudConfig",
    "OS::Heat::Delay",
    "OS::Heat::DeployedServer",
    "OS::Heat::HARestarter",
    "OS::Heat::InstanceGroup",
    "OS::Heat::MultipartMime",
    "OS::Heat::None",
    "OS::Heat::RandomString",
    "OS::Heat::ResourceChain",
    "OS::Heat::ResourceGroup",
    "OS::Heat::ScalingPolicy",
    "OS::Heat::SoftwareComponent",
    "OS::Heat::SoftwareConfig",
    "OS::Heat::SoftwareDeployment",
    "OS::Heat::SoftwareDeploymentGroup",
    "OS::Heat::SoftwareDeployments",
    "OS::Heat::Stack",
    "OS::Heat::StructuredConfig",
    "OS::Heat::StructuredDeployment",
    "OS::Heat::StructuredDeploymentGroup",
    "OS::Heat::StructuredDeployments",
    "OS::Heat::SwiftSignal",
    "OS::Heat::SwiftSignalHandle",
    "OS::Heat::TestResource",
    "OS::Heat::UpdateWaitConditionHandle",
    "OS::Heat::Value",
    "OS::Heat::WaitCondition",
    "OS::Heat::WaitConditionHandle",
]

HIDDEN = [
    "OS::Heat::HARestarter",
    "OS::Heat::SoftwareDeployments",
    "OS::Heat::StructuredDeployments",
]

_DEPLOYMENT: dict[str, tuple[str, bool, Any, bool]] = {
    "config": ("string", False, None, True),
    "input_values": ("map", False, None, True),
    "actions": ("list", False, ["CREATE", "UPDATE"], True),
    "name": ("string", False, None, True),
    "signal_transport": ("string", False, "CFN_SIGNAL", False),
}
_STRUCTURED: dict[str, tuple[str, bool, Any, bool]] = {
    "input_key": ("string", False, "get_input", False),
    "input_values_validate": ("string", False, "LAX", False),
}

#: Heat 27's (visible) properties: name -> (type, required, default, update_allowed).
PROPERTIES: dict[str, dict[str, tuple[str, bool, Any, bool]]] = {
    "OS::Heat::AccessPolicy": {"AllowedResources": ("list", True, None, False)},
    "OS::Heat::AutoScalingGroup": {
        "resource": ("map", True, None, True),
        "max_size": ("integer", True, None, True),
        "min_size": ("integer", True, None, True),
        "cooldown": ("integer", False, None, True),
        "desired_capacity": ("integer", False, None, True),
        "rolling_updates": (
            "map", False, {"min_in_service": 0, "max_batch_size": 1, "pause_time": 0}, True,
        ),
    },
    "OS::Heat::ScalingPolicy": {
        "auto_scaling_group_id": ("string", True, None, False),
        "scaling_adjustment": ("number", True, None, True),
        "adjustment_type": ("string", True, None, True),
        "cooldown": ("number", False, None, True),
        "min_adjustment_step": ("integer", False, None, True),
    },
    "OS::Heat::InstanceGroup": {
        "AvailabilityZones": ("list", True, None, False),
        "LaunchConfigurationName": ("string", True, None, True),
        "Size": ("integer", True, None, True),
        "LoadBalancerNames": ("list", False, None, False),
        "Tags": ("list", False, None, False),
    },
    "OS::Heat::DeployedServer": {
        "name": ("string", False, None, True),
        "metadata": ("map", False, None, True),
        "software_config_transport": ("string", False, "POLL_SERVER_CFN", True),
        "deployment_swift_data": ("map", False, {}, True),
    },
    "OS::Heat::SoftwareComponent": {
        "configs": ("list", True, None, False),
        "inputs": ("list", False, None, False),
        "outputs": ("list", False, None, False),
        "options": ("map", False, None, False),
    },
    "OS::Heat::SoftwareDeployment": {"server": ("string", True, None, False), **_DEPLOYMENT},
    "OS::Heat::SoftwareDeploymentGroup": {"servers": ("map", True, None, True), **_DEPLOYMENT},
    "OS::Heat::StructuredDeployment": {
        "server": ("string", True, None, False), **_DEPLOYMENT, **_STRUCTURED,
    },
    "OS::Heat::StructuredDeploymentGroup": {
        "servers": ("map", True, None, True), **_DEPLOYMENT, **_STRUCTURED,
    },
    "OS::Heat::SwiftSignal": {
        "handle": ("string", True, None, False),
        "timeout": ("number", True, None, False),
        "count": ("integer", False, 1, False),
    },
    "OS::Heat::SwiftSignalHandle": {},
    "OS::Heat::UpdateWaitConditionHandle": {},
}

_DEPLOY_OUTPUTS: dict[str, str | None] = {
    "deploy_stdout": "string",
    "deploy_stderr": "string",
    "deploy_status_code": "string",
}
_GROUP_OUTPUTS: dict[str, str | None] = {
    "deploy_stdouts": "map",
    "deploy_stderrs": "map",
    "deploy_status_codes": "map",
}

#: Heat 27's attributes (each also has "show"), with their types.
ATTRIBUTES: dict[str, dict[str, str | None]] = {
    "OS::Heat::AccessPolicy": {},
    "OS::Heat::AutoScalingGroup": {
        "outputs": "map", "outputs_list": "list", "current_size": "integer",
        "refs": "list", "refs_map": "map",
    },
    "OS::Heat::ScalingPolicy": {"alarm_url": "string", "signal_url": "string"},
    "OS::Heat::InstanceGroup": {"InstanceList": "string"},
    "OS::Heat::DeployedServer": {"name": "string", "os_collect_config": "map"},
    "OS::Heat::SoftwareComponent": {"config": "string"},
    "OS::Heat::SoftwareDeployment": _DEPLOY_OUTPUTS,
    "OS::Heat::SoftwareDeploymentGroup": _GROUP_OUTPUTS,
    "OS::Heat::StructuredDeployment": _DEPLOY_OUTPUTS,
    "OS::Heat::StructuredDeploymentGroup": _GROUP_OUTPUTS,
    "OS::Heat::SwiftSignal": {"data": "string"},
    "OS::Heat::SwiftSignalHandle": {"token": "string", "endpoint": "string", "curl_cli": "string"},
    "OS::Heat::UpdateWaitConditionHandle": {},
}

#: The version each type has been supported since (None: Heat gives none).
SINCE: dict[str, str | None] = {
    "OS::Heat::AccessPolicy": None,
    "OS::Heat::AutoScalingGroup": "2014.1",
    "OS::Heat::ScalingPolicy": None,
    "OS::Heat::InstanceGroup": None,
    "OS::Heat::DeployedServer": None,
    "OS::Heat::SoftwareComponent": "2014.2",
    "OS::Heat::SoftwareDeployment": "2014.1",
    "OS::Heat::SoftwareDeploymentGroup": "5.0.0",
    "OS::Heat::StructuredDeployment": "2014.1",
    "OS::Heat::StructuredDeploymentGroup": "5.0.0",
    "OS::Heat::SwiftSignal": "2014.2",
    "OS::Heat::SwiftSignalHandle": "2014.2",
    "OS::Heat::UpdateWaitConditionHandle": "2014.1",
}


def schema_of(type_name: str) -> ResourceTypeSchema:
    schema = default_registry().get(type_name)
    assert schema is not None
    return schema


def body_of(type_name: str) -> dict[str, Any]:
    return schema_of(type_name).to_dict()


def nested(type_name: str, *path: str) -> dict[str, Any]:
    """The rendered schema of a property, following ``path`` through nested schemas."""
    node: dict[str, Any] = body_of(type_name)["properties"][path[0]]
    for key in path[1:]:
        node = node["schema"][key]
    return node


def flags(schemas: dict[str, Any]) -> dict[str, tuple[str, bool, Any]]:
    return {k: (v["type"], v["required"], v.get("default")) for k, v in schemas.items()}


def test_every_type_heat_27_registers_under_os_heat_is_registered() -> None:
    registered = default_registry().list_types(name_filter="OS::Heat::", with_hidden=True)
    assert registered == HEAT_27_TYPES


@pytest.mark.parametrize("type_name", HIDDEN)
def test_hidden_type_is_registered_but_not_listed(type_name: str) -> None:
    registry = default_registry()
    assert type_name in registry
    assert type_name not in registry.list_types()


@pytest.mark.parametrize("type_name", sorted(PROPERTIES))
def test_type_show_lists_heats_properties(type_name: str) -> None:
    shown = {
        name: (p["type"], p["required"], p.get("default"), p["update_allowed"])
        for name, p in body_of(type_name)["properties"].items()
    }
    assert shown == PROPERTIES[type_name]


@pytest.mark.parametrize("type_name", sorted(ATTRIBUTES))
def test_type_show_lists_heats_attributes_and_show(type_name: str) -> None:
    shown = {name: a.get("type") for name, a in body_of(type_name)["attributes"].items()}
    assert shown == {**ATTRIBUTES[type_name], "show": "map"}


@pytest.mark.parametrize("type_name", sorted(SINCE))
def test_type_is_supported_since_heats_version(type_name: str) -> None:
    assert body_of(type_name)["support_status"] == {
        "status": "SUPPORTED",
        "message": None,
        "version": SINCE[type_name],
        "previous_status": None,
    }


@pytest.mark.parametrize("type_name", sorted(PROPERTIES))
def test_type_describes_itself(type_name: str) -> None:
    assert body_of(type_name)["description"] != "No description available"


@pytest.mark.parametrize(
    "type_name",
    [
        "OS::Heat::AutoScalingGroup",
        "OS::Heat::SoftwareDeployment",
        "OS::Heat::StructuredDeployment",
        "OS::Heat::SoftwareDeploymentGroup",
        "OS::Heat::StructuredDeploymentGroup",
    ],
)
def test_types_whose_attributes_reach_members_or_outputs_accept_any_attribute(
    type_name: str,
) -> None:
    assert schema_of(type_name).accepts_any_attribute


@pytest.mark.parametrize(
    "type_name", ["OS::Heat::ScalingPolicy", "OS::Heat::InstanceGroup", "OS::Heat::SwiftSignal"]
)
def test_types_with_fixed_attributes_do_not_accept_any_attribute(type_name: str) -> None:
    assert not schema_of(type_name).accepts_any_attribute


# -- autoscaling ----------------------------------------------------------------


def test_autoscaling_group_sizes_are_not_negative() -> None:
    assert nested("OS::Heat::AutoScalingGroup", "max_size")["constraints"] == [
        {"range": {"min": 0}}
    ]
    assert nested("OS::Heat::AutoScalingGroup", "min_size")["constraints"] == [
        {"range": {"min": 0}}
    ]


def test_autoscaling_group_rolling_updates_keys_and_bounds() -> None:
    keys = nested("OS::Heat::AutoScalingGroup", "rolling_updates")["schema"]
    assert flags(keys) == {
        "min_in_service": ("integer", False, 0),
        "max_batch_size": ("integer", False, 1),
        "pause_time": ("number", False, 0),
    }
    assert [keys[k]["constraints"] for k in keys] == [
        [{"range": {"min": 0}}],
        [{"range": {"min": 1}}],
        [{"range": {"min": 0}}],
    ]


def test_autoscaling_group_has_no_update_policy() -> None:
    assert dict(schema_of("OS::Heat::AutoScalingGroup").update_policy) == {}


def test_autoscaling_group_attributes_have_heats_support_versions() -> None:
    attributes = schema_of("OS::Heat::AutoScalingGroup").attributes
    assert {n: a.support_status.version for n, a in attributes.items() if n != "show"} == {
        "outputs": "2014.2",
        "outputs_list": "2014.2",
        "current_size": "2015.1",
        "refs": "7.0.0",
        "refs_map": "7.0.0",
    }


def test_scaling_policy_adjustment_types_are_heats() -> None:
    assert nested("OS::Heat::ScalingPolicy", "adjustment_type")["constraints"] == [
        {
            "allowed_values": [
                "change_in_capacity", "exact_capacity", "percent_change_in_capacity",
            ]
        }
    ]
    assert nested("OS::Heat::ScalingPolicy", "min_adjustment_step")["constraints"] == [
        {"range": {"min": 0}}
    ]


def test_scaling_policy_refuses_an_unknown_adjustment_type() -> None:
    errors = schema_of("OS::Heat::ScalingPolicy").validate_properties(
        {"auto_scaling_group_id": "g", "scaling_adjustment": 1, "adjustment_type": "up"},
        path=("resources", "p", "properties"),
    )
    assert [str(e) for e in errors] == [
        'Property error: resources.p.properties.adjustment_type: "up" is not an allowed '
        'value ["change_in_capacity", "exact_capacity", "percent_change_in_capacity"]'
    ]


def test_instance_group_tags_need_key_and_value() -> None:
    item = nested("OS::Heat::InstanceGroup", "Tags", "*")
    assert flags(item["schema"]) == {
        "Key": ("string", True, None),
        "Value": ("string", True, None),
    }


def test_instance_group_update_policy_is_rolling_update() -> None:
    policy = schema_of("OS::Heat::InstanceGroup").update_policy
    assert list(policy) == ["RollingUpdate"]
    assert flags(policy["RollingUpdate"].to_dict()["schema"]) == {
        "MinInstancesInService": ("integer", False, 0),
        "MaxBatchSize": ("integer", False, 1),
        "PauseTime": ("string", False, "PT0S"),
    }


def test_instance_group_update_policy_batch_size_must_be_an_integer() -> None:
    errors = schema_of("OS::Heat::InstanceGroup").validate_update_policy(
        {"RollingUpdate": {"MaxBatchSize": "x"}}, path=("resources", "g", "update_policy")
    )
    assert [str(e) for e in errors] == [
        "Property error: resources.g.update_policy.RollingUpdate.MaxBatchSize: "
        "Value 'x' is not an integer"
    ]


# -- servers and software deployments -----------------------------------------------


def test_deployed_server_transports_are_heats() -> None:
    assert nested("OS::Heat::DeployedServer", "software_config_transport")["constraints"] == [
        {
            "allowed_values": [
                "POLL_SERVER_CFN", "POLL_SERVER_HEAT", "POLL_TEMP_URL", "ZAQAR_MESSAGE",
            ]
        }
    ]


def test_deployed_server_swift_data_names_are_not_empty() -> None:
    keys = nested("OS::Heat::DeployedServer", "deployment_swift_data")["schema"]
    assert {k: (v["type"], v["constraints"]) for k, v in keys.items()} == {
        "container": ("string", [{"length": {"min": 1}}]),
        "object": ("string", [{"length": {"min": 1}}]),
    }


def test_deployed_server_metadata_is_deprecated_since_9() -> None:
    status = schema_of("OS::Heat::DeployedServer").properties["metadata"].support_status
    assert status.to_dict() == {
        "status": "DEPRECATED",
        "message": "This property will be ignored",
        "version": "9.0.0",
        "previous_status": {
            "status": "SUPPORTED", "message": None, "version": "8.0.0", "previous_status": None,
        },
    }


def test_software_component_configs_entries_need_a_tool() -> None:
    configs = nested("OS::Heat::SoftwareComponent", "configs")
    assert configs["constraints"] == [{"length": {"min": 1}}]
    assert flags(configs["schema"]["*"]["schema"]) == {
        "actions": ("list", False, ["CREATE", "UPDATE"]),
        "config": ("string", False, None),
        "tool": ("string", True, None),
    }


def test_software_component_refuses_a_config_without_tool() -> None:
    errors = schema_of("OS::Heat::SoftwareComponent").validate_properties(
        {"configs": [{"config": "echo hi"}]}, path=("resources", "c", "properties")
    )
    assert [str(e) for e in errors] == [
        "Property error: resources.c.properties.configs[0]: Property tool not assigned"
    ]


def test_software_deployment_actions_and_transports_are_heats() -> None:
    assert nested("OS::Heat::SoftwareDeployment", "actions")["constraints"] == [
        {"allowed_values": ["CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME"]}
    ]
    assert nested("OS::Heat::SoftwareDeployment", "signal_transport")["constraints"] == [
        {
            "allowed_values": [
                "CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL",
            ]
        }
    ]


def test_software_deployment_refuses_an_action_heat_does_not_know() -> None:
    errors = schema_of("OS::Heat::SoftwareDeployment").validate_properties(
        {"server": "s", "actions": ["CREATE", "REBOOT"]}, path=("resources", "d", "properties")
    )
    assert [str(e) for e in errors] == [
        'Property error: resources.d.properties.actions: ["CREATE", "REBOOT"] is not an '
        'allowed value ["CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME"]'
    ]


def test_structured_deployment_input_values_validate_is_lax_or_strict() -> None:
    assert nested("OS::Heat::StructuredDeployment", "input_values_validate")["constraints"] == [
        {"allowed_values": ["LAX", "STRICT"]}
    ]


@pytest.mark.parametrize(
    "type_name", ["OS::Heat::SoftwareDeploymentGroup", "OS::Heat::StructuredDeploymentGroup"]
)
def test_deployment_group_update_policy_has_no_min_in_service(type_name: str) -> None:
    policy = schema_of(type_name).update_policy
    rendered = {name: flags(p.to_dict()["schema"]) for name, p in policy.items()}
    assert rendered == {
        "rolling_update": {
            "max_batch_size": ("integer", False, 1),
            "pause_time": ("number", False, 0),
        },
        "batch_create": {
            "max_batch_size": ("integer", False, 1),
            "pause_time": ("number", False, 0),
        },
    }
    assert {p.support_status.version for p in policy.values()} == {"7.0.0"}


@pytest.mark.parametrize(
    ("alias", "group"),
    [
        ("OS::Heat::SoftwareDeployments", "OS::Heat::SoftwareDeploymentGroup"),
        ("OS::Heat::StructuredDeployments", "OS::Heat::StructuredDeploymentGroup"),
    ],
)
def test_hidden_deployments_alias_has_its_groups_schema(alias: str, group: str) -> None:
    old, new = schema_of(alias), schema_of(group)
    assert old.to_dict()["properties"] == new.to_dict()["properties"]
    assert old.to_dict()["attributes"] == new.to_dict()["attributes"]
    assert dict(old.update_policy) == dict(new.update_policy)
    assert old.accepts_any_attribute
    assert old.support_status.to_dict() == {
        "status": "HIDDEN",
        "message": f"Please use {group} instead.",
        "version": "7.0.0",
        "previous_status": {
            "status": "DEPRECATED", "message": None, "version": "2014.2", "previous_status": None,
        },
    }


# -- signals and the removed HARestarter ---------------------------------------------


def test_swift_signal_waits_up_to_12_hours_for_at_most_1000_signals() -> None:
    assert nested("OS::Heat::SwiftSignal", "timeout")["constraints"] == [
        {"range": {"min": 1, "max": 43200}}
    ]
    assert nested("OS::Heat::SwiftSignal", "count")["constraints"] == [
        {"range": {"min": 1, "max": 1000}}
    ]


def test_ha_restarter_is_hidden_since_10_and_was_deprecated_in_2015_1() -> None:
    status = schema_of("OS::Heat::HARestarter").support_status
    assert (status.status, status.version) == ("HIDDEN", "10.0.0")
    assert status.previous_status is not None
    assert (status.previous_status.status, status.previous_status.version) == (
        "DEPRECATED",
        "2015.1",
    )


def test_ha_restarter_accepts_and_ignores_any_property_like_none() -> None:
    schema = schema_of("OS::Heat::HARestarter")
    assert schema.accepts_any_property
    assert schema.validate_properties({"InstanceId": "abc"}) == []
    assert schema.resolve_properties({"InstanceId": "abc"}) == {}


@pytest.mark.parametrize(
    ("type_name", "resource_name"),
    [
        ("OS::Heat::AutoScalingGroup", "AutoScalingResourceGroup"),
        ("OS::Heat::ScalingPolicy", "AutoScalingPolicy"),
        ("OS::Heat::SoftwareDeployment", "SoftwareDeployment"),
        ("OS::Heat::SwiftSignalHandle", "SwiftSignalHandle"),
    ],
)
def test_generated_template_names_the_resource_as_heat_does(
    type_name: str, resource_name: str
) -> None:
    generated = schema_of(type_name).generate_template("hot")
    assert list(generated["resources"]) == [resource_name]
