"""list_join, str_replace (plain, strict, very strict), str_split and digest."""

from __future__ import annotations

import hashlib
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


def before(date: str) -> tuple[str, ...]:
    return HOT_DATES[: HOT_DATES.index(date)]


def value_of(snippet: Any, date: str = "2021-04-16", **params: Any) -> Any:
    scope = SnippetScope(f"heat_template_version.{date}", params=params)
    return evaluate({"v": snippet}, scope=scope, ctx=DictContext(params))["v"]


def error_of(snippet: Any, date: str = "2021-04-16", **params: Any) -> str:
    scope = SnippetScope(f"heat_template_version.{date}", params=params)
    with pytest.raises(TemplateError) as info:
        evaluate({"v": snippet}, scope=scope, ctx=DictContext(params))
    return str(info.value)


# -- list_join -----------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
def test_list_join_joins_a_list_with_the_delimiter(date: str) -> None:
    snippet = {"list_join": [", ", ["one", "two", "and three"]]}
    assert value_of(snippet, date) == "one, two, and three"


@pytest.mark.parametrize("date", HOT_DATES)
def test_list_join_joins_null_items_as_empty_strings(date: str) -> None:
    assert value_of({"list_join": ["-", ["a", None, "b"]]}, date) == "a--b"


@pytest.mark.parametrize("date", HOT_DATES)
def test_list_join_of_a_null_list_is_empty(date: str) -> None:
    assert value_of({"list_join": [",", {"get_param": "names"}]}, date, names=None) == ""


@pytest.mark.parametrize("date", HOT_DATES)
def test_list_join_of_a_string_fails(date: str) -> None:
    assert error_of({"list_join": [",", "abc"]}, date) == (
        'v.list_join: "list_join" must operate on a list'
    )


@pytest.mark.parametrize("date", HOT_DATES)
def test_list_join_with_a_non_string_delimiter_fails(date: str) -> None:
    assert error_of({"list_join": [1, ["a"]]}, date) == (
        'v.list_join: "list_join" delimiter must be a string'
    )


@pytest.mark.parametrize("date", before("2015-10-15"))
def test_list_join_before_2015_10_15_takes_exactly_one_list(date: str) -> None:
    assert error_of({"list_join": [",", ["a"], ["b"]]}, date) == (
        'v.list_join: Incorrect arguments to "list_join" should be: '
        '"list_join" : [ " ", [ "str1", "str2"]]'
    )


@pytest.mark.parametrize("date", before("2015-10-15"))
def test_list_join_before_2015_10_15_rejects_non_string_items(date: str) -> None:
    assert error_of({"list_join": [",", ["a", {"b": 1}]]}, date) == (
        "v.list_join: Items to join must be strings not {'b': 1}"
    )


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_list_join_joins_several_lists(date: str) -> None:
    snippet = {"list_join": [", ", ["one", "two"], ["three", "four"]]}
    assert value_of(snippet, date) == "one, two, three, four"


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_list_join_joins_maps_and_lists_as_sorted_json(date: str) -> None:
    snippet = {"list_join": [" ", [{"b": 2, "a": [1, True, None]}, ["x"]]]}
    assert value_of(snippet, date) == '{"a": [1, true, null], "b": 2} ["x"]'


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_list_join_skips_empty_and_null_lists(date: str) -> None:
    snippet = {"list_join": [",", ["a"], [], None, "", ["b"]]}
    assert value_of(snippet, date) == "a,b"


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_list_join_rejects_number_items(date: str) -> None:
    assert error_of({"list_join": [",", ["a", 1]]}, date) == (
        "v.list_join: Items to join must be string, map or list not 1"
    )


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_list_join_needs_at_least_one_list(date: str) -> None:
    assert error_of({"list_join": [","]}, date) == (
        'v.list_join: Incorrect arguments to "list_join" should be: '
        '"list_join" : [ " ", [ "str1", "str2"] ...]'
    )


def test_list_join_with_a_non_list_argument_fails() -> None:
    assert error_of({"list_join": "a,b"}) == (
        'v.list_join: Incorrect arguments to "list_join" should be: '
        '"list_join" : [ " ", [ "str1", "str2"] ...]'
    )


def test_list_join_resolves_its_lists() -> None:
    snippet = {"list_join": ["-", {"get_param": "names"}, [{"get_param": "last"}]]}
    assert value_of(snippet, names=["a", "b"], last="c") == "a-b-c"


# -- str_replace -----------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_substitutes_params(date: str) -> None:
    snippet = {
        "str_replace": {
            "template": "http://host/MyApplication",
            "params": {"host": {"get_param": "address"}},
        }
    }
    assert value_of(snippet, date, address="10.0.0.1") == "http://10.0.0.1/MyApplication"


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_prefers_the_longest_placeholder(date: str) -> None:
    snippet = {"str_replace": {"template": "$var $var1 $var12",
                               "params": {"$var": "a", "$var1": "b", "$var12": "c"}}}
    assert value_of(snippet, date) == "a b c"


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_breaks_length_ties_in_sorted_order(date: str) -> None:
    snippet = {"str_replace": {"template": "abc", "params": {"bc": "2", "ab": "1"}}}
    assert value_of(snippet, date) == "1c"


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_never_rescans_substituted_text(date: str) -> None:
    snippet = {"str_replace": {"template": "foo bar",
                               "params": {"foo": "bar", "bar": "baz"}}}
    assert value_of(snippet, date) == "bar baz"


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_writes_numbers_and_booleans_as_python_does(date: str) -> None:
    snippet = {"str_replace": {"template": "a b c d",
                               "params": {"a": 1, "b": 2.5, "c": True, "d": False}}}
    assert value_of(snippet, date) == "1 2.5 True False"


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_substitutes_null_as_empty_string(date: str) -> None:
    snippet = {"str_replace": {"template": "[x]", "params": {"x": None}}}
    assert value_of(snippet, date) == "[]"


@pytest.mark.parametrize("date", HOT_DATES)
def test_str_replace_ignores_params_missing_from_the_template(date: str) -> None:
    snippet = {"str_replace": {"template": "hello", "params": {"absent": "x"}}}
    assert value_of(snippet, date) == "hello"


@pytest.mark.parametrize("date", before("2015-10-15"))
def test_str_replace_before_2015_10_15_rejects_map_values(date: str) -> None:
    snippet = {"str_replace": {"template": "x", "params": {"x": {"a": 1}}}}
    assert error_of(snippet, date) == (
        'v.str_replace: "str_replace" params must be strings or numbers, param x is not valid'
    )


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_str_replace_substitutes_maps_and_lists_as_sorted_json(date: str) -> None:
    snippet = {"str_replace": {"template": "m=M l=L",
                               "params": {"M": {"b": 1, "a": None}, "L": [1, "x"]}}}
    assert value_of(snippet, date) == 'm={"a": null, "b": 1} l=[1, "x"]'


def test_str_replace_without_template_shows_the_syntax() -> None:
    assert error_of({"str_replace": {"params": {}}}) == (
        'v.str_replace: "str_replace" syntax should be str_replace:\n'
        "              template: This is var1 template var2\n"
        "              params:\n"
        "                var1: a\n"
        "                var2: string"
    )


def test_str_replace_with_a_list_argument_fails() -> None:
    assert error_of({"str_replace": ["x", {}]}) == (
        'v.str_replace: Arguments to "str_replace" must be a map'
    )


def test_str_replace_with_list_params_fails() -> None:
    assert error_of({"str_replace": {"template": "x", "params": ["x"]}}) == (
        'v.str_replace: "str_replace" parameters must be a mapping'
    )


def test_str_replace_with_a_non_string_template_fails() -> None:
    assert error_of({"str_replace": {"template": 12, "params": {"1": "x"}}}) == (
        'v.str_replace: "str_replace" template must be a string'
    )


def test_str_replace_with_params_resolving_to_a_list_fails() -> None:
    snippet = {"str_replace": {"template": "x", "params": {"get_param": "p"}}}
    assert error_of(snippet, p=["x"]) == 'v.str_replace: "str_replace" params must be a map'


def test_str_replace_with_non_string_placeholders_fails() -> None:
    assert error_of({"str_replace": {"template": "1", "params": {1: "one"}}}) == (
        'v.str_replace: "str_replace" param placeholders must be strings'
    )


@pytest.mark.parametrize("date", since("2017-02-24"))
def test_str_replace_strict_accepts_params_all_found(date: str) -> None:
    snippet = {"str_replace_strict": {"template": "a-b", "params": {"a": "1", "b": None}}}
    assert value_of(snippet, date) == "1-"


@pytest.mark.parametrize("date", since("2017-02-24"))
def test_str_replace_strict_lists_params_missing_from_the_template(date: str) -> None:
    snippet = {"str_replace_strict": {"template": "a", "params": {"a": "1", "bb": "2",
                                                                  "c": "3"}}}
    assert error_of(snippet, date) == (
        "v.str_replace_strict: The following params were not found in the template: bb,c"
    )


def test_str_replace_strict_counts_a_placeholder_hidden_by_a_longer_one_as_missing() -> None:
    snippet = {"str_replace_strict": {"template": "$ab", "params": {"$ab": "1", "$a": "2"}}}
    assert error_of(snippet) == (
        "v.str_replace_strict: The following params were not found in the template: $a"
    )


@pytest.mark.parametrize("date", since("2017-09-01"))
@pytest.mark.parametrize("empty", [None, "", [], {}])
def test_str_replace_vstrict_rejects_empty_values(date: str, empty: Any) -> None:
    snippet = {"str_replace_vstrict": {"template": "a", "params": {"a": empty}}}
    assert error_of(snippet, date) == (
        "v.str_replace_vstrict: str_replace_vstrict has an undefined or empty value for "
        "param a, must be a defined non-empty value"
    )


def test_str_replace_vstrict_accepts_zero_and_false() -> None:
    snippet = {"str_replace_vstrict": {"template": "a b", "params": {"a": 0, "b": False}}}
    assert value_of(snippet) == "0 False"


def test_str_replace_vstrict_is_strict_too() -> None:
    snippet = {"str_replace_vstrict": {"template": "a", "params": {"a": "1", "b": "2"}}}
    assert error_of(snippet) == (
        "v.str_replace_vstrict: The following params were not found in the template: b"
    )


def test_str_replace_strict_is_plain_data_before_2017_02_24() -> None:
    snippet = {"str_replace_strict": {"template": "a", "params": {"a": "1"}}}
    assert value_of(snippet, "2016-10-14") == snippet


def test_str_replace_vstrict_is_plain_data_before_2017_09_01() -> None:
    snippet = {"str_replace_vstrict": {"template": "a", "params": {"a": "1"}}}
    assert value_of(snippet, "2017-02-24") == snippet


# -- str_split ---------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2015-10-15"))
def test_str_split_splits_on_the_delimiter(date: str) -> None:
    assert value_of({"str_split": [",", "string,to,split"]}, date) == ["string", "to", "split"]


@pytest.mark.parametrize("index", [0, "0"])
def test_str_split_picks_the_item_at_an_index(index: Any) -> None:
    assert value_of({"str_split": [",", "string,to,split", index]}) == "string"


def test_str_split_of_null_is_null() -> None:
    assert value_of({"str_split": [".", None]}) is None


def test_str_split_with_null_delimiter_splits_on_whitespace() -> None:
    assert value_of({"str_split": [None, "check  this"]}) == ["check", "this"]


def test_str_split_with_an_index_out_of_range_names_the_largest_index() -> None:
    assert error_of({"str_split": [",", "bar,baz", "2"]}) == (
        'v.str_split: Incorrect index to "str_split" should be between 0 and 1'
    )


def test_str_split_with_a_non_numeric_index_fails() -> None:
    assert error_of({"str_split": [",", "bar,baz", "bad"]}) == (
        'v.str_split: Incorrect index to "str_split" should be: '
        '"str_split" : [ ",", "apples,pears", <index>]'
    )


@pytest.mark.parametrize("args", [[","], [], None])
def test_str_split_needs_a_delimiter_and_a_string(args: Any) -> None:
    assert error_of({"str_split": args}) == (
        'v.str_split: Incorrect arguments to "str_split" should be: '
        '"str_split" : [ ",", "apples,pears", <index>]'
    )


def test_str_split_with_a_string_argument_fails() -> None:
    assert error_of({"str_split": "a,b"}) == (
        'v.str_split: Incorrect arguments to "str_split" should be: '
        '"str_split" : [ ",", "apples,pears", <index>]'
    )


def test_str_split_is_plain_data_before_2015_10_15() -> None:
    assert value_of({"str_split": [",", "a,b"]}, "2015-04-30") == {"str_split": [",", "a,b"]}


# -- digest -------------------------------------------------------------------------


@pytest.mark.parametrize("date", since("2015-04-30"))
def test_digest_hashes_the_value(date: str) -> None:
    snippet = {"digest": ["sha512", {"get_param": "raw_password"}]}
    expected = hashlib.sha512(b"s3cret").hexdigest()
    assert value_of(snippet, date, raw_password="s3cret") == expected


def test_digest_accepts_upper_case_algorithm_names() -> None:
    assert value_of({"digest": ["MD5", "foobar"]}) == hashlib.md5(b"foobar").hexdigest()


def test_digest_encodes_the_value_as_latin_1() -> None:
    expected = hashlib.md5("café".encode("latin-1")).hexdigest()
    assert value_of({"digest": ["md5", "café"]}) == expected


def test_digest_of_an_unknown_algorithm_lists_the_known_ones() -> None:
    message = error_of({"digest": ["nope", "foobar"]})
    assert message.startswith("v.digest: Algorithm must be one of {")
    assert "'sha256'" in message


def test_digest_with_non_string_arguments_fails() -> None:
    assert error_of({"digest": ["md5", 5]}) == (
        'v.digest: Argument to function "digest" must be a list of strings'
    )


def test_digest_with_three_arguments_fails() -> None:
    assert error_of({"digest": ["md5", "a", "b"]}) == (
        'v.digest: Function "digest" usage: ["<algorithm>", "<value>"]'
    )


def test_digest_is_plain_data_before_2015_04_30() -> None:
    assert value_of({"digest": ["md5", "a"]}, "2014-10-16") == {"digest": ["md5", "a"]}


# -- versions ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Fn::Join", "Fn::Split", "Fn::Replace", "Fn::Base64"])
def test_cfn_string_functions_are_removed_from_hot_in_2014_10_16(name: str) -> None:
    assert error_of({name: ["x", "y"]}, "2014-10-16") == (
        f"v.{name}: The template version is invalid: "
        f"The function {name} is not supported in this version of HOT."
    )
