"""The CloudFormation-style functions: Ref and Fn::*."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template.errors import InvalidTemplateReference, StackValidationFailed
from calor.template.function import dep_attrs, dependencies, parse, validate
from calor.template.snippets import DictContext, SnippetScope, evaluate

AWS = "AWSTemplateFormatVersion.2010-09-09"
HEAT_CFN = "HeatTemplateFormatVersion.2012-12-12"
HOT_2013 = "heat_template_version.2013-05-23"


def failure(snippet: Any, scope: SnippetScope | None = None, version: str = AWS) -> str:
    with pytest.raises(StackValidationFailed) as info:
        evaluate(snippet, scope=scope or SnippetScope(version))
    return str(info.value)


# -- Ref -------------------------------------------------------------------------


def test_ref_to_a_resource_yields_its_reference() -> None:
    scope = SnippetScope(AWS, resources={"Server": "AWS::EC2::Instance"})
    ctx = DictContext(refs={"Server": "i-123"})
    assert evaluate({"Ref": "Server"}, scope=scope, ctx=ctx) == "i-123"


def test_ref_to_a_parameter_yields_its_value() -> None:
    scope = SnippetScope(AWS, params={"KeyName": "mine"})
    assert evaluate({"Ref": "KeyName"}, scope=scope) == "mine"


def test_ref_prefers_a_resource_over_a_parameter_of_the_same_name() -> None:
    scope = SnippetScope(AWS, resources={"Both": "T"}, params={"Both": "param"})
    assert evaluate({"Ref": "Both"}, scope=scope) == "Both"


def test_ref_to_an_unknown_name_is_an_invalid_reference() -> None:
    with pytest.raises(InvalidTemplateReference) as info:
        evaluate({"Ref": "Nothing"}, scope=SnippetScope(AWS))
    assert str(info.value) == 'The specified reference "Nothing" (in unknown) is incorrect.'


def test_ref_to_a_disabled_resource_is_an_invalid_reference() -> None:
    scope = SnippetScope(AWS, resources={"Off": "T"}, disabled_resources=["Off"])
    parsed = parse(scope, {"Ref": "Off"}, ("Resources", "Web", "Properties", "Peer"))
    with pytest.raises(InvalidTemplateReference) as info:
        validate(parsed)
    assert str(info.value) == 'The specified reference "Off" (in Web.Properties.Peer) is incorrect.'


def test_ref_to_a_resource_is_a_dependency() -> None:
    scope = SnippetScope(AWS, resources={"Server": "T"}, params={"Key": "k"})
    parsed = parse(scope, [{"Ref": "Server"}, {"Ref": "Key"}])
    assert list(dependencies(parsed)) == ["Server"]


def test_ref_works_in_the_first_hot_version() -> None:
    scope = SnippetScope(HOT_2013, params={"flavor": "m1.small"})
    assert evaluate({"Ref": "flavor"}, scope=scope) == "m1.small"


def test_ref_is_removed_from_hot_in_2014() -> None:
    assert failure({"Ref": "flavor"}, version="heat_template_version.2014-10-16") == (
        "Ref: The template version is invalid: "
        "The function Ref is not supported in this version of HOT."
    )


# -- Fn::GetAtt --------------------------------------------------------------------


def test_getatt_reads_a_resource_attribute() -> None:
    scope = SnippetScope(AWS, resources={"Server": "T"})
    ctx = DictContext(attrs={"Server": {"PublicIp": "10.0.0.1"}})
    assert evaluate({"Fn::GetAtt": ["Server", "PublicIp"]}, scope=scope, ctx=ctx) == "10.0.0.1"


def test_getatt_takes_no_path() -> None:
    scope = SnippetScope(AWS, resources={"Server": "T"})
    assert failure({"Fn::GetAtt": ["Server", "Addresses", 0]}, scope) == (
        'Fn::GetAtt: Arguments to "Fn::GetAtt" must be of the form [resource_name, attribute]'
    )


def test_getatt_of_an_unknown_resource_is_an_invalid_reference() -> None:
    scope = SnippetScope(AWS)
    parsed = parse(scope, {"Fn::GetAtt": ["Nope", "Ip"]}, ("Resources", "Web", "Metadata", "x"))
    with pytest.raises(InvalidTemplateReference) as info:
        validate(parsed)
    assert str(info.value) == 'The specified reference "Nope" (in Web.Metadata.x) is incorrect.'


def test_getatt_of_an_unknown_attribute_is_refused() -> None:
    scope = SnippetScope(AWS, resources={"Server": "T"}, attributes={"Server": ["PublicIp"]})
    assert failure({"Fn::GetAtt": ["Server", "Colour"]}, scope) == (
        "Fn::GetAtt: The Referenced Attribute (Server Colour) is incorrect."
    )


def test_getatt_accepts_any_attribute_when_they_cannot_be_known() -> None:
    scope = SnippetScope(AWS, resources={"Server": "T"})
    assert evaluate({"Fn::GetAtt": ["Server", "Colour"]}, scope=scope) is None


def test_getatt_reports_its_resource_and_attribute() -> None:
    scope = SnippetScope(AWS, resources={"Server": "T"})
    parsed = parse(scope, {"Fn::GetAtt": ["Server", "PublicIp"]})
    assert list(dependencies(parsed)) == ["Server"]
    assert list(dep_attrs(parsed)) == [("Server", "PublicIp")]


# -- Fn::Select ------------------------------------------------------------------


def test_select_picks_a_list_item() -> None:
    assert evaluate({"Fn::Select": [1, ["a", "b", "c"]]}, version=AWS) == "b"


def test_select_converts_a_string_index_for_lists() -> None:
    assert evaluate({"Fn::Select": ["2", ["a", "b", "c"]]}, version=AWS) == "c"


def test_select_out_of_range_is_empty() -> None:
    assert evaluate({"Fn::Select": [5, ["a"]]}, version=AWS) == ""


def test_select_picks_a_map_value() -> None:
    assert evaluate({"Fn::Select": ["b", {"a": 1, "b": 2}]}, version=AWS) == 2


def test_select_missing_map_key_is_empty() -> None:
    assert evaluate({"Fn::Select": ["z", {"a": 1}]}, version=AWS) == ""


def test_select_needs_a_string_key_for_maps() -> None:
    assert failure({"Fn::Select": [0, {"a": 1}]}) == (
        'Fn::Select: Index to "Fn::Select" must be a string'
    )


def test_select_from_an_empty_string_is_empty() -> None:
    assert evaluate({"Fn::Select": [0, ""]}, version=AWS) == ""


def test_select_from_null_is_empty() -> None:
    assert evaluate({"Fn::Select": [0, None]}, version=AWS) == ""


def test_select_reads_a_json_string_as_the_collection() -> None:
    assert evaluate({"Fn::Select": [1, '["a", "b"]']}, version=AWS) == "b"
    assert evaluate({"Fn::Select": ["k", '{"k": "v"}']}, version=AWS) == "v"


def test_select_refuses_a_string_that_is_not_json() -> None:
    assert failure({"Fn::Select": [0, "a,b"]}) == (
        'Fn::Select: "Fn::Select": Expecting value: line 1 column 1 (char 0)'
    )


def test_select_needs_an_index_and_a_collection() -> None:
    assert failure({"Fn::Select": [0]}) == (
        'Fn::Select: Arguments to "Fn::Select" must be of the form [index, collection]'
    )


def test_select_survives_in_hot_until_2015_10_15() -> None:
    assert evaluate({"Fn::Select": [0, ["a"]]}, version="heat_template_version.2015-04-30") == "a"
    assert failure({"Fn::Select": [0, ["a"]]}, version="heat_template_version.2015-10-15") == (
        "Fn::Select: The template version is invalid: "
        "The function Fn::Select is not supported in this version of HOT."
    )


# -- Fn::Join, Fn::Split, Fn::Replace, Fn::Base64 ---------------------------------------


def test_join_joins_strings() -> None:
    assert evaluate({"Fn::Join": [",", ["a", "b"]]}, version=AWS) == "a,b"


def test_join_treats_null_items_as_empty() -> None:
    assert evaluate({"Fn::Join": ["-", ["a", None, "b"]]}, version=AWS) == "a--b"


def test_join_refuses_items_that_are_not_strings() -> None:
    assert failure({"Fn::Join": [",", ["a", 1]]}) == (
        "Fn::Join: Items to join must be strings not 1"
    )


def test_join_needs_a_delimiter_and_a_list() -> None:
    assert failure({"Fn::Join": ","}) == (
        'Fn::Join: Incorrect arguments to "Fn::Join" should be: '
        '"Fn::Join" : [ " ", [ "str1", "str2"]]'
    )


def test_split_splits_on_the_delimiter() -> None:
    assert evaluate({"Fn::Split": [";", "a;b; c"]}, version=AWS) == ["a", "b", " c"]


def test_split_delimiter_is_not_resolved() -> None:
    scope = SnippetScope(AWS, params={"Sep": ","})
    assert failure({"Fn::Split": [{"Ref": "Sep"}, "a,b"]}, scope) == (
        "Fn::Split: Delimiter for Fn::Split must be string"
    )


def test_split_resolves_the_string() -> None:
    scope = SnippetScope(AWS, params={"List": "a,b"})
    assert evaluate({"Fn::Split": [",", {"Ref": "List"}]}, scope=scope) == ["a", "b"]


def test_replace_substitutes_placeholders() -> None:
    snippet = {"Fn::Replace": [{"$who": "world", "$n": 3}, "hello $who x$n"]}
    assert evaluate(snippet, version=AWS) == "hello world x3"


def test_replace_prefers_the_longest_placeholder() -> None:
    snippet = {"Fn::Replace": [{"$a": "short", "$ab": "long"}, "$ab $a"]}
    assert evaluate(snippet, version=AWS) == "long short"


def test_replace_never_rescans_replaced_text() -> None:
    snippet = {"Fn::Replace": [{"x": "y", "y": "z"}, "xy"]}
    assert evaluate(snippet, version=AWS) == "yz"


def test_replace_refuses_map_values() -> None:
    assert failure({"Fn::Replace": [{"$a": {"b": 1}}, "$a"]}) == (
        'Fn::Replace: "Fn::Replace" params must be strings or numbers, param $a is not valid'
    )


def test_replace_takes_the_mapping_first() -> None:
    assert failure({"Fn::Replace": ["$a", {"$a": "b"}]}) == (
        'Fn::Replace: "Fn::Replace" parameters must be a mapping'
    )


def test_base64_returns_its_string_unencoded() -> None:
    assert evaluate({"Fn::Base64": "#!/bin/sh\necho hi"}, version=AWS) == "#!/bin/sh\necho hi"


def test_base64_needs_a_string() -> None:
    assert failure({"Fn::Base64": ["a"]}) == 'Fn::Base64: "Fn::Base64" argument must be a string'


# -- Fn::GetAZs, Fn::FindInMap, Fn::MemberListToMap, Fn::ResourceFacade --------------------


def test_getazs_lists_the_clouds_zones_whatever_the_region() -> None:
    ctx = DictContext(zones=["az1", "az2"])
    assert evaluate({"Fn::GetAZs": "elsewhere"}, ctx=ctx, version=AWS) == ["az1", "az2"]


def test_findinmap_reads_the_mappings_section() -> None:
    scope = SnippetScope(AWS, mappings={"Sizes": {"small": {"Flavor": "m1.small"}}})
    assert evaluate({"Fn::FindInMap": ["Sizes", "small", "Flavor"]}, scope=scope) == "m1.small"


def test_findinmap_missing_key_is_an_error() -> None:
    scope = SnippetScope(AWS, mappings={"Sizes": {"small": {"Flavor": "m1.small"}}})
    assert failure({"Fn::FindInMap": ["Sizes", "huge", "Flavor"]}, scope) == "Fn::FindInMap: huge"


def test_findinmap_missing_mapping_is_an_error() -> None:
    assert failure({"Fn::FindInMap": ["Nope", "a", "b"]}) == "Fn::FindInMap: Nope"


def test_findinmap_needs_three_arguments() -> None:
    assert failure({"Fn::FindInMap": ["Sizes", "small"]}) == (
        'Fn::FindInMap: Arguments to "Fn::FindInMap" must be of the form [mapping, key, value]'
    )


def test_member_list_to_map_pairs_keys_with_values() -> None:
    snippet = {
        "Fn::MemberListToMap": [
            "Name",
            "Value",
            [".member.0.Name=size", ".member.0.Value=10", ".member.1.Name=tier",
             ".member.1.Value=gold"],
        ]
    }
    assert evaluate(snippet, version=AWS) == {"size": "10", "tier": "gold"}


def test_member_list_to_map_needs_string_names() -> None:
    assert failure({"Fn::MemberListToMap": [1, "Value", []]}) == (
        "Fn::MemberListToMap: Fn::MemberListToMap Key Name must be a string"
    )


@pytest.mark.parametrize(
    ("key", "hot_key"),
    [("Metadata", "metadata"), ("DeletionPolicy", "deletion_policy"),
     ("UpdatePolicy", "update_policy")],
)
def test_resource_facade_reads_the_parent_resource(key: str, hot_key: str) -> None:
    ctx = DictContext(facade={hot_key: "from parent"})
    assert evaluate({"Fn::ResourceFacade": key}, ctx=ctx, version=AWS) == "from parent"


def test_resource_facade_refuses_other_keys() -> None:
    assert failure({"Fn::ResourceFacade": "metadata"}) == (
        'Fn::ResourceFacade: Incorrect arguments to "Fn::ResourceFacade" should be one of: '
        "Metadata, DeletionPolicy, UpdatePolicy"
    )


# -- the formats --------------------------------------------------------------------------


def test_heat_cfn_format_offers_the_same_functions() -> None:
    scope = SnippetScope(HEAT_CFN, params={"Name": "x"})
    assert evaluate({"Fn::Join": ["-", [{"Ref": "Name"}, "y"]]}, scope=scope) == "x-y"


def test_heat_cfn_format_has_no_if() -> None:
    assert evaluate({"Fn::If": [True, 1, 2]}, version=HEAT_CFN) == {"Fn::If": [True, 1, 2]}
