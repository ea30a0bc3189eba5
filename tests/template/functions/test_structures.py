"""map_merge, map_replace, list_concat(_unique), filter, contains and repeat."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template.errors import TemplateError
from calor.template.snippets import DictContext, SnippetScope, evaluate

HOT_DATES = (
    "2013-05-23", "2014-10-16", "2015-04-30", "2015-10-15", "2016-04-08", "2016-10-14",
    "2017-02-24", "2017-09-01", "2018-03-02", "2018-08-31", "2021-04-16",
)


def since(date: str) -> tuple[str, ...]:
    return HOT_DATES[HOT_DATES.index(date):]


def between(first: str, last: str) -> tuple[str, ...]:
    return HOT_DATES[HOT_DATES.index(first): HOT_DATES.index(last) + 1]


def value_of(snippet: Any, date: str = "2021-04-16", **params: Any) -> Any:
    scope = SnippetScope(f"heat_template_version.{date}", params=params)
    return evaluate({"v": snippet}, scope=scope, ctx=DictContext(params))["v"]


def error_of(snippet: Any, date: str = "2021-04-16", **params: Any) -> str:
    scope = SnippetScope(f"heat_template_version.{date}", params=params)
    with pytest.raises(TemplateError) as info:
        evaluate({"v": snippet}, scope=scope, ctx=DictContext(params))
    return str(info.value)


# -- map_merge -------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2016-04-08"))
def test_map_merge_lets_later_maps_win(date: str) -> None:
    snippet = {"map_merge": [{"k1": "v1", "k2": "v2"}, {"k1": "v2"}]}
    assert value_of(snippet, date) == {"k1": "v2", "k2": "v2"}


def test_map_merge_is_shallow() -> None:
    snippet = {"map_merge": [{"a": {"x": 1}}, {"a": {"y": 2}}]}
    assert value_of(snippet) == {"a": {"y": 2}}


def test_map_merge_treats_null_maps_as_empty() -> None:
    snippet = {"map_merge": [{"a": 1}, {"get_param": "extra"}, {}]}
    assert value_of(snippet, extra=None) == {"a": 1}


def test_map_merge_of_a_non_map_item_fails() -> None:
    assert error_of({"map_merge": [{"a": 1}, ["b"]]}) == (
        "v.map_merge: Incorrect arguments: Items to merge must be maps. "
        "['b'] is type <class 'list'> instead of a dict"
    )


def test_map_merge_of_a_non_list_argument_fails() -> None:
    assert error_of({"map_merge": {"get_param": "maps"}}, maps=5) == (
        'v.map_merge: Incorrect arguments to "map_merge" should be: '
        '"map_merge" : [ { "key1": "val1" }, { "key2": "val2" } ]'
    )


@pytest.mark.parametrize("date", ["2015-10-15", "2015-04-30", "2013-05-23"])
def test_map_merge_is_plain_data_before_2016_04_08(date: str) -> None:
    assert value_of({"map_merge": [{"a": 1}]}, date) == {"map_merge": [{"a": 1}]}


# -- map_replace -------------------------------------------------------------------

MAP_REPLACE_USAGE = (
    '"map_replace" : [ { "key1": "val1" }, '
    '{"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]'
)


@pytest.mark.parametrize("date", since("2016-10-14"))
def test_map_replace_renames_keys_and_replaces_values(date: str) -> None:
    snippet = {"map_replace": [{"k1": "v1", "k2": "v2"},
                               {"keys": {"k1": "K1"}, "values": {"v2": "V2"}}]}
    assert value_of(snippet, date) == {"K1": "v1", "k2": "V2"}


def test_map_replace_with_only_keys_leaves_values() -> None:
    snippet = {"map_replace": [{"k1": "v1"}, {"keys": {"k1": "K1"}}]}
    assert value_of(snippet) == {"K1": "v1"}


def test_map_replace_with_only_values_leaves_keys() -> None:
    snippet = {"map_replace": [{"k1": "v1"}, {"values": {"v1": "V1"}}]}
    assert value_of(snippet) == {"k1": "V1"}


def test_map_replace_with_null_replacements_changes_nothing() -> None:
    snippet = {"map_replace": [{"k1": "v1"}, {"keys": None, "values": None}]}
    assert value_of(snippet) == {"k1": "v1"}


def test_map_replace_leaves_unhashable_values_alone() -> None:
    snippet = {"map_replace": [{"k1": ["v1"]}, {"values": {"v1": "V1"}}]}
    assert value_of(snippet) == {"k1": ["v1"]}


def test_map_replace_may_rename_a_key_to_itself() -> None:
    snippet = {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "k1"}}]}
    assert value_of(snippet) == {"k1": "v1", "k2": "v2"}


def test_map_replace_renaming_onto_an_input_key_fails() -> None:
    snippet = {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "k2"}}]}
    assert error_of(snippet) == (
        "v.map_replace: key replacement k2 collides with a key in the input map"
    )


def test_map_replace_renaming_two_keys_alike_fails() -> None:
    snippet = {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "K", "k2": "K"}}]}
    assert error_of(snippet) == (
        "v.map_replace: key replacement K collides with a key in the output map"
    )


def test_map_replace_with_an_unknown_replacement_kind_fails() -> None:
    snippet = {"map_replace": [{"k1": "v1"}, {"kees": {"k1": "K1"}}]}
    assert error_of(snippet) == (
        f'v.map_replace: Incorrect arguments to "map_replace" should be: {MAP_REPLACE_USAGE}'
    )


@pytest.mark.parametrize("args", [[], [{"k1": "v1"}], [{}, {}, {}], "abc"])
def test_map_replace_needs_exactly_two_maps(args: Any) -> None:
    assert error_of({"map_replace": args}) == (
        f'v.map_replace: Incorrect arguments to "map_replace" should be: {MAP_REPLACE_USAGE}'
    )


def test_map_replace_of_a_non_map_argument_fails() -> None:
    assert error_of({"map_replace": ["abc", {}]}) == (
        'v.map_replace: Incorrect arguments: to "map_replace", arguments must be a list of '
        f"maps. Example:  {MAP_REPLACE_USAGE}"
    )


def test_map_replace_is_plain_data_before_2016_10_14() -> None:
    snippet = {"map_replace": [{"a": 1}, {}]}
    assert value_of(snippet, "2016-04-08") == snippet


# -- list_concat ---------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2017-09-01"))
def test_list_concat_concatenates_lists(date: str) -> None:
    assert value_of({"list_concat": [["v1", "v2"], ["v3", "v4"]]}, date) == [
        "v1", "v2", "v3", "v4"
    ]


def test_list_concat_skips_null_lists() -> None:
    assert value_of({"list_concat": [["v1"], None, ["v2"]]}) == ["v1", "v2"]


def test_list_concat_keeps_repeated_items() -> None:
    assert value_of({"list_concat": [[{"v1": "v2"}], [{"v1": "v2"}]]}) == [
        {"v1": "v2"}, {"v1": "v2"}
    ]


def test_list_concat_of_a_string_item_fails() -> None:
    assert error_of({"list_concat": [["v1"], "v2"]}) == (
        "v.list_concat: Incorrect arguments: Items to concat must be lists. "
        '[["v1"], "v2"] contains an item that is not a list: "v2"'
    )


@pytest.mark.parametrize("args", ["abc", {"get_param": "p"}])
def test_list_concat_of_a_non_list_argument_fails(args: Any) -> None:
    assert error_of({"list_concat": args}, p={"a": 1}) == (
        'v.list_concat: Incorrect arguments to "list_concat" should be: '
        '"list_concat" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]'
    )


@pytest.mark.parametrize("date", since("2017-09-01"))
def test_list_concat_unique_keeps_the_first_of_equal_items(date: str) -> None:
    assert value_of({"list_concat_unique": [["v1", "v2"], ["v2", "v3", "v1"]]}, date) == [
        "v1", "v2", "v3"
    ]


def test_list_concat_unique_compares_maps_by_value() -> None:
    snippet = {"list_concat_unique": [[{"a": [1]}], [{"a": [1]}, {"a": [2]}]]}
    assert value_of(snippet) == [{"a": [1]}, {"a": [2]}]


def test_list_concat_is_plain_data_before_2017_09_01() -> None:
    assert value_of({"list_concat": [[1], [2]]}, "2017-02-24") == {"list_concat": [[1], [2]]}


# -- filter ------------------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2017-02-24"))
def test_filter_removes_the_values_from_the_list(date: str) -> None:
    snippet = {"filter": [[3], {"get_param": "list_param"}]}
    assert value_of(snippet, date, list_param=[1, 2, 3]) == [1, 2]


def test_filter_removes_every_occurrence() -> None:
    assert value_of({"filter": [["a", None], ["a", "b", None, "a"]]}) == ["b"]


@pytest.mark.parametrize("empty", [None, [], ""])
def test_filter_returns_an_empty_sequence_as_it_is(empty: Any) -> None:
    assert value_of({"filter": [["a"], empty]}) == empty


@pytest.mark.parametrize("empty", [None, []])
def test_filter_without_values_returns_the_list(empty: Any) -> None:
    assert value_of({"filter": [empty, ["a", "b"]]}) == ["a", "b"]


def test_filter_of_a_map_fails() -> None:
    assert error_of({"filter": [["a"], {"a": 1}]}) == 'v.filter: "filter" only works with lists'


def test_filter_of_a_string_fails() -> None:
    assert error_of({"filter": [["a"], "abc"]}) == 'v.filter: "filter" only works with lists'


def test_filter_with_string_values_fails() -> None:
    assert error_of({"filter": ["a", ["a"]]}) == 'v.filter: "filter" filters a list of values'


def test_filter_with_a_non_list_argument_fails() -> None:
    assert error_of({"filter": "abc"}) == 'v.filter: Argument to "filter" must be a list'


def test_filter_with_three_arguments_fails() -> None:
    assert error_of({"filter": [[1], [1], [1]]}) == (
        'v.filter: "filter" expected 2 arguments of the form [values, sequence] '
        "but got 3 arguments instead"
    )


def test_filter_is_plain_data_before_2017_02_24() -> None:
    assert value_of({"filter": [[1], [1]]}, "2016-10-14") == {"filter": [[1], [1]]}


# -- contains --------------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2017-09-01"))
def test_contains_finds_a_value_in_a_list(date: str) -> None:
    assert value_of({"contains": ["v1", ["v1", "v2", "v3"]]}, date) is True
    assert value_of({"contains": ["v4", ["v1", "v2", "v3"]]}, date) is False


def test_contains_on_a_string_is_a_substring_test() -> None:
    assert value_of({"contains": ["ell", "hello"]}) is True


def test_contains_compares_types_strictly() -> None:
    assert value_of({"contains": ["1", [1, 2]]}) is False


def test_contains_on_a_map_fails() -> None:
    assert error_of({"contains": ["a", {"a": 1}]}) == (
        'v.contains: Second argument to "contains" should be a sequence.'
    )


def test_contains_with_a_non_list_argument_fails() -> None:
    assert error_of({"contains": "v1"}) == (
        'v.contains: Incorrect arguments to "contains" should be: '
        '"contains" : [ "value1", [ "value1", "value2"]]'
    )


def test_contains_with_three_arguments_fails() -> None:
    assert error_of({"contains": ["a", ["a"], ["b"]]}) == (
        'v.contains: Arguments to "contains" must be of the form: [value1, [value1, value2]]'
    )


@pytest.mark.parametrize("date", since("2017-09-01"))
def test_contains_may_define_a_condition(date: str) -> None:
    scope = SnippetScope(
        f"heat_template_version.{date}",
        params={"zones": ["az1", "az2"]},
        conditions={"in_az1": {"contains": ["az1", {"get_param": "zones"}]}},
    )
    assert evaluate({"if": ["in_az1", "yes", "no"]}, scope=scope) == "yes"


def test_contains_is_plain_data_before_2017_09_01() -> None:
    assert value_of({"contains": ["a", ["a"]]}, "2017-02-24") == {"contains": ["a", ["a"]]}


# -- repeat -----------------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2015-04-30"))
def test_repeat_renders_the_template_for_each_item(date: str) -> None:
    snippet = {
        "repeat": {
            "for_each": {"<%port%>": {"get_param": "ports"}},
            "template": {"protocol": "tcp", "port_range_min": "<%port%>",
                         "port_range_max": "<%port%>"},
        }
    }
    assert value_of(snippet, date, ports=["80", "443"]) == [
        {"protocol": "tcp", "port_range_min": "80", "port_range_max": "80"},
        {"protocol": "tcp", "port_range_min": "443", "port_range_max": "443"},
    ]


@pytest.mark.parametrize("date", since("2015-04-30"))
def test_repeat_over_several_lists_takes_every_combination(date: str) -> None:
    snippet = {
        "repeat": {
            "for_each": {"<%port%>": ["80", "443"], "<%protocol%>": ["tcp", "udp"]},
            "template": {"protocol": "<%protocol%>", "port_range_min": "<%port%>"},
        }
    }
    assert value_of(snippet, date) == [
        {"protocol": "tcp", "port_range_min": "80"},
        {"protocol": "udp", "port_range_min": "80"},
        {"protocol": "tcp", "port_range_min": "443"},
        {"protocol": "udp", "port_range_min": "443"},
    ]


def test_repeat_substitutes_in_map_keys_too() -> None:
    snippet = {"repeat": {"for_each": {"%n%": ["a", "b"]}, "template": {"key_%n%": "%n%"}}}
    assert value_of(snippet) == [{"key_a": "a"}, {"key_b": "b"}]


def test_repeat_substitutes_inside_lists() -> None:
    snippet = {"repeat": {"for_each": {"%n%": ["a"]}, "template": ["%n%", ["x%n%"], 3]}}
    assert value_of(snippet) == [["a", ["xa"], 3]]


def test_repeat_substitutes_placeholders_in_for_each_order() -> None:
    snippet = {"repeat": {"for_each": {"%a%": ["%b%"], "%b%": ["B"]}, "template": "%a%"}}
    assert value_of(snippet) == ["B"]


def test_repeat_with_a_template_lacking_placeholders_repeats_it() -> None:
    snippet = {"repeat": {"for_each": {"%n%": ["a", "b"]}, "template": {"fixed": 1}}}
    assert value_of(snippet) == [{"fixed": 1}, {"fixed": 1}]


def test_repeat_over_a_null_list_is_empty() -> None:
    snippet = {"repeat": {"for_each": {"%n%": {"get_param": "names"}, "%m%": ["x"]},
                          "template": "%n%%m%"}}
    assert value_of(snippet, names=None) == []


def test_repeat_with_number_items_fails() -> None:
    snippet = {"repeat": {"for_each": {"%n%": [1]}, "template": "%n%"}}
    assert error_of(snippet) == "v.repeat: replace() argument 2 must be str, not int"


def test_repeat_ignores_unknown_keys() -> None:
    snippet = {"repeat": {"for_each": {"%n%": ["a"]}, "template": "%n%", "extra": 1}}
    assert value_of(snippet) == ["a"]


@pytest.mark.parametrize("date", between("2015-04-30", "2015-10-15"))
def test_repeat_over_a_map_fails_before_2016_10_14(date: str) -> None:
    snippet = {"repeat": {"for_each": {"%n%": {"a": 1}}, "template": "%n%"}}
    assert error_of(snippet, date) == (
        'v.repeat: The values of the "for_each" argument to "repeat" must be lists'
    )


@pytest.mark.parametrize("date", since("2016-10-14"))
def test_repeat_over_a_map_iterates_its_keys(date: str) -> None:
    snippet = {"repeat": {"for_each": {"%n%": {"a": 1, "b": 2}}, "template": "%n%"}}
    assert value_of(snippet, date) == ["a", "b"]


@pytest.mark.parametrize("date", since("2016-10-14"))
def test_repeat_over_a_string_fails(date: str) -> None:
    snippet = {"repeat": {"for_each": {"%n%": "abc"}, "template": "%n%"}}
    assert error_of(snippet, date) == (
        'v.repeat: The values of the "for_each" argument to "repeat" must be lists or maps'
    )


@pytest.mark.parametrize("date", since("2017-09-01"))
def test_repeat_without_permutations_walks_lists_in_step(date: str) -> None:
    snippet = {
        "repeat": {
            "for_each": {"<%sub%>": ["sub1", "sub2"], "<%net%>": ["net1", "net2"]},
            "template": {"subnet": "<%sub%>", "network": "<%net%>"},
            "permutations": False,
        }
    }
    assert value_of(snippet, date) == [
        {"subnet": "sub1", "network": "net1"},
        {"subnet": "sub2", "network": "net2"},
    ]


def test_repeat_with_permutations_true_takes_every_combination() -> None:
    snippet = {"repeat": {"for_each": {"%a%": ["1", "2"], "%b%": ["x", "y"]},
                          "template": "%a%%b%", "permutations": True}}
    assert value_of(snippet) == ["1x", "1y", "2x", "2y"]


def test_repeat_without_permutations_needs_lists_of_equal_length() -> None:
    snippet = {"repeat": {"for_each": {"%a%": ["1", "2"], "%b%": ["x"]},
                          "template": "%a%%b%", "permutations": False}}
    assert error_of(snippet) == (
        "v.repeat: For repeat, the length of for_each values should be equal "
        "if no nested loop."
    )


def test_repeat_without_permutations_rejects_maps() -> None:
    snippet = {"repeat": {"for_each": {"%a%": {"k": "v"}}, "template": "%a%",
                          "permutations": False}}
    assert error_of(snippet) == (
        'v.repeat: The values of the "for_each" argument to "repeat" must be lists'
    )


def test_repeat_with_non_boolean_permutations_fails() -> None:
    snippet = {"repeat": {"for_each": {"%a%": ["1"]}, "template": "%a%",
                          "permutations": "no"}}
    assert error_of(snippet) == (
        'v.repeat: "permutations" should be boolean type for repeat function.'
    )


def test_repeat_permutations_is_an_ignored_key_before_2017_09_01() -> None:
    snippet = {"repeat": {"for_each": {"%a%": ["1", "2"], "%b%": ["x", "y"]},
                          "template": "%a%%b%", "permutations": "no"}}
    assert value_of(snippet, "2017-02-24") == ["1x", "1y", "2x", "2y"]


def test_repeat_without_for_each_shows_the_syntax() -> None:
    assert error_of({"repeat": {"template": "x"}}) == (
        'v.repeat: "repeat" syntax should be repeat:\n'
        "              template: This is %var%\n"
        "              for_each:\n"
        "                %var%: ['a', 'b', 'c']"
    )


def test_repeat_with_a_list_argument_fails() -> None:
    assert error_of({"repeat": ["x"]}) == 'v.repeat: Arguments to "repeat" must be a map'


def test_repeat_with_a_list_for_each_fails() -> None:
    assert error_of({"repeat": {"for_each": ["a"], "template": "x"}}) == (
        'v.repeat: The "for_each" argument to "repeat" must contain a map'
    )


def test_repeat_is_plain_data_before_2015_04_30() -> None:
    snippet = {"repeat": {"for_each": {"%a%": ["1"]}, "template": "%a%"}}
    assert value_of(snippet, "2014-10-16") == snippet


def test_repeat_result_feeds_map_merge() -> None:
    snippet = {"map_merge": {"repeat": {"for_each": {"%k%": ["a", "b"]},
                                        "template": {"%k%": "v_%k%"}}}}
    assert value_of(snippet) == {"a": "v_a", "b": "v_b"}


# -- versions ------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2013-05-23", "2014-10-16", "2015-04-30"])
def test_fn_select_is_a_function_before_2015_10_15(date: str) -> None:
    scope = SnippetScope(f"heat_template_version.{date}")
    assert scope.version.functions["Fn::Select"].__name__ == "Select"


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_fn_select_is_removed_from_2015_10_15(date: str) -> None:
    message = error_of({"Fn::Select": [0, ["a"]]}, date)
    assert message.startswith("v.Fn::Select: ")
    assert "The function Fn::Select is not supported in this version of HOT." in message
