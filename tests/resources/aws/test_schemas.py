"""The built-in AWS::* types declare what Heat 27 declares."""

from __future__ import annotations

from typing import Any

import pytest

from calor.resources import default_registry
from calor.resources.aws import RESOURCE_TYPES
from calor.template.resource_types import ResourceTypeSchema

#: Heat 27's (implemented) properties: name -> (type, required, default, update_allowed).
PROPERTIES: dict[str, dict[str, tuple[str, bool, Any, bool]]] = {
    "AWS::AutoScaling::AutoScalingGroup": {
        "AvailabilityZones": ("list", True, None, False),
        "LaunchConfigurationName": ("string", False, None, True),
        "InstanceId": ("string", False, None, False),
        "MaxSize": ("integer", True, None, True),
        "MinSize": ("integer", True, None, True),
        "Cooldown": ("integer", False, None, True),
        "DesiredCapacity": ("integer", False, None, True),
        "LoadBalancerNames": ("list", False, None, False),
        "VPCZoneIdentifier": ("list", False, None, False),
        "Tags": ("list", False, None, False),
    },
    "AWS::AutoScaling::LaunchConfiguration": {
        "ImageId": ("string", False, None, False),
        "InstanceType": ("string", False, None, False),
        "InstanceId": ("string", False, None, False),
        "KeyName": ("string", False, None, False),
        "UserData": ("string", False, None, False),
        "SecurityGroups": ("list", False, None, False),
        "BlockDeviceMappings": ("list", False, None, False),
        "NovaSchedulerHints": ("list", False, None, False),
    },
    "AWS::AutoScaling::ScalingPolicy": {
        "AutoScalingGroupName": ("string", True, None, False),
        "ScalingAdjustment": ("integer", True, None, True),
        "AdjustmentType": ("string", True, None, True),
        "Cooldown": ("integer", False, None, True),
        "MinAdjustmentStep": ("integer", False, None, True),
    },
    "AWS::CloudFormation::Stack": {
        "TemplateURL": ("string", True, None, True),
        "TimeoutInMinutes": ("integer", False, None, True),
        "Parameters": ("map", False, None, True),
    },
    "AWS::CloudFormation::WaitCondition": {
        "Handle": ("string", True, None, False),
        "Timeout": ("integer", True, None, False),
        "Count": ("integer", False, 1, True),
    },
    "AWS::CloudFormation::WaitConditionHandle": {},
    "AWS::IAM::AccessKey": {"UserName": ("string", True, None, False)},
    "AWS::IAM::User": {
        "Path": ("string", False, None, False),
        "Groups": ("list", False, None, False),
        "LoginProfile": ("map", False, None, False),
        "Policies": ("list", False, None, False),
    },
}

#: Heat 27's attributes (each also has "show"), with their types.
ATTRIBUTES: dict[str, dict[str, str | None]] = {
    "AWS::AutoScaling::AutoScalingGroup": {"InstanceList": "string"},
    "AWS::AutoScaling::LaunchConfiguration": {},
    "AWS::AutoScaling::ScalingPolicy": {"AlarmUrl": "string"},
    "AWS::CloudFormation::Stack": {},
    "AWS::CloudFormation::WaitCondition": {"Data": "string"},
    "AWS::CloudFormation::WaitConditionHandle": {},
    "AWS::IAM::AccessKey": {"UserName": "string", "SecretAccessKey": "string"},
    "AWS::IAM::User": {},
}

#: The version each type has been supported since (None: Heat gives none).
SINCE: dict[str, str | None] = {
    "AWS::AutoScaling::AutoScalingGroup": "2014.1",
    "AWS::AutoScaling::LaunchConfiguration": None,
    "AWS::AutoScaling::ScalingPolicy": None,
    "AWS::CloudFormation::Stack": None,
    "AWS::CloudFormation::WaitCondition": "2014.1",
    "AWS::CloudFormation::WaitConditionHandle": "2014.1",
    "AWS::IAM::AccessKey": None,
    "AWS::IAM::User": None,
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


def test_default_registry_lists_every_built_in_aws_type() -> None:
    assert default_registry().list_types(name_filter="AWS::", with_hidden=True) == sorted(
        PROPERTIES
    )


def test_package_tuple_holds_each_aws_type_once() -> None:
    names = [plugin.type_name for plugin in RESOURCE_TYPES]
    assert sorted(names) == sorted(PROPERTIES)


def test_no_type_needing_compute_network_or_volumes_is_built_in() -> None:
    assert default_registry().list_types(name_filter="AWS::EC2::") == []


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
    ("type_name", "unimplemented"),
    [
        ("AWS::AutoScaling::AutoScalingGroup", ["HealthCheckGracePeriod", "HealthCheckType"]),
        ("AWS::AutoScaling::LaunchConfiguration", ["KernelId", "RamDiskId"]),
        ("AWS::IAM::AccessKey", ["Serial", "Status"]),
    ],
)
def test_properties_heat_does_not_implement_are_declared_but_not_shown(
    type_name: str, unimplemented: list[str]
) -> None:
    schema = schema_of(type_name)
    assert set(unimplemented) <= set(schema.properties)
    assert not set(unimplemented) & set(schema.to_dict()["properties"])
    assert not set(unimplemented) & set(schema.generate_template("hot")["parameters"])


# -- autoscaling ----------------------------------------------------------------


def test_autoscaling_group_update_policy_is_autoscaling_rolling_update() -> None:
    policy = schema_of("AWS::AutoScaling::AutoScalingGroup").update_policy
    assert list(policy) == ["AutoScalingRollingUpdate"]
    assert flags(policy["AutoScalingRollingUpdate"].to_dict()["schema"]) == {
        "MinInstancesInService": ("integer", False, 0),
        "MaxBatchSize": ("integer", False, 1),
        "PauseTime": ("string", False, "PT0S"),
    }


def test_autoscaling_group_offers_only_instance_list() -> None:
    assert not schema_of("AWS::AutoScaling::AutoScalingGroup").accepts_any_attribute


def test_autoscaling_group_instance_id_names_a_server_and_tags_need_key_and_value() -> None:
    assert nested("AWS::AutoScaling::AutoScalingGroup", "InstanceId")["constraints"] == [
        {"custom_constraint": "nova.server"}
    ]
    assert flags(nested("AWS::AutoScaling::AutoScalingGroup", "Tags", "*")["schema"]) == {
        "Key": ("string", True, None),
        "Value": ("string", True, None),
    }


def test_autoscaling_group_vpc_zone_identifier_is_a_list_of_strings() -> None:
    item = nested("AWS::AutoScaling::AutoScalingGroup", "VPCZoneIdentifier", "*")
    assert item["type"] == "string"


def test_autoscaling_group_needs_its_sizes() -> None:
    errors = schema_of("AWS::AutoScaling::AutoScalingGroup").validate_properties(
        {"AvailabilityZones": [], "MinSize": 1}, path=("Resources", "g", "Properties")
    )
    assert [str(e) for e in errors] == [
        "Property error: Resources.g.Properties: Property MaxSize not assigned"
    ]


@pytest.mark.parametrize(
    ("name", "constraint"),
    [
        ("ImageId", "glance.image"),
        ("InstanceType", "nova.flavor"),
        ("InstanceId", "nova.server"),
        ("KeyName", "nova.keypair"),
    ],
)
def test_launch_configuration_checks_cloud_names(name: str, constraint: str) -> None:
    assert nested("AWS::AutoScaling::LaunchConfiguration", name)["constraints"] == [
        {"custom_constraint": constraint}
    ]


def test_launch_configuration_block_device_mappings_need_a_device_name() -> None:
    mapping = nested("AWS::AutoScaling::LaunchConfiguration", "BlockDeviceMappings", "*")
    assert flags(mapping["schema"]) == {
        "DeviceName": ("string", True, None),
        "Ebs": ("map", False, None),
        "NoDevice": ("map", False, None),
        "VirtualName": ("string", False, None),
    }


def test_launch_configuration_ebs_volumes_are_deleted_with_the_instance_by_default() -> None:
    ebs = nested("AWS::AutoScaling::LaunchConfiguration", "BlockDeviceMappings", "*", "Ebs")
    assert flags(ebs["schema"]) == {
        "DeleteOnTermination": ("boolean", False, True),
        "Iops": ("number", False, None),
        "SnapshotId": ("string", False, None),
        "VolumeSize": ("string", False, None),
        "VolumeType": ("string", False, None),
    }


def test_launch_configuration_scheduler_hints_need_key_and_value() -> None:
    hint = nested("AWS::AutoScaling::LaunchConfiguration", "NovaSchedulerHints", "*")
    assert flags(hint["schema"]) == {
        "Key": ("string", True, None),
        "Value": ("string", True, None),
    }


def test_scaling_policy_adjustment_types_are_cloudformations() -> None:
    assert nested("AWS::AutoScaling::ScalingPolicy", "AdjustmentType")["constraints"] == [
        {"allowed_values": ["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"]}
    ]
    assert nested("AWS::AutoScaling::ScalingPolicy", "MinAdjustmentStep")["constraints"] == [
        {"range": {"min": 0}}
    ]


def test_scaling_policy_refuses_the_native_adjustment_spelling() -> None:
    errors = schema_of("AWS::AutoScaling::ScalingPolicy").validate_properties(
        {
            "AutoScalingGroupName": "g",
            "ScalingAdjustment": 1,
            "AdjustmentType": "change_in_capacity",
        },
        path=("Resources", "up", "Properties"),
    )
    assert [str(e) for e in errors] == [
        'Property error: Resources.up.Properties.AdjustmentType: "change_in_capacity" is '
        'not an allowed value ["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"]'
    ]


# -- CloudFormation and IAM -------------------------------------------------------


def test_nested_stack_accepts_any_outputs_attribute() -> None:
    assert schema_of("AWS::CloudFormation::Stack").accepts_any_attribute


def test_wait_condition_timeout_is_between_1_second_and_12_hours() -> None:
    assert nested("AWS::CloudFormation::WaitCondition", "Timeout")["constraints"] == [
        {"range": {"min": 1, "max": 43200}}
    ]
    assert nested("AWS::CloudFormation::WaitCondition", "Count")["constraints"] == [
        {"range": {"min": 1}}
    ]


def test_wait_condition_timeout_must_be_an_integer() -> None:
    errors = schema_of("AWS::CloudFormation::WaitCondition").validate_properties(
        {"Handle": "h", "Timeout": "soon"}, path=("Resources", "w", "Properties")
    )
    assert [str(e) for e in errors] == [
        "Property error: Resources.w.Properties.Timeout: Value 'soon' is not an integer"
    ]


def test_user_login_profile_holds_a_password() -> None:
    assert flags(nested("AWS::IAM::User", "LoginProfile")["schema"]) == {
        "Password": ("string", False, None),
    }


@pytest.mark.parametrize(
    ("type_name", "resource_name"),
    [
        ("AWS::AutoScaling::AutoScalingGroup", "AutoScalingGroup"),
        ("AWS::AutoScaling::ScalingPolicy", "AWSScalingPolicy"),
        ("AWS::CloudFormation::Stack", "NestedStack"),
        ("AWS::IAM::User", "User"),
    ],
)
def test_generated_template_names_the_resource_as_heat_does(
    type_name: str, resource_name: str
) -> None:
    generated = schema_of(type_name).generate_template("cfn")
    assert list(generated["Resources"]) == [resource_name]
