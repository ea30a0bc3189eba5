"""get_param, get_resource, get_attr, get_file and resource_facade."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from calor.template import function
from calor.template.errors import (
    InvalidTemplateReference,
    TemplateError,
    UserParameterMissing,
)
from calor.template.functions.references import reference_key, select_from_attribute
from calor.template.snippets import DictContext, SnippetScope, evaluate

HOT_DATES = (
    "2013-05-23", "2014-10-16", "2015-04-30", "2015-10-15", "2016-04-08", "2016-10-14",
    "2017-02-24", "2017-09-01", "2018-03-02", "2018-08-31", "2021-04-16",
)
ALL_ATTRIBUTES_DATES = HOT_DATES[HOT_DATES.index("2015-10-15"):]
BEFORE_ALL_ATTRIBUTES = HOT_DATES[: HOT_DATES.index("2015-10-15")]

SERVER_DATA = {"metadata": {"foo": "bar"}, "keys": ["a_key", "other_key"]}
NETWORKS = {"public": ["2001:db8::8329", "1.2.3.4"], "private": ["10.0.0.1"]}


def hot(date: str) -> str:
    return f"heat_template_version.{date}"


def scope_for(date: str = "2021-04-16", **kwargs: Any) -> SnippetScope:
    kwargs.setdefault("resources", {"server": "OS::Nova::Server", "port": "OS::Neutron::Port"})
    return SnippetScope(hot(date), **kwargs)


def value_of(
    snippet: Any, date: str = "2021-04-16", scope: SnippetScope | None = None, **ctx: Any
) -> Any:
    result = evaluate({"v": snippet}, scope=scope or scope_for(date), ctx=DictContext(**ctx))
    return result["v"]


def error_of(
    snippet: Any, date: str = "2021-04-16", scope: SnippetScope | None = None, **ctx: Any
) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        evaluate(snippet, scope=scope or scope_for(date), ctx=DictContext(**ctx))
    return info.value


# -- get_param -----------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_param_returns_the_parameter_value(date: str) -> None:
    assert value_of({"get_param": "instance_type"}, date, params={"instance_type": "m1.tiny"}) == (
        "m1.tiny"
    )


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_param_walks_a_path_of_keys_and_indexes(date: str) -> None:
    params = {"server_data": SERVER_DATA}
    assert value_of({"get_param": ["server_data", "metadata"]}, date, params=params) == {
        "foo": "bar"
    }
    assert value_of({"get_param": ["server_data", "keys", 0]}, date, params=params) == "a_key"


def test_get_param_converts_a_string_index_into_a_list() -> None:
    params = {"server_data": SERVER_DATA}
    assert value_of({"get_param": ["server_data", "keys", "1"]}, params=params) == "other_key"


@pytest.mark.parametrize(
    "path",
    [["nope"], ["keys", 5], ["keys", "first"], ["metadata", "foo", "deeper", "x"],
     ["keys", 0, 9, 9], [["keys"]]],
)
def test_get_param_path_that_leads_nowhere_yields_empty_string(path: list[Any]) -> None:
    params = {"server_data": {"metadata": {"foo": 1}, "keys": ["a"]}}
    assert value_of({"get_param": ["server_data", *path]}, params=params) == ""


def test_get_param_name_may_come_from_another_function() -> None:
    snippet = {"get_param": {"list_join": ["_", ["db", "name"]]}}
    assert value_of(snippet, params={"db_name": "wordpress"}) == "wordpress"


def test_get_param_of_an_unknown_parameter_says_it_was_not_provided() -> None:
    err = error_of({"v": {"get_param": "nope"}})
    assert isinstance(err, UserParameterMissing)
    assert str(err) == "The Parameter (nope) was not provided."
    assert err.path == ("v", "get_param")


@pytest.mark.parametrize("args", [None, "", []])
def test_get_param_without_arguments_fails(args: Any) -> None:
    err = error_of({"v": {"get_param": args}})
    assert str(err) == 'v.get_param: Function "get_param" must have arguments'


def test_get_param_with_a_map_argument_fails() -> None:
    err = error_of({"v": {"get_param": {"a": 1, "b": 2}}})
    assert str(err) == 'v.get_param: Argument to "get_param" must be string or list'


def test_get_param_with_a_non_string_name_fails() -> None:
    err = error_of({"v": {"get_param": [1, "x"]}})
    assert str(err) == 'v.get_param: Parameter name in "get_param" must be string'


# -- get_resource --------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_resource_yields_the_resource_reference(date: str) -> None:
    assert value_of({"get_resource": "port"}, date, refs={"port": "4c1e-port-id"}) == (
        "4c1e-port-id"
    )


def test_get_resource_of_a_resource_without_id_yields_its_name() -> None:
    assert value_of({"get_resource": "port"}) == "port"


def test_get_resource_of_an_unknown_resource_names_the_property() -> None:
    template = {
        "resources": {
            "server": {
                "type": "OS::Nova::Server",
                "properties": {"networks": [{"port": {"get_resource": "nope"}}]},
            }
        }
    }
    err = error_of(template)
    assert isinstance(err, InvalidTemplateReference)
    assert str(err) == 'The specified reference "nope" (in server.Properties.networks[0].port) ' \
        "is incorrect."
    assert err.path == ("resources", "server", "properties", "networks", 0, "port",
                        "get_resource")


def test_get_resource_of_an_unknown_resource_in_metadata_names_the_metadata() -> None:
    template = {"resources": {"server": {"metadata": {"peer": {"get_resource": "nope"}}}}}
    assert str(error_of(template)) == (
        'The specified reference "nope" (in server.Metadata.peer) is incorrect.'
    )


def test_get_resource_of_an_unknown_resource_in_an_output_says_unknown() -> None:
    template = {"outputs": {"port": {"value": {"get_resource": "nope"}}}}
    assert str(error_of(template)) == (
        'The specified reference "nope" (in unknown) is incorrect.'
    )


def test_get_resource_of_a_resource_disabled_by_its_condition_fails() -> None:
    scope = scope_for(disabled_resources=["port"])
    err = error_of({"v": {"get_resource": "port"}}, scope=scope)
    assert isinstance(err, InvalidTemplateReference)
    assert err.resource == "port"


def test_get_resource_is_a_dependency_on_the_resource() -> None:
    parsed = function.parse(scope_for(), {"a": {"get_resource": "port"}})
    assert list(function.dependencies(parsed)) == ["port"]


def test_get_resource_name_may_come_from_a_parameter() -> None:
    snippet = {"get_resource": {"get_param": "which"}}
    assert value_of(snippet, params={"which": "server"}, refs={"server": "srv-1"}) == "srv-1"


def test_get_resource_name_from_a_parameter_is_checked_when_resolved() -> None:
    err = error_of({"v": {"get_resource": {"get_param": "which"}}}, params={"which": "nope"})
    assert isinstance(err, InvalidTemplateReference)
    assert err.resource == "nope"


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (("resources", "web", "properties", "get_resource"), "web.Properties"),
        (("resources", "web", "properties", "a", 0, 1, "b", "get_attr"),
         "web.Properties.a[0][1].b"),
        (("Resources", "web", "Properties", "a", "Ref"), "web.Properties.a"),
        (("Resources", "web", "Metadata", "a", "Fn::GetAtt"), "web.Metadata.a"),
        (("resources", "web", "update_policy", "a", "get_resource"), "unknown"),
        (("outputs", "o", "value", "get_attr"), "unknown"),
    ],
)
def test_reference_key_names_the_place_as_heat_does(path: tuple[Any, ...], key: str) -> None:
    assert reference_key(path) == key


# -- get_attr --------------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_attr_yields_the_attribute(date: str) -> None:
    attrs = {"server": {"first_address": "10.0.0.1"}}
    assert value_of({"get_attr": ["server", "first_address"]}, date, attrs=attrs) == "10.0.0.1"


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_attr_walks_a_path_into_the_attribute(date: str) -> None:
    attrs = {"server": {"networks": NETWORKS}}
    snippet = {"get_attr": ["server", "networks", "private", 0]}
    assert value_of(snippet, date, attrs=attrs) == "10.0.0.1"


def test_get_attr_does_not_convert_a_string_index() -> None:
    attrs = {"server": {"networks": NETWORKS}}
    assert value_of({"get_attr": ["server", "networks", "private", "0"]}, attrs=attrs) is None


def test_get_attr_path_that_leads_nowhere_yields_null() -> None:
    attrs = {"server": {"networks": NETWORKS}}
    assert value_of({"get_attr": ["server", "networks", "nope", 0]}, attrs=attrs) is None


def test_get_attr_of_an_attribute_without_value_yields_null() -> None:
    assert value_of({"get_attr": ["server", "first_address"]}) is None


class PathEchoContext(DictContext):
    """A context whose resources answer with the path they were asked for."""

    def resource_attr(self, name: str, attribute: str, path: Sequence[Any]) -> Any:
        return {"attribute": attribute, "path": list(path)}


def resolve_with_path_echo(snippet: Any, date: str) -> Any:
    return evaluate(snippet, scope=scope_for(date), ctx=PathEchoContext())


def test_get_attr_in_2013_05_23_walks_the_path_itself() -> None:
    snippet = {"get_attr": ["server", "members", "attribute"]}
    assert resolve_with_path_echo(snippet, "2013-05-23") == "members"


@pytest.mark.parametrize("date", HOT_DATES[1:])
def test_get_attr_from_2014_10_16_lets_the_resource_walk_the_path(date: str) -> None:
    snippet = {"get_attr": ["server", "members", "attribute"]}
    assert resolve_with_path_echo(snippet, date) == {
        "attribute": "members",
        "path": ["attribute"],
    }


@pytest.mark.parametrize("date", ALL_ATTRIBUTES_DATES)
def test_get_attr_of_a_resource_alone_yields_all_its_attributes(date: str) -> None:
    attrs = {"server": {"first_address": "10.0.0.1", "name": "web"}}
    assert value_of({"get_attr": ["server"]}, date, attrs=attrs) == {
        "first_address": "10.0.0.1",
        "name": "web",
    }


def test_get_attr_of_a_resource_alone_without_attributes_yields_null() -> None:
    assert value_of({"get_attr": ["server"]}) is None


@pytest.mark.parametrize("date", BEFORE_ALL_ATTRIBUTES)
def test_get_attr_of_a_resource_alone_fails_before_2015_10_15(date: str) -> None:
    err = error_of({"v": {"get_attr": ["server"]}}, date)
    assert str(err) == (
        'v.get_attr: Arguments to "get_attr" must be of the form '
        "[resource_name, attribute, (path), ...]"
    )


@pytest.mark.parametrize("date", ALL_ATTRIBUTES_DATES)
def test_get_attr_without_arguments_lists_both_forms(date: str) -> None:
    err = error_of({"v": {"get_attr": []}}, date)
    assert str(err) == (
        'v.get_attr: Arguments to "get_attr" can be of the next forms: '
        "[resource_name] or [resource_name, attribute, (path), ...]"
    )


@pytest.mark.parametrize("date", ["2013-05-23", "2014-10-16", "2021-04-16"])
def test_get_attr_with_a_string_argument_fails(date: str) -> None:
    err = error_of({"v": {"get_attr": "server.first_address"}}, date)
    assert str(err) == 'v.get_attr: Argument to "get_attr" must be a list'


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_attr_of_an_unknown_resource_fails(date: str) -> None:
    template = {"resources": {"web": {"properties": {"ip": {"get_attr": ["nope", "ip"]}}}}}
    assert str(error_of(template, date)) == (
        'The specified reference "nope" (in web.Properties.ip) is incorrect.'
    )


def test_get_attr_of_a_resource_disabled_by_its_condition_fails() -> None:
    scope = scope_for(disabled_resources=["server"])
    err = error_of({"v": {"get_attr": ["server", "first_address"]}}, scope=scope)
    assert isinstance(err, InvalidTemplateReference)


def test_get_attr_of_an_attribute_the_resource_lacks_fails() -> None:
    scope = scope_for(attributes={"server": ["first_address", "networks"]})
    err = error_of({"v": {"get_attr": ["server", "nope"]}}, scope=scope)
    assert str(err) == "v.get_attr: The Referenced Attribute (server nope) is incorrect."


def test_get_attr_of_show_is_always_allowed() -> None:
    scope = scope_for(attributes={"server": ["first_address"]})
    attrs = {"server": {"show": {"id": "x"}}}
    assert value_of({"get_attr": ["server", "show", "id"]}, scope=scope, attrs=attrs) == "x"


def test_get_attr_accepts_any_attribute_when_the_resource_cannot_say() -> None:
    assert value_of({"get_attr": ["server", "anything"]}) is None


def test_get_attr_is_a_dependency_on_the_resource() -> None:
    parsed = function.parse(scope_for(), {"a": {"get_attr": ["server", "first_address"]}})
    assert list(function.dependencies(parsed)) == ["server"]


def test_get_attr_reports_the_attribute_it_reads() -> None:
    parsed = function.parse(scope_for(), {"a": {"get_attr": ["server", "networks", "private"]}})
    assert list(function.dep_attrs(parsed)) == [("server", "networks")]


def test_get_attr_of_all_attributes_reports_every_attribute() -> None:
    parsed = function.parse(scope_for(), {"a": {"get_attr": ["server"]}})
    assert list(function.dep_attrs(parsed)) == [("server", "*")]


def test_get_attr_resource_name_may_come_from_a_parameter() -> None:
    snippet = {"get_attr": [{"get_param": "which"}, "first_address"]}
    attrs = {"server": {"first_address": "10.0.0.1"}}
    assert value_of(snippet, params={"which": "server"}, attrs=attrs) == "10.0.0.1"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ([], NETWORKS),
        (["private", 0], "10.0.0.1"),
        (["private", "0"], None),
        (["nope"], None),
        (["private", 3], None),
        (["private", 0, "x", "y"], None),
        ([("private",)], None),
        (["public", 0, 0], "2"),
    ],
)
def test_select_from_attribute_walks_like_heat(path: list[Any], expected: Any) -> None:
    assert select_from_attribute(NETWORKS, path) == expected


# -- get_file ------------------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
def test_get_file_yields_the_file_contents(date: str) -> None:
    files = {"my_instance_user_data.sh": "#!/bin/sh\necho hi\n"}
    assert value_of({"get_file": "my_instance_user_data.sh"}, date, files=files) == (
        "#!/bin/sh\necho hi\n"
    )


def test_get_file_does_not_resolve_functions_in_the_file() -> None:
    files = {"a.yaml": "{get_file: b.yaml}", "b.yaml": "b"}
    assert value_of({"get_file": "a.yaml"}, files=files) == "{get_file: b.yaml}"


def test_get_file_of_a_missing_file_fails() -> None:
    err = error_of({"v": {"get_file": "nope.sh"}})
    assert str(err) == (
        'v.get_file: No content found in the "files" section for get_file path: nope.sh'
    )


def test_get_file_with_a_non_string_argument_fails() -> None:
    err = error_of({"v": {"get_file": ["a.sh"]}})
    assert str(err) == 'v.get_file: Argument to "get_file" must be a string'


# -- resource_facade -------------------------------------------------------------------


@pytest.mark.parametrize("date", HOT_DATES)
@pytest.mark.parametrize(
    ("facet", "value"),
    [("metadata", {"role": "db"}), ("deletion_policy", "Retain"),
     ("update_policy", {"batch": 1})],
)
def test_resource_facade_yields_the_parent_resource_data(
    date: str, facet: str, value: Any
) -> None:
    facade = {"metadata": {"role": "db"}, "deletion_policy": "Retain",
              "update_policy": {"batch": 1}}
    assert value_of({"resource_facade": facet}, date, facade=facade) == value


def test_resource_facade_of_anything_else_fails() -> None:
    err = error_of({"v": {"resource_facade": "wibble"}})
    assert str(err) == (
        'v.resource_facade: Incorrect arguments to "resource_facade" should be one of: '
        "metadata, deletion_policy, update_policy"
    )


# -- versions ----------------------------------------------------------------------------


def test_cfn_functions_are_removed_from_hot_in_2014_10_16() -> None:
    err = error_of({"v": {"Fn::GetAZs": ""}}, "2014-10-16")
    assert str(err) == (
        "v.Fn::GetAZs: The template version is invalid: "
        "The function Fn::GetAZs is not supported in this version of HOT."
    )


def test_resource_facade_removed_in_cfn_form_but_kept_in_hot_form() -> None:
    err = error_of({"v": {"Fn::ResourceFacade": "Metadata"}}, "2016-10-14")
    assert "The function Fn::ResourceFacade is not supported in this version of HOT." in str(err)
    assert value_of({"resource_facade": "metadata"}, "2016-10-14", facade={"metadata": {}}) == {}
