"""make_url."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import function
from calor.template.errors import TemplateError
from calor.template.snippets import DictContext, SnippetScope, evaluate

MAKE_URL_DATES = ("2017-09-01", "2018-03-02", "2018-08-31", "2021-04-16")


def url_of(parts: Any, date: str = "2021-04-16", **params: Any) -> Any:
    scope = SnippetScope(f"heat_template_version.{date}", params=params)
    return evaluate({"v": {"make_url": parts}}, scope=scope, ctx=DictContext(params))["v"]


def validation_error_of(parts: Any) -> str:
    """The error ``template validate`` reports: parse and static checks only."""
    scope = SnippetScope()
    with pytest.raises(TemplateError) as info:
        function.validate(function.parse(scope, {"v": {"make_url": parts}}))
    return str(info.value)


def error_of(parts: Any, **params: Any) -> str:
    scope = SnippetScope(params=params)
    with pytest.raises(TemplateError) as info:
        evaluate({"v": {"make_url": parts}}, scope=scope, ctx=DictContext(params))
    return str(info.value)


@pytest.mark.parametrize("date", MAKE_URL_DATES)
def test_make_url_joins_scheme_host_and_path(date: str) -> None:
    parts = {"scheme": "http", "host": "example.com", "path": "/foo/bar"}
    assert url_of(parts, date) == "http://example.com/foo/bar"


def test_make_url_builds_heats_documented_example() -> None:
    parts = {
        "scheme": "http",
        "host": {"get_param": "ip"},
        "port": 8080,
        "path": "/hello",
        "query": {"recipient": "world"},
        "fragment": "greeting",
    }
    assert url_of(parts, ip="2001:db8::1") == (
        "http://[2001:db8::1]:8080/hello?recipient=world#greeting"
    )


def test_make_url_brackets_an_ipv6_host() -> None:
    assert url_of({"scheme": "http", "host": "::1", "path": "/a"}) == "http://[::1]/a"


def test_make_url_keeps_a_bracketed_ipv6_host_as_it_is() -> None:
    assert url_of({"scheme": "http", "host": "[::1]", "path": "/a"}) == "http://[::1]/a"


@pytest.mark.parametrize("port", [80, "80"])
def test_make_url_accepts_a_port_number_or_numeric_string(port: Any) -> None:
    parts = {"scheme": "https", "host": "example.com", "port": port, "path": "/foo"}
    assert url_of(parts) == "https://example.com:80/foo"


def test_make_url_with_a_username_puts_it_before_the_host() -> None:
    parts = {"scheme": "http", "username": "wibble", "host": "example.com"}
    assert url_of(parts) == "http://wibble@example.com"


def test_make_url_with_username_and_password_joins_them_with_a_colon() -> None:
    parts = {"scheme": "http", "username": "wibble", "password": "blarg",
             "host": "example.com", "path": "/foo/bar"}
    assert url_of(parts) == "http://wibble:blarg@example.com/foo/bar"


def test_make_url_escapes_user_information_completely() -> None:
    parts = {"scheme": "http", "username": "a@b", "password": "p:/w", "host": "h"}
    assert url_of(parts) == "http://a%40b:p%3A%2Fw@h"


def test_make_url_escapes_the_path_but_not_its_slashes() -> None:
    assert url_of({"scheme": "http", "host": "h", "path": "/foo/?bar baz"}) == (
        "http://h/foo/%3Fbar%20baz"
    )


def test_make_url_encodes_the_query_but_leaves_its_slashes() -> None:
    parts = {"scheme": "http", "host": "example.com", "path": "/foo/",
             "query": {"foo#": "bar & baz", "blarg": "/wib=ble/"}}
    assert url_of(parts) == "http://example.com/foo/?foo%23=bar+%26+baz&blarg=/wib%3Dble/"


def test_make_url_adds_a_slash_before_a_relative_path_after_a_host() -> None:
    parts = {"scheme": "http", "host": "example.com", "path": "foo/bar", "fragment": "baz"}
    assert url_of(parts) == "http://example.com/foo/bar#baz"


def test_make_url_builds_a_file_url() -> None:
    assert url_of({"scheme": "file", "path": "/foo/bar"}) == "file:///foo/bar"


def test_make_url_of_no_parts_is_empty() -> None:
    assert url_of({}) == ""


@pytest.mark.parametrize("port", [100000, "0", 0])
def test_make_url_rejects_a_port_out_of_range(port: Any) -> None:
    parts = {"scheme": "https", "host": "example.com", "port": port}
    assert validation_error_of(parts) == (
        f"v.make_url: Invalid URL port {int(port)}, must be in range 1-65535"
    )


def test_make_url_rejects_a_non_numeric_port() -> None:
    parts = {"host": "example.com", "port": "1.1"}
    assert validation_error_of(parts) == (
        "v.make_url: Invalid URL port \"1.1\" for make_url called with "
        "{'host': 'example.com', 'port': '1.1'}"
    )


def test_make_url_checks_a_port_from_a_function_when_resolved() -> None:
    parts = {"host": "example.com", "port": {"get_param": "port"}}
    assert error_of(parts, port=70000) == (
        "v.make_url: Invalid URL port 70000, must be in range 1-65535"
    )


def test_make_url_with_a_string_argument_fails_validation() -> None:
    assert validation_error_of("http://example.com/foo/bar") == (
        'v.make_url: The arguments to "make_url" must be a map'
    )


def test_make_url_with_unknown_parts_fails_validation() -> None:
    parts = {"scheme": "http", "host": "example.com", "foo": "bar", "bar": 1}
    assert validation_error_of(parts) == 'v.make_url: Invalid arguments to "make_url": bar, foo'


def test_make_url_with_a_non_string_host_fails_validation() -> None:
    assert validation_error_of({"host": ["example.com"]}) == (
        'v.make_url: The "host" argument to "make_url" must be a string'
    )


def test_make_url_with_a_list_query_fails_validation() -> None:
    assert validation_error_of({"query": ["a=b"]}) == (
        'v.make_url: The "query" argument to "make_url" must be a map'
    )


def test_make_url_does_not_check_the_fragment_when_a_query_is_given() -> None:
    # Heat's checks stop at the query; only the value itself then fails.
    function.validate(function.parse(SnippetScope(), {"make_url": {"query": {},
                                                                    "fragment": 5}}))
    assert validation_error_of({"fragment": 5}) == (
        'v.make_url: The "fragment" argument to "make_url" must be a string'
    )


def test_make_url_with_a_colon_in_the_scheme_fails() -> None:
    assert error_of({"scheme": "http:", "host": "h"}) == (
        "v.make_url: URL \"scheme\" should not contain ':'"
    )


def test_make_url_checks_parts_from_functions_when_resolved() -> None:
    assert error_of({"host": {"get_param": "host"}}, host=None) == (
        'v.make_url: The "host" argument to "make_url" must be a string'
    )


def test_make_url_is_plain_data_before_2017_09_01() -> None:
    parts = {"scheme": "http", "host": "h"}
    assert url_of(parts, "2017-02-24") == {"make_url": parts}
