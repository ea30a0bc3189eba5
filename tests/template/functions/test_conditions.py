"""The condition functions and the if macro."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template.errors import StackValidationFailed
from calor.template.function import dependencies, parse
from calor.template.snippets import SnippetScope, evaluate

NEWTON = "heat_template_version.2016-10-14"
WALLABY = "heat_template_version.2021-04-16"
AWS = "AWSTemplateFormatVersion.2010-09-09"


def condition(snippet: Any, version: str = NEWTON, **scope: Any) -> bool:
    """Evaluate an inline condition the way ``if`` and ``condition:`` do."""
    result: bool = SnippetScope(version, **scope).condition(snippet, ("c",))
    return result


def failure(snippet: Any, *, scope: SnippetScope | None = None, version: str = NEWTON) -> str:
    with pytest.raises(StackValidationFailed) as info:
        evaluate(snippet, scope=scope or SnippetScope(version))
    return str(info.value)


# -- equals ------------------------------------------------------------------


def test_equals_is_true_for_equal_values() -> None:
    assert condition({"equals": [{"get_param": "env"}, "prod"]}, params={"env": "prod"})


def test_equals_compares_types_strictly() -> None:
    assert condition({"equals": [1, "1"]}) is False


def test_equals_compares_maps_and_lists_by_value() -> None:
    assert condition({"equals": [{"a": [1, 2]}, {"a": [1, 2]}]})


def test_equals_needs_exactly_two_values() -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({"equals": [1, 2, 3]})
    assert str(info.value) == (
        'c.equals: Arguments to "equals" must be of the form: [value_1, value_2]'
    )


def test_equals_outside_conditions_is_plain_data() -> None:
    assert evaluate({"equals": [1, "1"]}, version=NEWTON) == {"equals": [1, "1"]}


def test_cfn_equals_compares_parameter_references() -> None:
    snippet = {"Fn::Equals": [{"Ref": "env"}, "prod"]}
    assert condition(snippet, AWS, params={"env": "prod"})
    assert not condition(snippet, AWS, params={"env": "test"})


# -- not, and, or ------------------------------------------------------------


def test_not_negates_a_boolean() -> None:
    assert condition({"not": False})


def test_not_negates_a_condition_function() -> None:
    assert condition({"not": {"equals": ["a", "b"]}})


def test_not_negates_a_named_condition() -> None:
    assert condition({"not": "off_switch"}, conditions={"off_switch": False})


def test_not_needs_an_argument() -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({"not": None})
    assert str(info.value) == 'c.not: Argument to "not" must be a condition'


def test_cfn_not_takes_a_one_element_list() -> None:
    assert condition({"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}, AWS)


@pytest.mark.parametrize("args", [{"Fn::Equals": ["a", "b"]}, [True, False], [], "name"])
def test_cfn_not_refuses_anything_but_a_one_element_list(args: Any) -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({"Fn::Not": args}, AWS)
    assert str(info.value) == 'c.Fn::Not: Arguments to "Fn::Not" must be of the form: [condition]'


def test_and_is_true_only_when_every_condition_is() -> None:
    assert condition({"and": [True, {"equals": [1, 1]}]})
    assert not condition({"and": [True, {"equals": [1, 2]}, True]})


def test_or_is_true_when_any_condition_is() -> None:
    assert condition({"or": [False, {"equals": [1, 1]}]})
    assert not condition({"or": [False, False]})


@pytest.mark.parametrize("fn", ["and", "or"])
def test_and_or_need_at_least_two_conditions(fn: str) -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({fn: [True]})
    assert str(info.value) == (
        f'c.{fn}: The minimum number of condition arguments to "{fn}" is 2.'
    )


@pytest.mark.parametrize("fn", ["Fn::And", "Fn::Or"])
def test_cfn_and_or_need_a_list(fn: str) -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({fn: "invalid"}, AWS)
    assert str(info.value) == f'c.{fn}: Arguments to "{fn}" must be a list of conditions'


def test_and_follows_condition_names() -> None:
    conditions = {"big": True, "cheap": False}
    assert not condition({"and": ["big", "cheap"]}, conditions=conditions)
    assert condition({"or": ["big", "cheap"]}, conditions=conditions)


def test_and_refuses_an_unknown_condition_name() -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({"and": ["nowhere", True]})
    assert str(info.value) == 'c.and: Invalid condition "nowhere"'


def test_or_refuses_an_argument_that_is_no_condition() -> None:
    with pytest.raises(StackValidationFailed) as info:
        condition({"or": [42, True]})
    assert str(info.value) == 'c.or: Invalid condition "42"'


def test_condition_functions_are_plain_data_before_newton() -> None:
    old = "heat_template_version.2016-04-08"
    assert evaluate({"not": True}, version=old) == {"not": True}


# -- if ----------------------------------------------------------------------


def test_if_picks_the_first_value_when_the_condition_holds() -> None:
    scope = SnippetScope(NEWTON, conditions={"prod": True})
    assert evaluate({"if": ["prod", "large", "small"]}, scope=scope) == "large"


def test_if_picks_the_second_value_when_the_condition_fails() -> None:
    scope = SnippetScope(NEWTON, conditions={"prod": False})
    assert evaluate({"if": ["prod", "large", "small"]}, scope=scope) == "small"


def test_if_takes_a_boolean_condition() -> None:
    assert evaluate({"if": [False, 1, 2]}, version=NEWTON) == 2


def test_if_takes_an_inline_condition_function() -> None:
    scope = SnippetScope(NEWTON, params={"env": "prod"})
    snippet = {"if": [{"equals": [{"get_param": "env"}, "prod"]}, "large", "small"]}
    assert evaluate(snippet, scope=scope) == "large"


def test_if_resolves_functions_in_the_chosen_branch() -> None:
    scope = SnippetScope(NEWTON, params={"size": "m1.large"})
    assert evaluate({"if": [True, {"get_param": "size"}, "none"]}, scope=scope) == "m1.large"


def test_if_never_validates_the_branch_not_taken() -> None:
    snippet = {"if": [True, "kept", {"get_resource": "nowhere"}]}
    assert evaluate(snippet, version=NEWTON) == "kept"


def test_if_ignores_dependencies_in_the_branch_not_taken() -> None:
    scope = SnippetScope(NEWTON, resources={"a": "T", "b": "T"})
    parsed = parse(scope, {"if": [False, {"get_resource": "a"}, {"get_resource": "b"}]})
    assert list(dependencies(parsed)) == ["b"]


def test_if_refuses_an_unknown_condition() -> None:
    assert failure({"if": ["nowhere", 1, 2]}) == 'if: Invalid condition "nowhere"'


def test_if_names_the_place_of_an_unknown_condition() -> None:
    scope = SnippetScope(NEWTON)
    with pytest.raises(StackValidationFailed) as info:
        parse(scope, {"size": {"if": ["nowhere", 1, 2]}}, ("resources", "x", "properties"))
    assert info.value.path == ("resources", "x", "properties", "size", "if")


def test_if_refuses_an_ordinary_function_in_its_condition() -> None:
    snippet = {"if": [{"get_resource": "a"}, 1, 2]}
    assert failure(snippet) == (
        'if.get_resource: The function "get_resource" is invalid in this context'
    )


def test_if_needs_three_arguments_before_wallaby() -> None:
    assert failure({"if": [True, 1]}) == (
        'if: Arguments to "if" must be of the form: '
        "[condition_name, value_if_true, value_if_false]"
    )


def test_if_omitted_value_resolves_to_null_inside_another_if() -> None:
    snippet = {"if": [True, {"if": [False, 1]}, 2]}
    assert evaluate(snippet, version=WALLABY) is None


def test_cfn_if_picks_a_branch_by_named_condition() -> None:
    scope = SnippetScope(AWS, conditions={"prod": {"Fn::Equals": ["a", "a"]}})
    assert evaluate({"Fn::If": ["prod", "yes", "no"]}, scope=scope) == "yes"


# -- two-argument if (2021-04-16) ----------------------------------------------


def test_two_argument_if_keeps_the_value_when_the_condition_holds() -> None:
    assert evaluate({"if": [True, "kept"]}, version=WALLABY) == "kept"


def test_two_argument_if_removes_a_list_item_when_the_condition_fails() -> None:
    assert evaluate([1, {"if": [False, 2]}, 3], version=WALLABY) == [1, 3]


def test_two_argument_if_removes_a_map_key_when_the_condition_fails() -> None:
    snippet = {"name": "web", "flavor": {"if": [False, "m1.large"]}}
    assert evaluate(snippet, version=WALLABY) == {"name": "web"}


def test_two_argument_if_at_the_top_is_null() -> None:
    assert evaluate({"if": [False, "dropped"]}, version=WALLABY) is None


def test_two_argument_if_removes_items_inside_function_arguments() -> None:
    snippet = {"list_join": [",", ["a", {"if": [False, "b"]}, "c"]]}
    assert evaluate(snippet, version=WALLABY) == "a,c"


def test_wallaby_if_still_takes_three_arguments() -> None:
    assert evaluate({"if": [False, 1, 2]}, version=WALLABY) == 2


def test_wallaby_if_refuses_four_arguments() -> None:
    assert failure({"if": [False, 1, 2, 3]}, version=WALLABY) == (
        'if: Arguments to "if" must be of the form: '
        "[condition_name, value_if_true, value_if_false]"
    )
