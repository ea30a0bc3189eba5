"""yaql."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import function
from calor.template.errors import TemplateError
from calor.template.snippets import DictContext, SnippetScope, evaluate

YAQL_DATES = (
    "2016-10-14", "2017-02-24", "2017-09-01", "2018-03-02", "2018-08-31", "2021-04-16",
)


def value_of(args: Any, date: str = "2021-04-16", **params: Any) -> Any:
    scope = SnippetScope(f"heat_template_version.{date}", params=params)
    return evaluate({"v": {"yaql": args}}, scope=scope, ctx=DictContext(params))["v"]


def error_of(args: Any, **params: Any) -> str:
    scope = SnippetScope(params=params)
    with pytest.raises(TemplateError) as info:
        evaluate({"v": {"yaql": args}}, scope=scope, ctx=DictContext(params))
    return str(info.value)


@pytest.mark.parametrize("date", YAQL_DATES)
def test_yaql_evaluates_the_expression_over_the_data(date: str) -> None:
    args = {"expression": "$.data.list_param.select(int($)).max()",
            "data": {"list_param": {"get_param": "list_param"}}}
    assert value_of(args, date, list_param=["1", "2", "3"]) == 3


@pytest.mark.parametrize(
    ("data", "expression", "expected"),
    [([1, 2, 3, 4], "$.data.sum()", 10), ("whynotastring", "$.data", "whynotastring"),
     (2, "$.data + 2", 4)],
)
def test_yaql_data_may_be_any_value(data: Any, expression: str, expected: Any) -> None:
    assert value_of({"expression": expression, "data": data}) == expected


def test_yaql_without_data_sees_an_empty_map() -> None:
    assert value_of({"expression": "$.data.len()"}) == 0


def test_yaql_data_may_hold_functions() -> None:
    args = {"expression": "$.data.var1.len()",
            "data": {"var1": {"list_join": ["", ["1", "2"]]}}}
    assert value_of(args) == 2


def test_yaql_merges_maps() -> None:
    args = {"expression": "$.data.d.reduce($1.mergeWith($2))",
            "data": {"d": [{"a": [1]}, {"a": [2]}, {"a": [3]}]}}
    assert value_of(args) == {"a": [1, 2, 3]}


def test_yaql_yields_lists_for_collections() -> None:
    assert value_of({"expression": "$.data.where($ > 1)", "data": [1, 2, 3]}) == [2, 3]


def test_yaql_expression_may_come_from_a_parameter() -> None:
    assert value_of({"expression": {"get_param": "e"}, "data": [1, 2]}, e="$.data.len()") == 2


def test_yaql_with_a_non_map_argument_fails() -> None:
    assert error_of("invalid") == 'v.yaql: Arguments to "yaql" must be a map.'


@pytest.mark.parametrize(
    "args",
    [{"expression": "1 + 3", "data": {}, "bogus": ""}, {"wrong": "x", "data": "y"}],
)
def test_yaql_with_unknown_or_missing_keys_shows_the_syntax(args: Any) -> None:
    assert error_of(args) == (
        'v.yaql: "yaql" syntax should be yaql:\n'
        "              expression: $.data.var1.sum()\n"
        "              data:\n"
        "                var1: [3, 2, 1]"
    )


def test_yaql_expression_is_parsed_when_validated() -> None:
    parsed = function.parse(SnippetScope(), {"v": {"yaql": {"expression": "invalid("}}})
    with pytest.raises(TemplateError) as info:
        function.validate(parsed)
    assert str(info.value) == (
        "v.yaql: Bad expression Parse error: unexpected end of statement."
    )


def test_yaql_with_a_non_string_expression_fails_validation() -> None:
    parsed = function.parse(SnippetScope(), {"v": {"yaql": {"expression": ["$"]}}})
    with pytest.raises(TemplateError) as info:
        function.validate(parsed)
    assert str(info.value) == (
        'v.yaql: The "expression" argument to yaql must contain a string.'
    )


def test_yaql_expression_from_a_function_is_parsed_when_resolved() -> None:
    assert error_of({"expression": {"get_param": "e"}}, e="1 +") == (
        "v.yaql: Bad expression Parse error: unexpected end of statement."
    )


def test_yaql_limits_collections_to_200_items() -> None:
    assert error_of({"expression": "range(300).select($)"}) == (
        "v.yaql: Collection length exceeds 200 elements"
    )


def test_yaql_reports_an_unknown_method() -> None:
    assert error_of({"expression": "$.data.wibble()", "data": [1]}) == (
        'v.yaql: Unknown method "wibble" for receiver (1,)'
    )


@pytest.mark.parametrize("date", YAQL_DATES[YAQL_DATES.index("2017-09-01"):])
@pytest.mark.parametrize(("names", "expected"), [(["neutron", "heat"], "yes"), (["heat"], "no")])
def test_yaql_may_define_a_condition(date: str, names: list[str], expected: str) -> None:
    expression = {"expression": '$.data.names.contains("neutron")',
                  "data": {"names": {"get_param": "names"}}}
    scope = SnippetScope(
        f"heat_template_version.{date}",
        params={"names": names},
        conditions={"has_neutron": {"yaql": expression}},
    )
    assert evaluate({"if": ["has_neutron", "yes", "no"]}, scope=scope) == expected


def test_yaql_is_plain_data_before_2016_10_14() -> None:
    assert value_of({"expression": "1"}, "2016-04-08") == {"yaql": {"expression": "1"}}
