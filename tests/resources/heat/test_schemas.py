"""The built-in OS::Heat::* types declare what Heat 27 declares."""

from __future__ import annotations

from typing import Any

import pytest

from calor.resources import default_registry
from calor.template.resource_types import ResourceTypeSchema

#: Heat 27's properties per type: name -> (type, required, default, update_allowed).
PROPERTIES: dict[str, dict[str, tuple[str, bool, Any, bool]]] = {
    "OS::Heat::None": {},
    "OS::Heat::Value": {
        "value": ("any", True, None, True),
        "type": ("string", False, None, True),
    },
    "OS::Heat::RandomString": {
        "length": ("integer", False, 32, False),
        "character_classes": (
            "list", False, [{"class": "lettersdigits", "min": 1}], False,
        ),
        "character_sequences": ("list", False, None, False),
        "salt": ("string", False, None, False),
    },
    "OS::Heat::TestResource": {
        "constraint_prop_secs": ("number", False, 0, True),
        "attr_wait_secs": ("number", False, 0, True),
        "value": ("string", False, "test_string", True),
        "update_replace_value": ("string", False, None, False),
        "fail": ("boolean", False, False, True),
        "update_replace": ("boolean", False, False, True),
        "wait_secs": ("number", False, 0, True),
        "action_wait_secs": ("map", False, None, True),
        "client_name": ("string", False, "", True),
        "entity_name": ("string", False, "", True),
    },
    "OS::Heat::Delay": {
        "min_wait": ("number", False, 0, True),
        "max_jitter": ("number", False, 0, True),
        "jitter_multiplier": ("number", False, 1.0, True),
        "actions": ("list", False, ["CREATE"], True),
    },
    "OS::Heat::ResourceGroup": {
        "count": ("integer", False, 1, True),
        "index_var": ("string", False, "%index%", False),
        "resource_def": ("map", True, None, True),
        "removal_policies": ("list", False, [], True),
        "removal_policies_mode": ("string", False, "append", True),
    },
    "OS::Heat::ResourceChain": {
        "resources": ("list", True, None, True),
        "concurrent": ("boolean", False, False, False),
        "resource_properties": ("map", False, None, False),
    },
    "OS::Heat::Stack": {
        "context": ("map", False, None, True),
        "template": ("string", True, None, True),
        "timeout": ("integer", False, None, True),
        "parameters": ("map", False, {}, True),
    },
    "OS::Heat::WaitCondition": {
        "handle": ("string", True, None, False),
        "timeout": ("number", True, None, False),
        "count": ("integer", False, 1, True),
    },
    "OS::Heat::WaitConditionHandle": {
        "signal_transport": ("string", False, "TOKEN_SIGNAL", False),
    },
    "OS::Heat::SoftwareConfig": {
        "group": ("string", False, "Heat::Ungrouped", False),
        "config": ("string", False, None, False),
        "options": ("map", False, None, False),
        "inputs": ("list", False, None, False),
        "outputs": ("list", False, None, False),
    },
    "OS::Heat::StructuredConfig": {
        "group": ("string", False, "Heat::Ungrouped", False),
        "options": ("map", False, None, False),
        "inputs": ("list", False, None, False),
        "outputs": ("list", False, None, False),
        "config": ("map", False, None, False),
    },
    "OS::Heat::CloudConfig": {
        "cloud_config": ("map", False, None, False),
    },
    "OS::Heat::MultipartMime": {
        "group": ("string", False, "Heat::Ungrouped", False),
        "parts": ("list", False, [], False),
    },
}

#: Heat 27's attributes per type (each also has "show"), with their types.
ATTRIBUTES: dict[str, dict[str, str | None]] = {
    "OS::Heat::None": {},
    "OS::Heat::Value": {"value": None},
    "OS::Heat::RandomString": {"value": "string"},
    "OS::Heat::TestResource": {"output": None},
    "OS::Heat::Delay": {},
    "OS::Heat::ResourceGroup": {
        "refs": "list", "refs_map": "map", "attributes": "map", "removed_rsrc_list": "list",
    },
    "OS::Heat::ResourceChain": {"refs": "list", "attributes": "map"},
    "OS::Heat::Stack": {"stack_name": "string", "outputs": "map"},
    "OS::Heat::WaitCondition": {"data": "string"},
    "OS::Heat::WaitConditionHandle": {
        "token": "string", "endpoint": "string", "curl_cli": "string", "signal": "string",
    },
    "OS::Heat::SoftwareConfig": {"config": "string"},
    "OS::Heat::StructuredConfig": {"config": "string"},
    "OS::Heat::CloudConfig": {"config": "string"},
    "OS::Heat::MultipartMime": {"config": "string"},
}

#: The version each type has been supported since (None: Heat gives none).
SINCE: dict[str, str | None] = {
    "OS::Heat::None": "5.0.0",
    "OS::Heat::Value": "7.0.0",
    "OS::Heat::RandomString": "2014.1",
    "OS::Heat::TestResource": "5.0.0",
    "OS::Heat::Delay": "11.0.0",
    "OS::Heat::ResourceGroup": "2014.1",
    "OS::Heat::ResourceChain": "6.0.0",
    "OS::Heat::Stack": None,
    "OS::Heat::WaitCondition": "2014.2",
    "OS::Heat::WaitConditionHandle": "2014.2",
    "OS::Heat::SoftwareConfig": "2014.1",
    "OS::Heat::StructuredConfig": "2014.1",
    "OS::Heat::CloudConfig": "2014.1",
    "OS::Heat::MultipartMime": "2014.1",
}


def schema_of(type_name: str) -> ResourceTypeSchema:
    schema = default_registry().get(type_name)
    assert schema is not None
    return schema


def body_of(type_name: str) -> dict[str, Any]:
    return schema_of(type_name).to_dict()


def test_every_type_described_here_is_registered() -> None:
    assert set(PROPERTIES) <= set(default_registry().list_types())


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
def test_no_built_in_property_is_immutable(type_name: str) -> None:
    assert not any(p["immutable"] for p in body_of(type_name)["properties"].values())


@pytest.mark.parametrize("type_name", sorted(PROPERTIES))
def test_every_built_in_type_describes_itself(type_name: str) -> None:
    assert body_of(type_name)["description"] != "No description available"


def constraints(type_name: str, *path: str) -> list[dict[str, Any]]:
    node: dict[str, Any] = body_of(type_name)["properties"]
    for key in path[:-1]:
        node = node[key]["schema"]
    result: list[dict[str, Any]] = node[path[-1]].get("constraints", [])
    return result


def test_random_string_length_is_between_1_and_512() -> None:
    assert constraints("OS::Heat::RandomString", "length") == [{"range": {"min": 1, "max": 512}}]


def test_random_string_character_classes_name_heats_classes() -> None:
    assert constraints("OS::Heat::RandomString", "character_classes", "*", "class") == [
        {
            "allowed_values": [
                "lettersdigits", "letters", "lowercase", "uppercase",
                "digits", "hexdigits", "octdigits",
            ]
        }
    ]


def test_random_string_sequence_is_hidden_but_still_accepted() -> None:
    schema = schema_of("OS::Heat::RandomString")
    assert "sequence" not in schema.to_dict()["properties"]
    assert schema.validate_properties({"sequence": "digits"}) == []
    assert schema.properties["sequence"].support_status.to_dict() == {
        "status": "HIDDEN",
        "message": None,
        "version": "5.0.0",
        "previous_status": {
            "status": "DEPRECATED",
            "message": "Use property character_classes.",
            "version": "2014.2",
            "previous_status": None,
        },
    }


def test_random_string_resolves_heats_defaults() -> None:
    assert schema_of("OS::Heat::RandomString").resolve_properties({}) == {
        "length": 32,
        "sequence": None,
        "character_classes": [{"class": "lettersdigits", "min": 1}],
        "character_sequences": None,
        "salt": None,
    }


def test_random_string_sequence_entries_need_a_sequence() -> None:
    errors = schema_of("OS::Heat::RandomString").validate_properties(
        {"character_sequences": [{"min": 2}]}, path=("resources", "pw", "properties")
    )
    assert [str(e) for e in errors] == [
        "Property error: resources.pw.properties.character_sequences[0]: "
        "Property sequence not assigned"
    ]


def test_value_type_is_one_of_the_hot_parameter_types() -> None:
    assert constraints("OS::Heat::Value", "type") == [
        {"allowed_values": ["string", "number", "comma_delimited_list", "json", "boolean"]}
    ]


def test_test_resource_action_wait_secs_has_one_key_per_action() -> None:
    nested = body_of("OS::Heat::TestResource")["properties"]["action_wait_secs"]["schema"]
    assert {k: (v["type"], v["update_allowed"]) for k, v in nested.items()} == {
        "create": ("number", True),
        "update": ("number", True),
        "delete": ("number", True),
    }


def test_test_resource_constraint_prop_secs_uses_the_test_constraint() -> None:
    assert constraints("OS::Heat::TestResource", "constraint_prop_secs") == [
        {"custom_constraint": "test_constr"}
    ]


def test_delay_actions_are_create_delete_suspend_resume() -> None:
    assert constraints("OS::Heat::Delay", "actions") == [
        {"allowed_values": ["CREATE", "DELETE", "SUSPEND", "RESUME"]}
    ]
    assert constraints("OS::Heat::Delay", "min_wait") == [{"range": {"min": 0}}]


def test_resource_group_count_is_not_negative_and_index_var_has_three_characters() -> None:
    assert constraints("OS::Heat::ResourceGroup", "count") == [{"range": {"min": 0}}]
    assert constraints("OS::Heat::ResourceGroup", "index_var") == [{"length": {"min": 3}}]


def test_resource_group_definition_needs_a_type() -> None:
    nested = body_of("OS::Heat::ResourceGroup")["properties"]["resource_def"]["schema"]
    assert {k: (v["type"], v["required"]) for k, v in nested.items()} == {
        "type": ("string", True),
        "properties": ("map", False),
        "metadata": ("map", False),
    }


def test_resource_group_update_policy_has_rolling_update_and_batch_create() -> None:
    policy = schema_of("OS::Heat::ResourceGroup").update_policy
    rendered = {
        name: {k: (v["type"], v["default"]) for k, v in p.to_dict()["schema"].items()}
        for name, p in policy.items()
    }
    assert rendered == {
        "rolling_update": {
            "min_in_service": ("integer", 0),
            "max_batch_size": ("integer", 1),
            "pause_time": ("number", 0),
        },
        "batch_create": {"max_batch_size": ("integer", 1), "pause_time": ("number", 0)},
    }


def test_resource_group_update_policy_batch_size_is_at_least_one() -> None:
    errors = schema_of("OS::Heat::ResourceGroup").validate_update_policy(
        {"batch_create": {"max_batch_size": 0}}, path=("resources", "g", "update_policy")
    )
    assert [str(e) for e in errors] == [
        "Property error: resources.g.update_policy.batch_create.max_batch_size: "
        "0 is out of range (min: 1, max: None)"
    ]


@pytest.mark.parametrize(
    "type_name", ["OS::Heat::None", "OS::Heat::ResourceGroup", "OS::Heat::ResourceChain"]
)
def test_types_that_compute_attributes_accept_any_attribute_name(type_name: str) -> None:
    assert schema_of(type_name).accepts_any_attribute


def test_none_accepts_and_ignores_any_property() -> None:
    schema = schema_of("OS::Heat::None")
    assert schema.accepts_any_property
    assert schema.validate_properties({"flavor": "m1.small"}) == []
    assert schema.resolve_properties({"flavor": "m1.small"}) == {}


def test_wait_condition_timeout_is_between_1_second_and_12_hours() -> None:
    assert constraints("OS::Heat::WaitCondition", "timeout") == [
        {"range": {"min": 1, "max": 43200}}
    ]


def test_wait_condition_handle_offers_heats_signal_transports() -> None:
    assert constraints("OS::Heat::WaitConditionHandle", "signal_transport") == [
        {
            "allowed_values": [
                "CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL",
                "NO_SIGNAL", "ZAQAR_SIGNAL", "TOKEN_SIGNAL",
            ]
        }
    ]


def test_stack_context_keys() -> None:
    nested = body_of("OS::Heat::Stack")["properties"]["context"]["schema"]
    assert {k: (v["type"], v.get("default"), v["update_allowed"]) for k, v in nested.items()} == {
        "region_name": ("string", None, False),
        "credential_secret_id": ("string", None, True),
        "ca_cert": ("string", None, True),
        "insecure": ("boolean", False, True),
    }


def test_software_config_inputs_declare_name_type_default_and_replace_on_change() -> None:
    item = body_of("OS::Heat::SoftwareConfig")["properties"]["inputs"]["schema"]["*"]
    assert {k: (v["type"], v["required"], v.get("default")) for k, v in item["schema"].items()} == {
        "name": ("string", True, None),
        "description": ("string", False, None),
        "type": ("string", False, "String"),
        "default": ("any", False, None),
        "replace_on_change": ("boolean", False, False),
    }
    assert constraints("OS::Heat::SoftwareConfig", "inputs", "*", "type") == [
        {"allowed_values": ["String", "Number", "CommaDelimitedList", "Json", "Boolean"]}
    ]


def test_software_config_outputs_declare_error_output() -> None:
    item = body_of("OS::Heat::SoftwareConfig")["properties"]["outputs"]["schema"]["*"]
    assert sorted(item["schema"]) == ["description", "error_output", "name", "type"]
    assert item["schema"]["error_output"]["default"] is False


def test_multipart_mime_parts_need_config_and_are_text_or_multipart() -> None:
    item = body_of("OS::Heat::MultipartMime")["properties"]["parts"]["schema"]["*"]
    assert {k: (v["required"], v.get("default")) for k, v in item["schema"].items()} == {
        "config": (True, None),
        "filename": (False, None),
        "type": (False, "text"),
        "subtype": (False, None),
    }
    assert constraints("OS::Heat::MultipartMime", "parts", "*", "type") == [
        {"allowed_values": ["text", "multipart"]}
    ]


@pytest.mark.parametrize(
    ("type_name", "resource_name"),
    [
        ("OS::Heat::None", "NoneResource"),
        ("OS::Heat::RandomString", "RandomString"),
        ("OS::Heat::Stack", "RemoteStack"),
        ("OS::Heat::WaitCondition", "HeatWaitCondition"),
        ("OS::Heat::WaitConditionHandle", "HeatWaitConditionHandle"),
    ],
)
def test_generated_template_names_the_resource_as_heat_does(
    type_name: str, resource_name: str
) -> None:
    generated = schema_of(type_name).generate_template("hot")
    assert list(generated["resources"]) == [resource_name]
    assert generated["description"] == f"Initial template of {resource_name}"


def test_generated_template_of_random_string_leaves_out_the_hidden_sequence() -> None:
    generated = schema_of("OS::Heat::RandomString").generate_template("hot")
    assert list(generated["parameters"]) == [
        "length", "character_classes", "character_sequences", "salt",
    ]
    assert generated["parameters"]["length"] == {
        "type": "number",
        "description": "How many characters to generate.",
        "default": 32,
        "constraints": [{"range": {"min": 1, "max": 512}}],
    }
    assert list(generated["outputs"]) == ["value", "show", "OS::stack_id"]
