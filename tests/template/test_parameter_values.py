"""Parameter values: conversions, precedence, validation, masking, pseudo parameters."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import versions
from calor.template.errors import (
    InvalidParameterValue,
    UnknownUserParameter,
    UserParameterMissing,
    ValidationErrors,
)
from calor.template.parameters import (
    Parameters,
    ParameterSchema,
    parse_boolean,
    parse_parameters_section,
    pseudo_parameters,
)

QUEENS = versions.HOT_2018_03_02
CFN = versions.AWS_CFN_2010_09_09


def schema(type_: Any, **fields: Any) -> ParameterSchema:
    return ParameterSchema(name="p", type=type_, **fields)


def conversion_error(type_: str, value: Any) -> InvalidParameterValue:
    with pytest.raises(InvalidParameterValue) as caught:
        schema(type_).convert(value)
    return caught.value


def params(section: Any, user: Any = None, **kwargs: Any) -> Parameters:
    return Parameters(parse_parameters_section(section, QUEENS), user, **kwargs)


# -- conversions -------------------------------------------------------------


@pytest.mark.parametrize(("value", "converted"), [("abc", "abc"), (5, "5"), (True, "True")])
def test_string_values_become_strings(value: Any, converted: str) -> None:
    assert schema("string").convert(value) == converted


@pytest.mark.parametrize(
    ("value", "converted"),
    [("5", 5), (" 7 ", 7), ("2.5", 2.5), ("1.0", 1.0), (3, 3), (1.5, 1.5), ("1e3", 1000.0)],
)
def test_number_values_become_int_when_they_read_as_int_else_float(
    value: Any, converted: Any
) -> None:
    result = schema("number").convert(value)
    assert result == converted
    assert type(result) is type(converted)


def test_a_word_is_not_a_number() -> None:
    error = conversion_error("number", "abc")
    assert str(error) == (
        "parameters.p: Parameter 'p' is invalid: could not convert string to float: 'abc'"
    )
    assert error.path == ("parameters", "p")


def test_a_list_is_not_a_number() -> None:
    assert conversion_error("number", ["1"]).reason == (
        "int() argument must be a string, a bytes-like object or a real number, not 'list'"
    )


@pytest.mark.parametrize(
    ("value", "converted"),
    [("a,b", ["a", "b"]), ("a, b", ["a", " b"]), ("", []), ("solo", ["solo"]),
     (["a", 1], ["a", "1"]), ([], [])],
)
def test_comma_delimited_lists_split_without_stripping(value: Any, converted: Any) -> None:
    assert schema("comma_delimited_list").convert(value) == converted


def test_a_map_is_not_a_comma_delimited_list() -> None:
    assert conversion_error("comma_delimited_list", {"a": 1}).reason == (
        "Value must be a comma-delimited list string: 'dict' object has no attribute 'split'"
    )


@pytest.mark.parametrize(
    ("value", "converted"),
    [('{"a": [1, 2]}', {"a": [1, 2]}), ("[1]", [1]), ({"a": 1}, {"a": 1}), (["x"], ["x"]),
     ({1: "one"}, {"1": "one"}), ("", "")],
)
def test_json_values_parse_from_strings_or_pass_through_json(value: Any, converted: Any) -> None:
    assert schema("json").convert(value) == converted


def test_broken_json_is_reported_with_the_parsers_words() -> None:
    assert conversion_error("json", "{nope").reason == (
        "Value must be valid JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)"
    )


def test_json_that_cannot_be_serialised_is_rejected() -> None:
    assert conversion_error("json", {"a": {1, 2}}).reason == (
        "Value must be valid JSON: Object of type set is not JSON serializable"
    )


@pytest.mark.parametrize(
    ("value", "converted"),
    [("true", True), ("Yes", True), ("on", True), ("1", True), ("t", True), ("Y", True),
     ("false", False), ("NO", False), ("off", False), ("0", False), ("f", False),
     ("n", False), (True, True), (False, False), (1, True), (0, False), (" true ", True)],
)
def test_booleans_read_strictly(value: Any, converted: bool) -> None:
    assert schema("boolean").convert(value) is converted


def test_an_unrecognised_boolean_lists_the_accepted_words() -> None:
    assert conversion_error("boolean", "maybe").reason == (
        "Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', "
        "'no', 'off', 'on', 't', 'true', 'y', 'yes'"
    )


def test_parse_boolean_is_usable_alone() -> None:
    assert parse_boolean("On") is True
    with pytest.raises(ValueError, match="Unrecognized value '2'"):
        parse_boolean(2)


# -- values and precedence ---------------------------------------------------


def test_the_user_value_wins_over_every_default() -> None:
    p = params({"a": {"type": "string", "default": "t"}}, {"a": "u"}, defaults={"a": "e"})
    assert p["a"] == "u"


def test_parameter_defaults_win_over_the_template_default() -> None:
    p = params({"a": {"type": "string", "default": "t"}}, defaults={"a": "e"})
    assert p["a"] == "e"


def test_the_template_default_is_used_last() -> None:
    assert params({"a": {"type": "number", "default": "3"}})["a"] == 3


def test_a_none_user_value_counts_as_absent() -> None:
    assert params({"a": {"type": "string", "default": "t"}}, {"a": None})["a"] == "t"


def test_parameter_defaults_for_undeclared_names_are_ignored() -> None:
    p = params({"a": {"type": "string", "default": "t"}}, defaults={"zz": 1})
    assert list(p) == ["a"]


def test_parameter_defaults_satisfy_a_required_parameter() -> None:
    p = params({"a": {"type": "string"}}, defaults={"a": "e"})
    assert p["a"] == "e"
    assert p.validate() == []


def test_values_are_converted_when_read() -> None:
    p = params({"n": {"type": "number"}, "l": {"type": "comma_delimited_list"},
                "j": {"type": "json"}, "b": {"type": "boolean"}},
               {"n": "4", "l": "x,y", "j": '{"k": "v"}', "b": "no"})
    assert dict(p) == {"n": 4, "l": ["x", "y"], "j": {"k": "v"}, "b": False}


def test_a_user_value_for_an_undeclared_parameter_is_rejected() -> None:
    with pytest.raises(UnknownUserParameter) as caught:
        params({"a": {"type": "string"}}, {"b": "x"})
    assert str(caught.value) == "The Parameter (b) was not defined in template."


def test_several_undeclared_user_values_are_reported_together() -> None:
    with pytest.raises(ValidationErrors) as caught:
        params({}, {"b": 1, "c": 2})
    assert [e.message for e in caught.value.errors] == [
        "The Parameter (b) was not defined in template.",
        "The Parameter (c) was not defined in template.",
    ]


def test_reading_a_required_parameter_without_value_fails() -> None:
    p = params({"a": {"type": "string"}})
    with pytest.raises(UserParameterMissing) as caught:
        p["a"]
    assert str(caught.value) == "The Parameter (a) was not provided."
    assert caught.value.path == ("parameters", "a")


def test_reading_an_unconvertible_value_fails() -> None:
    p = params({"a": {"type": "number"}}, {"a": "x"})
    with pytest.raises(InvalidParameterValue):
        p["a"]


def test_immutable_flag_is_kept_on_the_schema() -> None:
    p = params({"a": {"type": "string", "default": "x", "immutable": True}})
    assert p.schemas["a"].immutable


# -- validate ----------------------------------------------------------------


def test_validate_reports_every_problem_with_its_path() -> None:
    p = params(
        {
            "missing": {"type": "string"},
            "bad_number": {"type": "number"},
            "too_long": {"type": "string", "constraints": [{"length": {"max": 2}}]},
            "fine": {"type": "string", "default": "ok"},
        },
        {"bad_number": "ten", "too_long": "abc"},
    )
    assert [(e.path, e.message) for e in p.validate()] == [
        (("parameters", "missing"), "The Parameter (missing) was not provided."),
        (("parameters", "bad_number"),
         "Parameter 'bad_number' is invalid: could not convert string to float: 'ten'"),
        (("parameters", "too_long"),
         "Parameter 'too_long' is invalid: length (3) is out of range (min: None, max: 2)"),
    ]


def test_validate_without_value_checks_reports_nothing() -> None:
    assert params({"missing": {"type": "string"}}).validate(check_values=False) == []


def test_validate_quotes_the_users_number_text() -> None:
    p = params({"n": {"type": "number", "constraints": [{"range": {"min": 1}}]}}, {"n": "0.0"})
    assert p.validate()[0].message == (
        "Parameter 'n' is invalid: 0.0 is out of range (min: 1, max: None)"
    )


def test_validate_checks_a_pattern_against_the_whole_value() -> None:
    p = params({"s": {"type": "string", "constraints": [{"allowed_pattern": "[a-z]*"}]}},
               {"s": "234"})
    assert p.validate()[0].message == (
        "Parameter 's' is invalid: \"234\" does not match pattern \"[a-z]*\""
    )


def test_validate_checks_each_list_item_against_allowed_values() -> None:
    p = params({"l": {"type": "comma_delimited_list",
                      "constraints": [{"allowed_values": ["a", "b"]}]}}, {"l": "a,c"})
    assert p.validate()[0].message == (
        "Parameter 'l' is invalid: [\"a\", \"c\"] is not an allowed value [\"a\", \"b\"]"
    )


def test_validate_compares_numbers_with_allowed_values_as_numbers() -> None:
    p = params({"n": {"type": "number", "constraints": [{"allowed_values": ["1", "3"]}]}},
               {"n": 3})
    assert p.validate() == []


def test_validate_reports_a_boolean_outside_allowed_values() -> None:
    p = params({"b": {"type": "boolean", "constraints": [{"allowed_values": [True]}]}},
               {"b": "off"})
    assert p.validate()[0].message == (
        "Parameter 'b' is invalid: \"off\" is not an allowed value [true]"
    )


def test_validate_checks_the_effective_default_with_custom_constraints() -> None:
    p = params({"ip": {"type": "string", "default": "nope",
                       "constraints": [{"custom_constraint": "ip_addr"}]}})
    assert p.validate()[0].message == (
        "Parameter 'ip' is invalid: Error validating value 'nope': Invalid IP address"
    )


def test_validate_checks_parameter_defaults_too() -> None:
    p = params({"a": {"type": "number", "default": 1, "constraints": [{"range": {"max": 5}}]}},
               defaults={"a": 9})
    assert p.validate()[0].message == (
        "Parameter 'a' is invalid: 9 is out of range (min: None, max: 5)"
    )


def test_validate_uses_the_given_checker() -> None:
    class RejectAll:
        def knows(self, name: str) -> bool:
            return True

        def check(self, name: str, value: Any) -> str | None:
            return f"Error validating value '{value}': The Flavor ({value}) could not be found."

    p = params({"f": {"type": "string", "constraints": [{"custom_constraint": "nova.flavor"}]}},
               {"f": "m1.huge"}, checker=RejectAll())
    assert p.validate()[0].message == (
        "Parameter 'f' is invalid: Error validating value 'm1.huge': "
        "The Flavor (m1.huge) could not be found."
    )


def test_validate_reports_an_unknown_custom_constraint() -> None:
    p = params({"f": {"type": "string", "constraints": [{"custom_constraint": "nova.flavour"}]}},
               {"f": "m1"})
    assert p.validate()[0].message == (
        "Parameter 'f' is invalid: \"m1\" does not validate nova.flavour (constraint not found)"
    )


def test_a_constraint_description_replaces_the_message_in_validate() -> None:
    p = params({"n": {"type": "number", "constraints": [
        {"range": {"min": 1}, "description": "At least one"}]}}, {"n": 0})
    assert p.validate()[0].message == "Parameter 'n' is invalid: At least one"


def test_modulo_is_enforced_on_values() -> None:
    p = Parameters(
        parse_parameters_section({"n": {"type": "number", "constraints": [
            {"modulo": {"step": 2, "offset": 0}}]}}, versions.HOT_2017_02_24),
        {"n": "3"},
    )
    assert p.validate()[0].message == (
        "Parameter 'n' is invalid: 3 is not a multiple of 2 with an offset of 0"
    )


# -- masking -----------------------------------------------------------------


def test_masked_shows_values_as_stack_show_does() -> None:
    p = params(
        {"s": {"type": "string"}, "n": {"type": "number"}, "l": {"type": "comma_delimited_list"},
         "j": {"type": "json"}, "b": {"type": "boolean"},
         "secret": {"type": "string", "hidden": True}},
        {"s": "x", "n": "2", "l": ["a", "b"], "j": {"k": 1}, "b": "yes", "secret": "pw"},
    )
    assert p.masked() == {
        "s": "x", "n": "2", "l": "a,b", "j": '{"k": 1}', "b": "True", "secret": "******",
    }


def test_masked_hides_hidden_defaults_too() -> None:
    p = params({"secret": {"type": "string", "default": "pw", "hidden": True}})
    assert p.masked() == {"secret": "******"}


def test_masked_leaves_out_parameters_without_value() -> None:
    assert params({"a": {"type": "string"}}).masked() == {}


def test_masked_includes_pseudo_parameters() -> None:
    p = params({}, pseudo={"OS::stack_name": "web"})
    assert p.masked() == {"OS::stack_name": "web"}


# -- pseudo parameters -------------------------------------------------------


def test_hot_pseudo_parameters() -> None:
    assert pseudo_parameters(QUEENS, "web", "1234", "proj") == {
        "OS::stack_id": "1234", "OS::project_id": "proj", "OS::stack_name": "web",
    }


def test_hot_pseudo_parameters_before_the_stack_is_stored() -> None:
    assert pseudo_parameters(QUEENS, "dummy", None, None) == {
        "OS::stack_id": "None", "OS::project_id": "", "OS::stack_name": "dummy",
    }


def test_hot_region_is_offered_only_when_known() -> None:
    assert "OS::region" not in pseudo_parameters(QUEENS, "web", None, "p")
    assert pseudo_parameters(QUEENS, "web", None, "p", region="RegionOne")["OS::region"] == (
        "RegionOne"
    )


def test_cfn_pseudo_parameters_default_the_region() -> None:
    assert pseudo_parameters(CFN, "web", "1234", "proj") == {
        "AWS::StackId": "arn:openstack:heat::proj:stacks/web/1234",
        "AWS::StackName": "web",
        "AWS::Region": "ap-southeast-1",
    }


def test_cfn_pseudo_parameters_before_the_stack_is_stored() -> None:
    values = pseudo_parameters(CFN, "dummy", None, "", region="RegionOne")
    assert values["AWS::StackId"] == "arn:openstack:heat:::stacks/dummy/None"
    assert values["AWS::Region"] == "RegionOne"


def test_pseudo_parameters_are_readable_beside_declared_ones() -> None:
    p = params({"a": {"type": "string", "default": "x"}},
               pseudo=pseudo_parameters(QUEENS, "web", "id", "proj"))
    assert p["OS::stack_name"] == "web"
    assert list(p) == ["OS::stack_id", "OS::project_id", "OS::stack_name", "a"]
    assert len(p) == 4


def test_a_user_value_for_a_pseudo_parameter_is_rejected() -> None:
    with pytest.raises(UnknownUserParameter):
        params({}, {"OS::stack_name": "x"}, pseudo={"OS::stack_name": "web"})


def test_pseudo_parameters_are_not_validated_or_listed_for_validate() -> None:
    p = params({}, pseudo={"OS::stack_id": "None"})
    assert p.validate() == []
    assert p.validate_entries() == {}
