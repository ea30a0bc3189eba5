"""parameter_groups checks and the parameter part of Heat's validate answer."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import versions
from calor.template.parameter_entries import validate_entry
from calor.template.parameter_groups import ParameterGroupsError, validate_parameter_groups
from calor.template.parameters import (
    Parameters,
    ParameterSchema,
    parse_parameters_section,
)

QUEENS = versions.HOT_2018_03_02
SCHEMAS = parse_parameters_section(
    {"KeyName": {"type": "string"}, "InstanceType": {"type": "string"},
     "DBName": {"type": "string"}},
    QUEENS,
)


def groups_error(groups: Any) -> ParameterGroupsError:
    with pytest.raises(ParameterGroupsError) as caught:
        validate_parameter_groups(groups, SCHEMAS)
    return caught.value


# -- parameter_groups --------------------------------------------------------


def test_well_formed_groups_pass() -> None:
    validate_parameter_groups(
        [{"label": "Server", "parameters": ["KeyName", "InstanceType"]},
         {"label": "Database", "description": "DB", "parameters": ["DBName"]}],
        SCHEMAS,
    )


@pytest.mark.parametrize("groups", [None, []])
def test_absent_groups_pass(groups: Any) -> None:
    validate_parameter_groups(groups, SCHEMAS)


def test_a_parameter_in_two_groups_is_rejected() -> None:
    error = groups_error([
        {"label": "Server Group", "parameters": ["KeyName", "InstanceType"]},
        {"label": "Database Group", "parameters": ["DBName", "InstanceType"]},
    ])
    assert str(error) == (
        "Parameter Groups error: parameter_groups.Database Group: The InstanceType parameter "
        "must be assigned to one parameter group only."
    )
    assert error.path == ("parameter_groups", "Database Group")


def test_a_group_without_parameters_is_rejected() -> None:
    assert str(groups_error([{"label": "Server Group"}])) == (
        "Parameter Groups error: parameter_groups.Server Group: The parameters must be "
        "provided for each parameter group."
    )


def test_a_group_naming_an_undeclared_parameter_is_rejected() -> None:
    assert str(groups_error([{"label": "G", "parameters": ["Nope"]}])) == (
        "Parameter Groups error: parameter_groups.G: The grouped parameter Nope does not "
        "reference a valid parameter."
    )


def test_groups_must_be_a_list() -> None:
    error = groups_error({"label": "G"})
    assert str(error) == (
        "Parameter Groups error: parameter_groups: The parameter_groups should be a list."
    )


def test_a_groups_parameters_must_be_a_list() -> None:
    assert str(groups_error([{"label": "G", "parameters": "KeyName"}])) == (
        "Parameter Groups error: parameter_groups.G: The parameters of parameter group "
        "should be a list."
    )


def test_a_group_without_label_is_named_by_an_empty_label() -> None:
    assert groups_error([{"parameters": ["Nope"]}]).path == ("parameter_groups", "")


def test_a_group_that_is_not_a_mapping_is_rejected() -> None:
    error = groups_error(["KeyName"])
    assert error.message == "The parameter group should be a mapping."
    assert error.path == ("parameter_groups", 0)


def test_pseudo_parameters_may_be_grouped() -> None:
    validate_parameter_groups(
        [{"label": "G", "parameters": ["OS::stack_id"]}], SCHEMAS, pseudo=["OS::stack_id"]
    )


def test_describe_keeps_the_prefix() -> None:
    assert groups_error([{"label": "G"}]).describe().startswith(
        "Parameter Groups error: parameter_groups.G"
    )


# -- validate entries --------------------------------------------------------


def entry(raw: Any, value: Any = None, version: versions.TemplateVersion = QUEENS,
          **kwargs: Any) -> dict[str, Any]:
    if version.format == "hot":
        schema = ParameterSchema.from_hot("p", raw, version, ("parameters", "p"))
    else:
        schema = ParameterSchema.from_cfn("p", raw, ("Parameters", "p"))
    return validate_entry(schema, value, **kwargs)


@pytest.mark.parametrize(
    ("declared", "api_type"),
    [("string", "String"), ("number", "Number"), ("comma_delimited_list", "CommaDelimitedList"),
     ("json", "Json"), ("boolean", "Boolean")],
)
def test_each_type_is_named_as_heats_api_names_it(declared: str, api_type: str) -> None:
    assert entry({"type": declared}) == {
        "Type": api_type, "Description": "", "NoEcho": "false", "Label": "p",
    }


def test_an_entry_shows_description_label_default_and_hidden() -> None:
    assert entry({"type": "string", "description": "Password", "label": "Admin password",
                  "default": "changeme", "hidden": True}) == {
        "Type": "String", "Description": "Password", "NoEcho": "true",
        "Label": "Admin password", "Default": "changeme",
    }


def test_an_entry_shows_the_users_value_as_given() -> None:
    assert entry({"type": "number"}, "42")["Value"] == "42"


@pytest.mark.parametrize("value", [None, "", 0])
def test_an_empty_user_value_is_not_shown(value: Any) -> None:
    assert "Value" not in entry({"type": "number", "default": 1}, value)


def test_an_entry_shows_parameter_defaults_as_the_default() -> None:
    assert entry({"type": "string", "default": "t"}, parameter_default="e")["Default"] == "e"


def test_an_entry_shows_tags() -> None:
    assert entry({"type": "string", "tags": ["a"]})["Tags"] == ["a"]


def test_an_entry_renders_string_constraints() -> None:
    assert entry({"type": "string", "constraints": [
        {"length": {"min": 1, "max": 8}, "description": "Short"},
        {"allowed_pattern": "[a-z]+", "description": "Lower case"},
        {"allowed_values": ["ab", "cd"]},
        {"custom_constraint": "nova.keypair"},
    ]}) == {
        "Type": "String", "Description": "", "NoEcho": "false", "Label": "p",
        "MinLength": 1, "MaxLength": 8, "AllowedPattern": "[a-z]+",
        "AllowedValues": ["ab", "cd"], "CustomConstraint": "nova.keypair",
        "ConstraintDescription": "Short Lower case",
    }


def test_an_entry_renders_number_constraints() -> None:
    rendered = entry({"type": "number", "constraints": [
        {"range": {"min": 1}}, {"modulo": {"step": 2, "offset": 1}},
    ]})
    assert {k: rendered[k] for k in ("MinValue", "Step", "Offset")} == {
        "MinValue": 1, "Step": 2, "Offset": 1,
    }
    assert "MaxValue" not in rendered


def test_a_cfn_entry_repeats_the_constraint_description_per_constraint() -> None:
    rendered = entry({"Type": "String", "MinLength": 1, "AllowedPattern": "[a-z]*",
                      "ConstraintDescription": "lower"}, version=versions.AWS_CFN_2010_09_09)
    assert rendered["ConstraintDescription"] == "lower lower"
    assert rendered["MinLength"] == 1


def test_a_cfn_entry_shows_no_echo() -> None:
    rendered = entry({"Type": "String", "NoEcho": "true"}, version=versions.AWS_CFN_2010_09_09)
    assert rendered["NoEcho"] == "true"


def test_parameters_give_every_entry_with_values_and_defaults() -> None:
    p = Parameters(
        parse_parameters_section(
            {"a": {"type": "string"}, "b": {"type": "number", "default": 1}}, QUEENS
        ),
        {"a": "x"},
        defaults={"b": 2},
        pseudo={"OS::stack_name": "dummy"},
    )
    entries = p.validate_entries()
    assert list(entries) == ["a", "b"]
    assert entries["a"]["Value"] == "x"
    assert entries["b"]["Default"] == 2
