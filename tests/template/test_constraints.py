"""Constraints shared by parameters and properties: messages, API forms, HOT parsing."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import versions
from calor.template.constraints import (
    AllowedPattern,
    AllowedValues,
    ConstraintError,
    CustomConstraint,
    Length,
    Modulo,
    Range,
    constraint_from_hot,
    to_number,
)
from calor.template.errors import InvalidSchemaError

MODERN = versions.HOT_2017_02_24.constraint_keys
BEFORE_MODULO = versions.HOT_2016_10_14.constraint_keys


def message_of(constraint: Any, value: Any, **kwargs: Any) -> str:
    with pytest.raises(ConstraintError) as caught:
        constraint.validate(value, **kwargs)
    return caught.value.message


# -- Length ------------------------------------------------------------------


def test_length_accepts_a_value_within_bounds() -> None:
    Length(min=1, max=3).validate("abc")


def test_length_reports_the_length_and_both_bounds() -> None:
    assert message_of(Length(min=4), "abc") == "length (3) is out of range (min: 4, max: None)"


def test_length_applies_to_lists_and_maps() -> None:
    assert message_of(Length(max=1), ["a", "b"]) == "length (2) is out of range (min: None, max: 1)"
    Length(max=1).validate({"a": 1})


def test_length_of_a_number_is_an_error_not_a_crash() -> None:
    assert message_of(Length(min=1), 5) == "object of type 'int' has no len()"


def test_length_needs_a_bound() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        Length()
    assert caught.value.message == (
        "A length constraint must have a min value and/or a max value specified."
    )


def test_length_bounds_must_be_integral() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        Length(min=1.5)  # type: ignore[arg-type]
    assert caught.value.message == "min/max length must be integral"


# -- Range -------------------------------------------------------------------


def test_range_reports_the_value_and_both_bounds() -> None:
    assert message_of(Range(min=1, max=2), 3) == "3 is out of range (min: 1, max: 2)"


def test_range_reads_numeric_strings() -> None:
    Range(min=1, max=2).validate("2")
    assert message_of(Range(max=2), "2.5") == "2.5 is out of range (min: None, max: 2)"


def test_range_reports_a_word_with_pythons_conversion_message() -> None:
    assert message_of(Range(min=1), "abc") == "could not convert string to float: 'abc'"


def test_range_needs_a_bound() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        Range()
    assert caught.value.message == (
        "A range constraint must have a min value and/or a max value specified."
    )


def test_range_bounds_must_be_numbers() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        Range(min="one")  # type: ignore[arg-type]
    assert caught.value.message == "min/max must be numeric"


# -- Modulo ------------------------------------------------------------------


def test_modulo_accepts_a_value_with_the_offset() -> None:
    Modulo(step=2, offset=1).validate(7)


def test_modulo_reports_the_step_and_offset() -> None:
    assert message_of(Modulo(step=2, offset=1), 4) == (
        "4 is not a multiple of 2 with an offset of 1"
    )


def test_modulo_with_negative_step_and_offset() -> None:
    Modulo(step=-2, offset=-1).validate(3)


@pytest.mark.parametrize(
    ("step", "offset", "message"),
    [
        (None, 1, "A modulo constraint must have a step value and an offset value specified."),
        (2, None, "A modulo constraint must have a step value and an offset value specified."),
        ("two", 1, "step/offset must be numeric"),
        (2.5, 1, "step/offset must be integer"),
        (0, 0, "step cannot be 0."),
        (2, 2, "offset must be smaller (by absolute value) than step."),
        (2, -3, "offset must be smaller (by absolute value) than step."),
        (3, -1, "step and offset must be both positive or both negative."),
    ],
)
def test_modulo_rules_for_step_and_offset(step: Any, offset: Any, message: str) -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        Modulo(step=step, offset=offset)
    assert caught.value.message == message


# -- AllowedValues -----------------------------------------------------------


def test_allowed_values_lists_the_choices_as_json() -> None:
    assert message_of(AllowedValues(["a", 1]), "b") == '"b" is not an allowed value ["a", 1]'


def test_allowed_values_need_every_list_item_allowed() -> None:
    AllowedValues(["a", "b"]).validate(["b", "a"])
    assert message_of(AllowedValues(["a"]), ["a", "c"]) == (
        '["a", "c"] is not an allowed value ["a"]'
    )


def test_allowed_values_compare_after_the_schemas_conversion() -> None:
    AllowedValues([1, 2]).validate("2", coerce=to_number)


def test_allowed_values_report_an_allowed_value_the_conversion_rejects() -> None:
    def strict_int(value: Any) -> int:
        if isinstance(value, str) and not value.isdigit():
            raise ValueError(f'Value "{value}" is invalid for data type "number".')
        return int(value)

    assert message_of(AllowedValues(["x"]), "1", coerce=strict_int) == (
        'Value "x" is invalid for data type "number".'
    )


def test_allowed_values_must_be_a_list() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        AllowedValues("abc")
    assert caught.value.message == "AllowedValues must be a list"


# -- AllowedPattern ----------------------------------------------------------


def test_allowed_pattern_must_match_the_whole_value() -> None:
    AllowedPattern("[a-z]+").validate("abc")
    assert message_of(AllowedPattern("[a-z]+"), "abc1") == (
        '"abc1" does not match pattern "[a-z]+"'
    )


def test_allowed_pattern_must_be_a_string() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        AllowedPattern(5)  # type: ignore[arg-type]
    assert caught.value.message == "AllowedPattern must be a string"


def test_allowed_pattern_rejects_a_broken_regular_expression() -> None:
    with pytest.raises(InvalidSchemaError) as caught:
        AllowedPattern("[a-")
    assert caught.value.message.startswith("Invalid allowed_pattern '[a-': ")


# -- CustomConstraint --------------------------------------------------------


class OnlyEvenChecker:
    """A checker that knows one check, ``even``."""

    def knows(self, name: str) -> bool:
        return name == "even"

    def check(self, name: str, value: Any) -> str | None:
        return None if value % 2 == 0 else f"Error validating value '{value}': odd"


def test_custom_constraint_asks_the_checker() -> None:
    CustomConstraint("even").validate(4, OnlyEvenChecker())
    assert message_of(CustomConstraint("even"), 3, checker=OnlyEvenChecker()) == (
        "Error validating value '3': odd"
    )


def test_custom_constraint_the_checker_does_not_know_is_not_found() -> None:
    assert message_of(CustomConstraint("nova.flavor"), "m1", checker=OnlyEvenChecker()) == (
        '"m1" does not validate nova.flavor (constraint not found)'
    )


def test_custom_constraint_without_a_checker_uses_the_local_checks() -> None:
    assert message_of(CustomConstraint("ip_addr"), "nope") == (
        "Error validating value 'nope': Invalid IP address"
    )
    CustomConstraint("nova.flavor").validate("m1.small")


# -- descriptions, API forms and summaries -----------------------------------


def test_a_description_replaces_the_message() -> None:
    assert message_of(Length(min=4, description="Too short"), "abc") == "Too short"
    assert message_of(CustomConstraint("zzz", description="Bad"), "v") == "Bad"


@pytest.mark.parametrize(
    ("constraint", "rendered"),
    [
        (Length(min=1, max=5), {"length": {"min": 1, "max": 5}}),
        (Length(max=5), {"length": {"max": 5}}),
        (Range(min=0), {"range": {"min": 0}}),
        (Modulo(step=2, offset=1), {"modulo": {"step": 2, "offset": 1}}),
        (AllowedValues(["a", "b"]), {"allowed_values": ["a", "b"]}),
        (AllowedPattern("[a-z]+"), {"allowed_pattern": "[a-z]+"}),
        (CustomConstraint("nova.flavor"), {"custom_constraint": "nova.flavor"}),
        (Range(max=9, description="Small"), {"description": "Small", "range": {"max": 9}}),
    ],
)
def test_to_dict_gives_heats_api_form(constraint: Any, rendered: dict[str, Any]) -> None:
    assert constraint.to_dict() == rendered


@pytest.mark.parametrize(
    ("constraint", "summary"),
    [
        (Length(min=4), "The length must be at least 4."),
        (Length(max=4), "The length must be no greater than 4."),
        (Range(min=1, max=2), "The value must be in the range 1 to 2."),
        (Modulo(step=2, offset=0), "The value must be a multiple of 2 with an offset of 0."),
        (AllowedValues(["a", 1]), 'Allowed values: "a", 1'),
        (AllowedPattern("x+"), "Value must match pattern: x+"),
        (CustomConstraint("nova.flavor"), "Value must be of type nova.flavor"),
        (Range(min=1, description="Positive"), "Positive\nThe value must be at least 1."),
    ],
)
def test_describe_says_what_the_constraint_allows(constraint: Any, summary: str) -> None:
    assert constraint.describe() == summary


def test_constraints_are_equal_values() -> None:
    assert AllowedValues(["a"]) == AllowedValues(("a",))
    assert Range(min=1) != Range(min=1, description="x")


# -- HOT constraint entries --------------------------------------------------

PATH = ("parameters", "p", "constraints", 0)


def parse(raw: Any, allowed: frozenset[str] = MODERN) -> Any:
    return constraint_from_hot(raw, allowed=allowed, path=PATH)


def schema_error(raw: Any, allowed: frozenset[str] = MODERN) -> InvalidSchemaError:
    with pytest.raises(InvalidSchemaError) as caught:
        parse(raw, allowed)
    return caught.value


@pytest.mark.parametrize(
    ("raw", "constraint"),
    [
        ({"length": {"min": 1}}, Length(min=1)),
        ({"range": {"min": "1", "max": 5}}, Range(min=1, max=5)),
        ({"modulo": {"step": 2, "offset": 0}}, Modulo(step=2, offset=0)),
        ({"allowed_values": ["a"]}, AllowedValues(["a"])),
        ({"allowed_pattern": "a+"}, AllowedPattern("a+")),
        ({"custom_constraint": "nova.flavor"}, CustomConstraint("nova.flavor")),
        ({"length": {"max": 3}, "description": "d"}, Length(max=3, description="d")),
    ],
)
def test_each_hot_constraint_kind_parses(raw: Any, constraint: Any) -> None:
    assert parse(raw) == constraint


def test_modulo_is_not_a_constraint_before_2017_02_24() -> None:
    error = schema_error({"modulo": {"step": 2, "offset": 0}}, BEFORE_MODULO)
    assert error.message == "No constraint expressed"
    assert error.path == PATH


def test_an_entry_naming_no_kind_expresses_no_constraint() -> None:
    assert schema_error({"description": "only words"}).message == "No constraint expressed"


def test_an_unknown_key_in_an_entry_is_rejected() -> None:
    assert schema_error({"size": 3}).message == "Invalid key 'size' for parameter constraints"


def test_an_entry_must_be_a_mapping() -> None:
    error = schema_error(["length"])
    assert error.message == "Invalid parameter constraints, expected a mapping"
    assert error.path == PATH


def test_an_entry_with_two_kinds_keeps_the_first_in_heats_order() -> None:
    assert parse({"length": {"min": 1}, "range": {"min": 1}}) == Range(min=1)


def test_range_entry_must_be_a_mapping_of_min_and_max() -> None:
    assert schema_error({"range": 5}).message == "Invalid range constraint, expected a mapping"
    error = schema_error({"length": {"least": 1}})
    assert error.message == "Invalid key 'least' for length constraint"
    assert error.path == (*PATH, "length")


def test_modulo_entry_takes_only_step_and_offset() -> None:
    error = schema_error({"modulo": {"step": 2, "base": 0}})
    assert error.message == "Invalid key 'base' for modulo constraint"


def test_modulo_entry_needs_both_step_and_offset() -> None:
    error = schema_error({"modulo": {"step": 2}})
    assert error.message == (
        "A modulo constraint must have a step value and an offset value specified."
    )
    assert error.path == (*PATH, "modulo")


def test_a_bound_that_is_not_a_number_is_rejected() -> None:
    error = schema_error({"range": {"min": "low"}})
    assert error.message == "min/max must be numeric"
    assert error.path == (*PATH, "range", "min")


def test_a_constraint_error_from_a_kind_carries_its_path() -> None:
    error = schema_error({"allowed_values": "a,b"})
    assert error.message == "AllowedValues must be a list"
    assert error.path == (*PATH, "allowed_values")
