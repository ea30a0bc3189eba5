"""Every function works in every version that offers it, and only there.

Each live function of each version's table is called once with a sample
whose answer is the same in every version that has the function; the
version-specific behaviour is tested beside each function.
"""

from __future__ import annotations

from typing import Any

import pytest

from calor.template import versions
from calor.template.errors import TemplateError
from calor.template.snippets import DictContext, SnippetScope, evaluate

RESOURCES = {"server": "OS::Heat::None"}
CTX = dict(
    params={"name": "web", "flavor": "m1.small"},
    refs={"server": "server-id"},
    attrs={"server": {"first_address": "10.0.0.5"}},
    files={"script.sh": "#!/bin/sh\n"},
    facade={"metadata": {"role": "db"}},
)

#: function name -> (arguments, expected result)
SAMPLES: dict[str, tuple[Any, Any]] = {
    "get_param": ("name", "web"),
    "get_resource": ("server", "server-id"),
    "get_attr": (["server", "first_address"], "10.0.0.5"),
    "get_file": ("script.sh", "#!/bin/sh\n"),
    "list_join": ([",", ["a", "b"]], "a,b"),
    "str_replace": ({"template": "x-$n", "params": {"$n": "1"}}, "x-1"),
    "str_replace_strict": ({"template": "x-$n", "params": {"$n": "1"}}, "x-1"),
    "str_replace_vstrict": ({"template": "x-$n", "params": {"$n": "1"}}, "x-1"),
    "resource_facade": ("metadata", {"role": "db"}),
    "repeat": ({"template": "p-<%i%>", "for_each": {"<%i%>": ["1", "2"]}}, ["p-1", "p-2"]),
    "digest": (["sha256", "abc"],
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    "str_split": ([",", "a,b,c"], ["a", "b", "c"]),
    "map_merge": ([{"a": 1}, {"b": 2}], {"a": 1, "b": 2}),
    "map_replace": ([{"a": 1}, {"keys": {"a": "z"}}], {"z": 1}),
    "yaql": ({"expression": "$.data.x + 1", "data": {"x": 1}}, 2),
    "if": ([True, "yes", "no"], "yes"),
    "filter": ([[2], [1, 2, 3]], [1, 3]),
    "make_url": ({"scheme": "https", "host": "example.com", "path": "/a"},
                 "https://example.com/a"),
    "list_concat": ([[1], [2]], [1, 2]),
    "list_concat_unique": ([[1, 2], [2, 3]], [1, 2, 3]),
    "contains": (["a", ["a", "b"]], True),
    "Ref": ("server", "server-id"),
    "Fn::GetAtt": (["server", "first_address"], "10.0.0.5"),
    "Fn::Select": (["1", ["a", "b"]], "b"),
    "Fn::Join": ([",", ["a", "b"]], "a,b"),
    "Fn::Split": ([",", "a,b"], ["a", "b"]),
    "Fn::Replace": ([{"$n": "1"}, "x-$n"], "x-1"),
    "Fn::Base64": ("hello", "hello"),
    "Fn::GetAZs": ("", ["nova"]),
    "Fn::MemberListToMap": (
        ["Name", "Value", [".member.0.Name=k", ".member.0.Value=v"]], {"k": "v"}
    ),
    "Fn::ResourceFacade": ("Metadata", {"role": "db"}),
    "Fn::FindInMap": (["Sizes", "small", "ram"], 512),
    "Fn::If": (["yes_please", "a", "b"], "a"),
}

CASES = [
    (version, name)
    for version in versions.ALL_VERSIONS
    for name in version.live_functions()
]


def test_every_live_function_has_a_sample() -> None:
    assert {name for _, name in CASES} == set(SAMPLES)


@pytest.mark.parametrize(
    ("version", "name"), CASES, ids=[f"{v.date}-{n}" for v, n in CASES]
)
def test_function_works_in_each_version_that_has_it(
    version: versions.TemplateVersion, name: str
) -> None:
    args, expected = SAMPLES[name]
    scope = SnippetScope(
        version,
        resources=RESOURCES,
        params=CTX["params"],
        conditions={"yes_please": True},
        mappings={"Sizes": {"small": {"ram": 512}}},
    )
    assert evaluate({name: args}, scope=scope, ctx=DictContext(**CTX)) == expected


REMOVED = [
    (version, name)
    for version in versions.ALL_VERSIONS
    for name in version.functions
    if name not in version.live_functions()
]


@pytest.mark.parametrize(
    ("version", "name"), REMOVED, ids=[f"{v.date}-{n}" for v, n in REMOVED]
)
def test_removed_function_is_an_error_naming_the_version(
    version: versions.TemplateVersion, name: str
) -> None:
    args, _ = SAMPLES[name]
    scope = SnippetScope(version, resources=RESOURCES, params=CTX["params"])
    with pytest.raises(TemplateError, match="is not supported in this version of HOT"):
        evaluate({name: args}, scope=scope, ctx=DictContext(**CTX))


UNKNOWN = [
    (version, name)
    for version in versions.ALL_VERSIONS
    for name in SAMPLES
    if name not in version.functions
]


@pytest.mark.parametrize(
    ("version", "name"), UNKNOWN, ids=[f"{v.date}-{n}" for v, n in UNKNOWN]
)
def test_name_the_version_does_not_know_is_plain_data(
    version: versions.TemplateVersion, name: str
) -> None:
    args, _ = SAMPLES[name]
    scope = SnippetScope(version, resources=RESOURCES, params=CTX["params"])
    assert evaluate({name: args}, scope=scope, ctx=DictContext(**CTX)) == {name: args}
