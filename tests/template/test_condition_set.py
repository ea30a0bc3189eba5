"""The conditions section: definitions, references between them, and errors."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from calor.template.condition_set import Conditions
from calor.template.errors import StackValidationFailed, ValidationErrors
from calor.template.snippets import DictContext, SnippetScope

NEWTON = "heat_template_version.2016-10-14"
PIKE = "heat_template_version.2017-09-01"
AWS = "AWSTemplateFormatVersion.2010-09-09"


def conditions(
    raw: Any, version: str = NEWTON, params: dict[str, Any] | None = None
) -> Conditions:
    scope = SnippetScope(version, params=params, conditions=raw)
    return Conditions(scope, raw, DictContext(params))


def scope_of(
    raw: Any, version: str = NEWTON, params: dict[str, Any] | None = None
) -> SnippetScope:
    """A scope whose ``condition`` answers from the ``raw`` section, as a template's does."""
    return SnippetScope(version, params=params, conditions=raw)


def test_a_boolean_definition_is_its_own_value() -> None:
    section = conditions({"always": True, "never": False})
    assert section.evaluate("always", ()) is True
    assert section.evaluate("never", ()) is False


def test_a_definition_may_read_parameters() -> None:
    section = conditions(
        {"prod": {"equals": [{"get_param": "env"}, "prod"]}}, params={"env": "prod"}
    )
    assert section.evaluate("prod", ()) is True


def test_a_condition_may_refer_to_another_by_name() -> None:
    scope = scope_of(
        {
            "prod": {"equals": [{"get_param": "env"}, "prod"]},
            "test": {"not": "prod"},
            "either": {"or": ["prod", "test"]},
            "both": {"and": ["prod", "test"]},
        },
        params={"env": "test"},
    )
    assert [scope.condition(n, ()) for n in ("prod", "test", "either", "both")] == [
        False, True, True, False,
    ]


def test_a_condition_may_refer_to_one_defined_after_it() -> None:
    scope = scope_of({"first": {"not": "second"}, "second": False})
    assert scope.condition("first", ()) is True


def test_conditions_referring_in_a_circle_are_refused() -> None:
    scope = scope_of(
        {"first": {"not": "second"}, "second": {"not": "third"}, "third": {"not": "first"}}
    )
    with pytest.raises(StackValidationFailed) as info:
        scope.condition("first", ())
    assert str(info.value) == (
        'conditions.first: Circular definition for condition "first"'
    )


def test_a_circle_is_reported_again_when_asked_twice() -> None:
    scope = scope_of({"me": {"not": "me"}})
    for _ in range(2):
        with pytest.raises(StackValidationFailed, match="Circular definition"):
            scope.condition("me", ())


def test_a_failed_evaluation_is_not_mistaken_for_a_circle() -> None:
    section = conditions({"odd": {"equals": [{"get_param": "missing"}, 1]}})
    for _ in range(2):
        with pytest.raises(StackValidationFailed) as info:
            section.evaluate("odd", ())
        assert "Circular" not in str(info.value)


def test_an_unknown_condition_name_is_refused_at_the_reference() -> None:
    section = conditions({"prod": True})
    with pytest.raises(StackValidationFailed) as info:
        section.evaluate("staging", ("resources", "web", "condition"))
    assert str(info.value) == 'resources.web.condition: Invalid condition "staging"'


def test_a_reference_that_is_neither_name_nor_boolean_is_refused() -> None:
    with pytest.raises(StackValidationFailed) as info:
        conditions({}).evaluate(111, ("outputs", "o", "condition"))
    assert str(info.value) == 'outputs.o.condition: Invalid condition "111"'


def test_no_reference_at_all_is_true() -> None:
    assert conditions({}).evaluate(None, ()) is True


def test_an_inline_reference_is_evaluated() -> None:
    scope = scope_of({"prod": True})
    assert scope.condition({"not": "prod"}, ("resources", "x", "condition")) is False


def test_a_bare_name_as_a_definition_is_invalid() -> None:
    section = conditions({"prod": True, "alias": "prod"})
    with pytest.raises(StackValidationFailed) as info:
        section.evaluate("alias", ())
    assert str(info.value) == (
        'conditions.alias: The definition of condition "alias" is invalid: prod'
    )


def test_a_definition_that_resolves_to_no_boolean_is_invalid() -> None:
    section = conditions({"prod": {"get_param": "env"}}, params={"env": "test"})
    with pytest.raises(StackValidationFailed) as info:
        section.evaluate("prod", ())
    assert str(info.value) == (
        'conditions.prod: The definition of condition "prod" is invalid: test'
    )


def test_an_ordinary_function_in_a_definition_is_invalid_in_this_context() -> None:
    with pytest.raises(StackValidationFailed) as info:
        conditions({"prod": {"equals": [{"get_resource": "server"}, "x"]}})
    assert str(info.value) == (
        "conditions.prod.equals[0].get_resource: "
        'The function "get_resource" is invalid in this context'
    )


def test_if_is_invalid_inside_a_definition() -> None:
    with pytest.raises(StackValidationFailed, match='The function "if" is invalid'):
        conditions({"prod": {"if": [True, True, False]}})


def test_a_removed_function_in_a_definition_keeps_its_version_error() -> None:
    section = conditions({"prod": {"equals": [{"Fn::Select": [0, ["a"]]}, "a"]}})
    with pytest.raises(StackValidationFailed) as info:
        section.validate()
    assert str(info.value) == (
        "conditions.prod.equals[0].Fn::Select: The template version is invalid: "
        "The function Fn::Select is not supported in this version of HOT."
    )


def test_contains_joins_the_condition_functions_in_pike() -> None:
    section = conditions({"eu": {"contains": ["eu-west", ["eu-west", "eu-north"]]}}, PIKE)
    assert section.evaluate("eu", ()) is True


def test_contains_is_plain_data_in_conditions_before_pike() -> None:
    section = conditions({"eu": {"contains": ["a", ["a"]]}}, "heat_template_version.2017-02-24")
    with pytest.raises(StackValidationFailed) as info:
        section.evaluate("eu", ())
    assert str(info.value) == (
        "conditions.eu: The definition of condition \"eu\" is invalid: {'contains': ['a', ['a']]}"
    )


def test_the_conditions_section_must_be_a_map() -> None:
    with pytest.raises(StackValidationFailed) as info:
        Conditions(SnippetScope(NEWTON), ["prod"], DictContext())  # type: ignore[arg-type]
    assert str(info.value) == (
        "conditions: Condition definitions must be a map. Found a list instead"
    )


def test_cfn_errors_name_the_cfn_section() -> None:
    section = conditions({"Alias": "Other"}, AWS)
    with pytest.raises(StackValidationFailed) as info:
        section.validate()
    assert info.value.path == ("Conditions", "Alias")


def test_cfn_conditions_take_parameter_references_and_mappings() -> None:
    scope = SnippetScope(
        AWS, params={"Region": "eu"}, mappings={"Sizes": {"eu": {"Big": "yes"}}}
    )
    raw = {
        "Big": {"Fn::Equals": [{"Fn::FindInMap": ["Sizes", {"Ref": "Region"}, "Big"]}, "yes"]}
    }
    section = Conditions(scope, raw, DictContext({"Region": "eu"}))
    assert section.evaluate("Big", ()) is True


def test_cfn_ref_in_a_condition_refers_to_parameters_only() -> None:
    scope = SnippetScope(AWS, resources={"Server": "AWS::EC2::Instance"})
    section = Conditions(scope, {"Up": {"Fn::Equals": [{"Ref": "Server"}, "x"]}}, DictContext())
    with pytest.raises(StackValidationFailed) as info:
        section.evaluate("Up", ())
    assert str(info.value) == 'The specified reference "Server" (in unknown) is incorrect.'


def test_validate_reports_every_invalid_definition() -> None:
    section = conditions({"a": "b", "b": 1, "c": True})
    with pytest.raises(ValidationErrors) as info:
        section.validate()
    assert [e.path for e in info.value.errors] == [("conditions", "a"), ("conditions", "b")]


def test_validate_passes_good_definitions_without_evaluating_them() -> None:
    # The parameter has no value: evaluating would fail, validating does not.
    scope = SnippetScope(NEWTON, params={"env": None})
    section = Conditions(scope, {"prod": {"equals": [{"get_param": "env"}, "p"]}}, DictContext())
    section.validate()


def test_names_lists_the_definitions_in_order() -> None:
    assert conditions({"b": True, "a": False}).names() == ("b", "a")


def test_a_yaml_boolean_key_is_refused_as_a_condition_name() -> None:
    raw = yaml.safe_load("off: true\n")
    with pytest.raises(StackValidationFailed) as info:
        conditions(raw)
    assert info.value.path == ("conditions", False)
    assert "Condition names must be strings" in info.value.message


def test_a_yaml_boolean_reference_is_a_boolean_not_a_name() -> None:
    reference = yaml.safe_load("condition: off\n")["condition"]
    assert conditions({}).evaluate(reference, ()) is False
