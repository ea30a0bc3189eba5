"""Parameter declarations, HOT and CFN, checked as Heat checks them on load."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import versions
from calor.template.constraints import (
    AllowedPattern,
    AllowedValues,
    CustomConstraint,
    Length,
    Modulo,
    Range,
)
from calor.template.errors import InvalidSchemaError
from calor.template.parameters import MISSING, ParameterSchema, parse_parameters_section

NEWTON = versions.HOT_2016_10_14
OCATA = versions.HOT_2017_02_24
PIKE = versions.HOT_2017_09_01
QUEENS = versions.HOT_2018_03_02
CFN = versions.AWS_CFN_2010_09_09
HOT_VERSIONS = [v for v in versions.ALL_VERSIONS if v.format == "hot"]


def hot(raw: Any, version: versions.TemplateVersion = QUEENS) -> ParameterSchema:
    return ParameterSchema.from_hot("p", raw, version, ("parameters", "p"))


def cfn(raw: Any) -> ParameterSchema:
    return ParameterSchema.from_cfn("p", raw, ("Parameters", "p"))


def hot_error(raw: Any, version: versions.TemplateVersion = QUEENS) -> InvalidSchemaError:
    with pytest.raises(InvalidSchemaError) as caught:
        hot(raw, version)
    return caught.value


def cfn_error(raw: Any) -> InvalidSchemaError:
    with pytest.raises(InvalidSchemaError) as caught:
        cfn(raw)
    return caught.value


# -- HOT ---------------------------------------------------------------------


def test_hot_declaration_keeps_every_field() -> None:
    schema = hot({
        "type": "string", "description": "Key", "default": "k", "label": "Key name",
        "hidden": True, "immutable": True, "tags": ["role:key"],
        "constraints": [{"length": {"min": 1}}],
    })
    assert schema == ParameterSchema(
        name="p", type="string", description="Key", default="k", label="Key name",
        hidden=True, immutable=True, tags=("role:key",), constraints=(Length(min=1),),
    )


def test_hot_declaration_without_default_is_required() -> None:
    schema = hot({"type": "number"})
    assert schema.default is MISSING
    assert schema.required
    assert not schema.has_default


def test_a_null_default_means_no_default() -> None:
    assert hot({"type": "string", "default": None}).required


def test_a_falsy_default_is_a_default() -> None:
    assert hot({"type": "number", "default": 0}).has_default


def test_hidden_and_immutable_default_to_false() -> None:
    schema = hot({"type": "string"})
    assert (schema.hidden, schema.immutable, schema.label, schema.tags) == (False, False, None, ())


def test_schema_key_is_accepted_and_ignored() -> None:
    assert hot({"type": "json", "schema": {"a": {"type": "string"}}}).type == "json"


@pytest.mark.parametrize("version", HOT_VERSIONS, ids=lambda v: v.date)
def test_every_hot_version_takes_the_five_types(version: versions.TemplateVersion) -> None:
    for declared in ("string", "number", "comma_delimited_list", "json", "boolean"):
        assert hot({"type": declared}, version).type == declared


def test_hot_rejects_an_unknown_type() -> None:
    error = hot_error({"type": "<the type>"})
    assert error.message == "Invalid type (<the type>)"
    assert error.path == ("parameters", "p", "type")


def test_hot_rejects_cfn_type_names() -> None:
    assert hot_error({"type": "String"}).message == "Invalid type (String)"


def test_hot_declaration_needs_a_type() -> None:
    error = hot_error({"default": 1})
    assert error.message == "Missing parameter type for parameter: p"
    assert error.path == ("parameters", "p")


def test_hot_declaration_must_be_a_mapping() -> None:
    assert hot_error("string").message == "Invalid parameter (p), expected a mapping"


def test_hot_rejects_an_unknown_key() -> None:
    error = hot_error({"type": "string", "foo": 1})
    assert error.message == "Invalid key 'foo' for parameter (p)"
    assert error.path == ("parameters", "p")


@pytest.mark.parametrize("version", [NEWTON, OCATA, PIKE], ids=lambda v: v.date)
def test_tags_are_an_invalid_key_before_2018_03_02(version: versions.TemplateVersion) -> None:
    assert hot_error({"type": "string", "tags": ["a"]}, version).message == (
        "Invalid key 'tags' for parameter (p)"
    )


@pytest.mark.parametrize(
    "version", [versions.HOT_2018_03_02, versions.HOT_2018_08_31, versions.HOT_2021_04_16],
    ids=lambda v: v.date,
)
def test_tags_are_kept_from_2018_03_02(version: versions.TemplateVersion) -> None:
    assert hot({"type": "string", "tags": ["a", "b"]}, version).tags == ("a", "b")


def test_tags_must_be_a_list() -> None:
    error = hot_error({"type": "string", "tags": "a"})
    assert error.message == "Tags property should be a list for parameter: p"
    assert error.path == ("parameters", "p", "tags")


def test_hot_constraints_parse_in_order() -> None:
    schema = hot({"type": "string", "constraints": [
        {"length": {"min": 1, "max": 8}, "description": "1 to 8"},
        {"allowed_values": ["a", "ab"]},
        {"allowed_pattern": "[a-z]+"},
        {"custom_constraint": "nova.keypair"},
    ]})
    assert schema.constraints == (
        Length(min=1, max=8, description="1 to 8"),
        AllowedValues(["a", "ab"]),
        AllowedPattern("[a-z]+"),
        CustomConstraint("nova.keypair"),
    )


def test_number_constraints_parse() -> None:
    schema = hot({"type": "number", "constraints": [
        {"range": {"min": 1, "max": 9}}, {"modulo": {"step": 2, "offset": 1}},
    ]}, OCATA)
    assert schema.constraints == (Range(min=1, max=9), Modulo(step=2, offset=1))


def test_modulo_is_no_constraint_before_2017_02_24() -> None:
    error = hot_error(
        {"type": "number", "constraints": [{"modulo": {"step": 2, "offset": 1}}]}, NEWTON
    )
    assert error.message == "No constraint expressed"
    assert error.path == ("parameters", "p", "constraints", 0)


def test_constraints_must_be_a_list() -> None:
    error = hot_error({"type": "string", "constraints": {"length": {"min": 1}}})
    assert error.message == "Invalid parameter constraints for parameter p, expected a list"
    assert error.path == ("parameters", "p", "constraints")


def test_null_constraints_mean_none() -> None:
    assert hot({"type": "string", "constraints": None}).constraints == ()


def test_a_bad_constraint_entry_names_its_index() -> None:
    error = hot_error({"type": "string", "constraints": [
        {"length": {"min": 1}}, {"allowed_values": "a"},
    ]})
    assert error.message == "AllowedValues must be a list"
    assert error.path == ("parameters", "p", "constraints", 1, "allowed_values")


@pytest.mark.parametrize(
    ("declared", "constraint", "name"),
    [
        ("number", {"length": {"min": 1}}, "Length"),
        ("string", {"range": {"min": 1}}, "Range"),
        ("boolean", {"length": {"min": 1}}, "Length"),
        ("json", {"allowed_values": [1]}, "AllowedValues"),
        ("json", {"custom_constraint": "nova.flavor"}, "CustomConstraint"),
        ("comma_delimited_list", {"allowed_pattern": "a"}, "AllowedPattern"),
    ],
)
def test_a_constraint_must_suit_the_type(declared: str, constraint: Any, name: str) -> None:
    error = hot_error({"type": declared, "constraints": [constraint]})
    assert error.message == f"Parameter 'p' is invalid: {name} constraint invalid for {declared}"
    assert error.path == ("parameters", "p", "constraints", 0)


# -- defaults are checked against constraints --------------------------------


def test_a_default_breaking_a_constraint_is_rejected() -> None:
    error = hot_error(
        {"type": "number", "default": 12, "constraints": [{"range": {"max": 10}}]}
    )
    assert error.message == (
        "Parameter 'p' is invalid: Invalid default 12 (12 is out of range (min: None, max: 10))"
    )
    assert error.path == ("parameters", "p", "default")


def test_a_default_check_reports_the_constraint_description() -> None:
    error = hot_error({"type": "string", "default": "x", "constraints": [
        {"allowed_values": ["a", "b"], "description": "Pick a or b"},
    ]})
    assert error.message == "Parameter 'p' is invalid: Invalid default x (Pick a or b)"


def test_a_default_is_not_checked_against_custom_constraints() -> None:
    schema = hot({"type": "string", "default": "not-an-ip",
                  "constraints": [{"custom_constraint": "ip_addr"}]})
    assert schema.default == "not-an-ip"


def test_a_default_of_the_wrong_type_is_rejected() -> None:
    error = hot_error({"type": "number", "default": "many"})
    assert error.message == (
        "Parameter 'p' is invalid: Invalid default many (could not convert string to float: "
        "'many')"
    )


def test_a_list_default_string_is_split_for_the_check() -> None:
    hot({"type": "comma_delimited_list", "default": "a,b",
         "constraints": [{"length": {"max": 2}}]})
    error = hot_error({"type": "comma_delimited_list", "default": "a,b,c",
                       "constraints": [{"length": {"max": 2}}]})
    assert error.message == (
        "Parameter 'p' is invalid: Invalid default a,b,c (length (3) is out of range "
        "(min: None, max: 2))"
    )


def test_a_list_default_that_is_a_map_is_rejected() -> None:
    error = hot_error({"type": "comma_delimited_list", "default": {"a": 1}})
    assert error.message == (
        "Parameter 'p' is invalid: Default must be a comma-delimited list string: "
        "'dict' object has no attribute 'split'"
    )


def test_a_json_default_is_checked_once_parsed() -> None:
    error = hot_error({"type": "json", "default": '{"a": 1, "b": 2}',
                       "constraints": [{"length": {"max": 1}}]})
    assert "length (2) is out of range (min: None, max: 1)" in error.message


def test_a_boolean_default_is_checked_against_allowed_values_as_a_boolean() -> None:
    hot({"type": "boolean", "default": "yes", "constraints": [{"allowed_values": [True]}]})


def test_a_number_default_matches_allowed_values_as_numbers() -> None:
    hot({"type": "number", "default": "2", "constraints": [{"allowed_values": [1, 2]}]})


def test_an_integer_string_default_meets_a_string_length_constraint() -> None:
    # Heat crashes on len(8080); Calor checks the string it will use.
    hot({"type": "string", "default": 8080, "constraints": [{"length": {"max": 4}}]})


def test_modulo_default_check() -> None:
    error = hot_error({"type": "number", "default": 4,
                       "constraints": [{"modulo": {"step": 2, "offset": 1}}]}, OCATA)
    assert error.message == (
        "Parameter 'p' is invalid: Invalid default 4 (4 is not a multiple of 2 with an offset "
        "of 1)"
    )


# -- CFN ---------------------------------------------------------------------


def test_cfn_declaration_maps_to_the_same_schema() -> None:
    schema = cfn({
        "Type": "String", "Description": "Size", "Default": "m1.small", "Label": "Flavor",
        "AllowedValues": ["m1.small", "m1.large"], "ConstraintDescription": "A flavor",
    })
    assert schema == ParameterSchema(
        name="p", type="string", description="Size", default="m1.small", label="Flavor",
        constraints=(AllowedValues(["m1.small", "m1.large"], description="A flavor"),),
        format="cfn",
    )


@pytest.mark.parametrize(
    ("declared", "type_"),
    [("String", "string"), ("Number", "number"), ("CommaDelimitedList", "comma_delimited_list"),
     ("Json", "json"), ("Boolean", "boolean")],
)
def test_cfn_type_names(declared: str, type_: str) -> None:
    schema = cfn({"Type": declared})
    assert (schema.type, schema.spelled_type) == (type_, declared)


def test_cfn_rejects_hot_type_names() -> None:
    error = cfn_error({"Type": "string"})
    assert error.message == "Invalid type (string)"
    assert error.path == ("Parameters", "p", "Type")


def test_cfn_declaration_needs_a_type() -> None:
    assert cfn_error({"Default": "x"}).message == "Missing parameter type for parameter: p"


def test_cfn_rejects_an_unknown_key() -> None:
    assert cfn_error({"Type": "String", "Hidden": True}).message == (
        "Invalid key 'Hidden' for parameter (p)"
    )


def test_cfn_rejects_hot_keys() -> None:
    assert cfn_error({"Type": "String", "constraints": []}).message == (
        "Invalid key 'constraints' for parameter (p)"
    )


@pytest.mark.parametrize(("no_echo", "hidden"), [("true", True), ("TRUE", True), (True, True),
                                                 ("false", False), ("yes", False)])
def test_cfn_no_echo_hides_only_when_true(no_echo: Any, hidden: bool) -> None:
    assert cfn({"Type": "String", "NoEcho": no_echo}).hidden is hidden


def test_cfn_constraint_keys_become_constraints_sharing_the_description() -> None:
    schema = cfn({
        "Type": "String", "MinLength": "2", "MaxLength": 8, "AllowedPattern": "[a-z]*",
        "ConstraintDescription": "lower case",
    })
    assert schema.constraints == (
        Length(min=2, max=8, description="lower case"),
        AllowedPattern("[a-z]*", description="lower case"),
    )


def test_cfn_value_bounds_become_a_range() -> None:
    assert cfn({"Type": "Number", "MinValue": "1"}).constraints == (Range(min=1),)
    assert cfn({"Type": "Number", "MaxValue": 5.5}).constraints == (Range(max=5.5),)


def test_cfn_constraint_must_suit_the_type() -> None:
    error = cfn_error({"Type": "Number", "MinLength": 1})
    assert error.message == "Parameter 'p' is invalid: Length constraint invalid for Number"


def test_cfn_allowed_values_on_json_are_invalid() -> None:
    error = cfn_error({"Type": "Json", "AllowedValues": ["{}"]})
    assert error.message == "Parameter 'p' is invalid: AllowedValues constraint invalid for Json"


def test_cfn_default_is_checked_with_the_constraint_description() -> None:
    error = cfn_error({"Type": "String", "Default": "X", "AllowedPattern": "[a-z]*",
                       "ConstraintDescription": "lower case only"})
    assert error.message == "Parameter 'p' is invalid: Invalid default X (lower case only)"
    assert error.path == ("Parameters", "p", "Default")


def test_cfn_bound_that_is_not_a_number_is_rejected() -> None:
    error = cfn_error({"Type": "Number", "MinValue": "low"})
    assert error.message == "min/max must be numeric"
    assert error.path == ("Parameters", "p", "MinValue")


def test_cfn_has_no_immutable_or_tags() -> None:
    schema = cfn({"Type": "String"})
    assert (schema.immutable, schema.tags) == (False, ())


# -- sections ----------------------------------------------------------------


def test_a_hot_section_parses_every_parameter() -> None:
    schemas = parse_parameters_section(
        {"a": {"type": "string"}, "b": {"type": "number", "default": 1}}, QUEENS
    )
    assert list(schemas) == ["a", "b"]
    assert schemas["b"].default == 1


def test_a_cfn_section_parses_with_cfn_rules() -> None:
    schemas = parse_parameters_section({"A": {"Type": "String"}}, CFN)
    assert schemas["A"].format == "cfn"


def test_a_null_section_has_no_parameters() -> None:
    assert parse_parameters_section(None, QUEENS) == {}


def test_a_section_that_is_not_a_mapping_is_rejected() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        parse_parameters_section(["a"], QUEENS)
    assert caught.value.message == "Invalid parameters section, expected a mapping"
    assert caught.value.path == ("parameters",)


def test_section_errors_carry_the_format_spelling_of_the_path() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        parse_parameters_section({"A": {"Type": "Str"}}, CFN)
    assert str(caught.value) == "Parameters.A.Type: Invalid type (Str)"
