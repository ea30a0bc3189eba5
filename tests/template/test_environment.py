"""Environment files: sections, errors, merging several, child environments."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template.environment import Environment, merge_environments, stack_environment
from calor.template.errors import EnvironmentError_, ValidationErrors
from calor.template.resource_registry import ResourceRegistry

EMPTY_SHOWN = {
    "resource_registry": {"resources": {}},
    "parameters": {},
    "parameter_defaults": {},
    "event_sinks": [],
}


def merged(*files: str | dict[str, Any], **kwargs: Any) -> Environment:
    named = [(f"env{i}.yaml", content) for i, content in enumerate(files, 1)]
    return merge_environments(named, **kwargs)


# -- parsing -----------------------------------------------------------------------


def test_no_environment_shows_every_section_empty() -> None:
    assert Environment.parse(None).to_dict() == EMPTY_SHOWN


def test_empty_text_is_an_empty_environment() -> None:
    assert Environment.parse("").to_dict() == EMPTY_SHOWN


def test_every_section_is_read() -> None:
    env = Environment.parse(
        """
parameters: {flavor: m1.small}
parameter_defaults: {image: cirros}
resource_registry: {"My::Server": server.yaml}
event_sinks: [{type: zaqar-queue, target: q}]
encrypted_param_names: [password]
parameter_merge_strategies: {default: merge}
"""
    )
    assert env.parameters == {"flavor": "m1.small"}
    assert env.parameter_defaults == {"image": "cirros"}
    assert env.resource_registry.to_dict() == {"resources": {}, "My::Server": "server.yaml"}
    assert env.event_sinks == [{"type": "zaqar-queue", "target": "q"}]
    assert env.encrypted_param_names == ["password"]
    assert env.parameter_merge_strategies == {"default": "merge"}


def test_json_text_is_read() -> None:
    env = Environment.parse('{"parameters": {"a": 1}}')
    assert env.parameters == {"a": 1}


def test_to_dict_is_what_validate_shows() -> None:
    env = Environment.parse(
        {"parameters": {"a": "b"}, "encrypted_param_names": ["a"], "parameter_merge_strategies": {}}
    )
    assert env.to_dict() == {**EMPTY_SHOWN, "parameters": {"a": "b"}}


def test_stored_form_adds_encrypted_param_names() -> None:
    env = Environment.parse({"encrypted_param_names": ["secret"]})
    assert env.to_dict(include_encrypted_param_names=True) == {
        **EMPTY_SHOWN,
        "encrypted_param_names": ["secret"],
    }


def test_parse_copies_the_given_mapping() -> None:
    source: dict[str, Any] = {"parameters": {"a": [1]}}
    env = Environment.parse(source)
    env.parameters["a"].append(2)
    assert source == {"parameters": {"a": [1]}}


def test_registry_sits_above_the_global_registry() -> None:
    global_registry = ResourceRegistry({"OS::Quantum*": "OS::Neutron*"}, is_global=True)
    env = Environment.parse({}, global_registry=global_registry)
    assert env.resource_registry.parent is global_registry


# -- parse errors ---------------------------------------------------------------------


def test_unknown_section_is_an_error_with_its_line() -> None:
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse("parameters: {}\nparamters:\n  a: 1\n", filename="env.yaml")
    error = info.value
    assert error.message == 'environment has wrong section "paramters"'
    assert (error.path, error.file, error.line) == (("paramters",), "env.yaml", 2)


def test_unknown_section_in_a_mapping_is_an_error() -> None:
    with pytest.raises(EnvironmentError_, match='environment has wrong section "resources"'):
        Environment.parse({"resources": {}})


def test_explicitly_null_section_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse("parameter_defaults:\n", filename="env.yaml")
    assert (
        str(info.value) == 'parameter_defaults: environment has empty section "parameter_defaults"'
    )
    assert info.value.line == 1


def test_environment_that_is_not_a_map_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse("- a\n- b\n", filename="env.yaml")
    assert str(info.value) == "The environment is not a valid YAML mapping data type."
    assert (info.value.file, info.value.line) == ("env.yaml", 1)


def test_yaml_syntax_error_names_file_and_line() -> None:
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse("parameters:\n  a: [1\n", filename="env.yaml")
    assert info.value.message.startswith("Error parsing environment env.yaml:")
    assert (info.value.file, info.value.line) == ("env.yaml", 3)


def test_section_of_the_wrong_shape_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse("parameters: [a, b]\n")
    assert str(info.value) == 'parameters: environment section "parameters" must be a map'


def test_event_sink_without_a_type_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse({"event_sinks": [{"type": "zaqar-queue"}, {"target": "q"}]})
    assert str(info.value) == 'event_sinks[1]: an event sink must be a map with a "type"'


def test_several_errors_are_reported_together() -> None:
    with pytest.raises(ValidationErrors) as info:
        Environment.parse({"bad": 1, "parameters": None})
    assert [str(e) for e in info.value.errors] == [
        'bad: environment has wrong section "bad"',
        'parameters: environment has empty section "parameters"',
    ]


def test_registry_error_carries_its_path_and_line() -> None:
    text = "resource_registry:\n  resources:\n    web:\n      hooks: pre-launch\n"
    with pytest.raises(EnvironmentError_) as info:
        Environment.parse(text, filename="env.yaml")
    error = info.value
    assert error.path == ("resource_registry", "resources", "web", "hooks")
    assert (error.file, error.line) == ("env.yaml", 4)
    assert error.message.startswith('Invalid hook type "pre-launch" for resource breakpoint')


# -- parameters from the request -------------------------------------------------------


def test_request_parameters_beat_the_request_environment() -> None:
    env = Environment.parse({"parameters": {"a": "env", "b": "env"}})
    assert env.merged_with_parameters({"a": "request"}).parameters == {"a": "request", "b": "env"}


def test_environment_files_beat_request_parameters() -> None:
    env = stack_environment(
        parameters={"flavor": "request"},
        environment_files=["env.yaml"],
        files={"env.yaml": "parameters: {flavor: file}"},
    )
    assert env.parameters == {"flavor": "file"}


def test_request_environment_is_ignored_when_environment_files_are_given() -> None:
    env = stack_environment(
        environment={"parameters": {"a": "body"}, "parameter_defaults": {"b": "body"}},
        environment_files=["env.yaml"],
        files={"env.yaml": "parameter_defaults: {c: file}"},
    )
    assert (env.parameters, env.parameter_defaults) == ({}, {"c": "file"})


def test_request_environment_is_used_without_environment_files() -> None:
    env = stack_environment(environment="parameters: {a: body}", parameters={"b": "request"})
    assert env.parameters == {"a": "body", "b": "request"}


def test_environment_file_missing_from_files_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        stack_environment(environment_files=["env.yaml"], files={})
    assert str(info.value) == 'environment file "env.yaml" is not in files'


# -- merging environment files ---------------------------------------------------------


def test_later_file_overwrites_by_default() -> None:
    env = merged({"parameters": {"a": "one", "b": "one"}}, {"parameters": {"a": "two"}})
    assert env.parameters == {"a": "two", "b": "one"}


def test_parameter_defaults_are_merged_like_parameters() -> None:
    env = merged(
        {"parameter_defaults": {"a": [1], "b": "x"}, "parameter_merge_strategies": {"a": "merge"}},
        {"parameter_defaults": {"a": [2]}},
    )
    assert env.parameter_defaults == {"a": [1, 2], "b": "x"}


def test_first_file_without_strategies_fixes_overwrite() -> None:
    with pytest.raises(EnvironmentError_, match="Conflicting merge strategy 'merge'"):
        merged(
            {"parameter_defaults": {"a": [1]}},
            {"parameter_defaults": {"a": [2]}, "parameter_merge_strategies": {"a": "merge"}},
        )


def test_merge_concatenates_strings() -> None:
    env = merged(
        {"parameters": {"s": "ab"}, "parameter_merge_strategies": {"default": "merge"}},
        {"parameters": {"s": "cd"}},
        param_types={"s": "string"},
    )
    assert env.parameters == {"s": "abcd"}


def test_merge_appends_lists_and_joins_comma_delimited_strings() -> None:
    env = merged(
        {
            "parameters": {"l": [1, 2], "csv": "1,2"},
            "parameter_merge_strategies": {"default": "merge"},
        },
        {"parameters": {"l": [3], "csv": "3,4"}},
        param_types={"l": "comma_delimited_list", "csv": "CommaDelimitedList"},
    )
    assert env.parameters == {"l": [1, 2, 3], "csv": "1,2,3,4"}


def test_merge_of_a_list_with_a_comma_delimited_string_gives_a_list() -> None:
    env = merged(
        {"parameters": {"l": [1, 2]}, "parameter_merge_strategies": {"l": "merge"}},
        {"parameters": {"l": "3,4"}},
        param_types={"l": "comma_delimited_list"},
    )
    assert env.parameters == {"l": [1, 2, "3", "4"]}


def test_merge_updates_maps_one_level_deep() -> None:
    env = merged(
        {
            "parameters": {"m": {"a": {"x": 1}, "b": 1}},
            "parameter_merge_strategies": {"m": "merge"},
        },
        {"parameters": {"m": {"a": {"y": 2}}}},
        param_types={"m": "json"},
    )
    assert env.parameters == {"m": {"a": {"y": 2}, "b": 1}}


def test_deep_merge_merges_maps_recursively() -> None:
    env = merged(
        {
            "parameters": {"m": {"a": {"x": 1, "l": [1]}, "s": "ab", "n": 1}},
            "parameter_merge_strategies": {"m": "deep_merge"},
        },
        {"parameters": {"m": {"a": {"y": 2, "l": [2]}, "s": "cd", "n": 0}}},
        param_types={"m": "json"},
    )
    assert env.parameters == {"m": {"a": {"x": 1, "y": 2, "l": [1, 2]}, "s": "abcd", "n": 0}}


def test_merge_reads_json_parameters_given_as_text() -> None:
    env = merged(
        {"parameters": {"m": '{"a": 1}'}, "parameter_merge_strategies": {"m": "merge"}},
        {"parameters": {"m": '{"b": 2}'}},
        param_types={"m": "json"},
    )
    assert env.parameters == {"m": {"a": 1, "b": 2}}


def test_merge_adds_numbers() -> None:
    env = merged(
        {"parameters": {"n": 2}, "parameter_merge_strategies": {"n": "merge"}},
        {"parameters": {"n": "3"}},
        param_types={"n": "number"},
    )
    assert env.parameters == {"n": 5}


def test_merge_of_a_boolean_parameter_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        merged(
            {"parameters": {"flag": True}, "parameter_merge_strategies": {"flag": "merge"}},
            {"parameters": {"flag": False}},
            param_types={"flag": "boolean"},
        )
    assert (
        str(info.value) == "parameters.flag: Invalid merge strategy 'merge' for parameter 'flag'."
    )
    assert info.value.file == "env2.yaml"


def test_merge_guesses_types_from_values_without_param_types() -> None:
    env = merged(
        {
            "parameters": {"s": "a", "l": [1], "m": {"a": 1}},
            "parameter_merge_strategies": {"default": "merge"},
        },
        {"parameters": {"s": "b", "l": [2], "m": {"b": 2}}},
    )
    assert env.parameters == {"s": "ab", "l": [1, 2], "m": {"a": 1, "b": 2}}


def test_parameter_strategy_beats_the_files_default() -> None:
    env = merged(
        {
            "parameters": {"a": "x", "b": "x"},
            "parameter_merge_strategies": {"default": "merge", "b": "overwrite"},
        },
        {"parameters": {"a": "y", "b": "y"}},
        param_types={"a": "string", "b": "string"},
    )
    assert env.parameters == {"a": "xy", "b": "y"}


def test_unknown_strategy_falls_back_to_the_files_default() -> None:
    env = merged(
        {"parameters": {"a": "x"}, "parameter_merge_strategies": {"default": "merge", "a": "mix"}},
        {"parameters": {"a": "y"}},
        param_types={"a": "string"},
    )
    assert env.parameters == {"a": "xy"}


def test_strategy_chosen_by_an_earlier_file_holds_for_later_files() -> None:
    env = merged(
        {"parameters": {"a": "x"}, "parameter_merge_strategies": {"a": "merge"}},
        {"parameters": {"a": "y"}},
        {"parameters": {"a": "z"}, "parameter_merge_strategies": {"default": "overwrite"}},
        param_types={"a": "string"},
    )
    assert env.parameters == {"a": "xyz"}


def test_conflicting_strategies_for_one_parameter_are_an_error() -> None:
    text = "parameters: {a: y}\nparameter_merge_strategies:\n  a: overwrite\n"
    with pytest.raises(EnvironmentError_) as info:
        merged(
            {"parameters": {"a": "x"}, "parameter_merge_strategies": {"a": "merge"}},
            text,
            param_types={"a": "string"},
        )
    error = info.value
    assert error.message == (
        "Conflicting merge strategy 'overwrite' for parameter 'a' in file 'env2.yaml'."
    )
    assert (error.path, error.file, error.line) == (
        ("parameter_merge_strategies", "a"),
        "env2.yaml",
        3,
    )


def test_strategies_are_shared_between_parameters_and_parameter_defaults() -> None:
    with pytest.raises(EnvironmentError_, match="Conflicting merge strategy 'merge'"):
        merged(
            {"parameters": {"a": "x"}},
            {"parameter_defaults": {"a": "y"}, "parameter_merge_strategies": {"a": "merge"}},
            param_types={"a": "string"},
        )


def test_later_files_values_for_undeclared_parameters_are_dropped() -> None:
    env = merged(
        {"parameters": {"a": "1", "stray": "kept"}},
        {"parameters": {"a": "2", "other": "dropped"}},
        param_types={"a": "string"},
    )
    assert env.parameters == {"a": "2", "stray": "kept"}


def test_later_files_null_values_are_skipped() -> None:
    env = merged({"parameters": {"a": "1"}}, {"parameters": {"a": None}})
    assert env.parameters == {"a": "1"}


def test_environment_files_merge_on_top_of_the_base() -> None:
    base = Environment.parse({"parameters": {"a": "x"}}).merged_with_parameters({"b": "x"})
    env = merged(
        {"parameters": {"a": "y", "b": "y"}, "parameter_merge_strategies": {"a": "merge"}},
        base=base,
        param_types={"a": "string", "b": "string"},
    )
    assert env.parameters == {"a": "xy", "b": "y"}
    assert base.parameters == {"a": "x", "b": "x"}


def test_later_files_registry_adds_to_earlier_per_resource_entries() -> None:
    env = merged(
        {"resource_registry": {"resources": {"web": {"hooks": "pre-create"}}}},
        {"resource_registry": {"resources": {"db": {"hooks": "pre-update"}}}},
    )
    assert env.resource_registry.hooks_for("web") == frozenset({"pre-create"})
    assert env.resource_registry.hooks_for("db") == frozenset({"pre-update"})


def test_later_files_registry_overrides_and_deletes_mappings() -> None:
    env = merged(
        {"resource_registry": {"test::R1": "OS::Heat::RandomString", "test::R2": "BROKEN"}},
        {"resource_registry": {"test::R2": "OS::Heat::None", "test::R1": None}},
    )
    assert env.resource_registry.to_dict() == {"resources": {}, "test::R2": "OS::Heat::None"}


def test_event_sinks_of_every_file_are_kept() -> None:
    env = merged(
        {"event_sinks": [{"type": "zaqar-queue", "target": "a"}]},
        {"event_sinks": [{"type": "zaqar-queue", "target": "b"}]},
    )
    assert [sink["target"] for sink in env.event_sinks] == ["a", "b"]


def test_error_in_an_environment_file_names_that_file() -> None:
    with pytest.raises(EnvironmentError_) as info:
        merged("parameters: {}\n", "parameters: {}\nextra: 1\n")
    assert (info.value.file, info.value.line) == ("env2.yaml", 2)


# -- updates and nested stacks -----------------------------------------------------------


def test_update_loads_the_new_environment_on_top() -> None:
    existing = Environment.parse(
        {"parameters": {"a": "1", "b": "1"}, "resource_registry": {"My::A": "a.yaml"}}
    )
    env = existing.updated({"parameters": {"b": "2"}, "resource_registry": {"My::A": None}})
    assert env.parameters == {"a": "1", "b": "2"}
    assert env.resource_registry.to_dict() == {"resources": {}}
    assert existing.resource_registry.to_dict() == {"resources": {}, "My::A": "a.yaml"}


def test_update_with_a_parsed_environment_keeps_its_deletions() -> None:
    existing = Environment.parse({"resource_registry": {"My::A": "a.yaml"}})
    new = Environment.parse({"resource_registry": {"My::A": None}})
    assert existing.updated(new).resource_registry.to_dict() == {"resources": {}}


def test_child_environment_gets_its_own_parameters_and_inherits_the_rest() -> None:
    parent = Environment.parse(
        {
            "parameters": {"gone": "x"},
            "parameter_defaults": {"image": "cirros"},
            "event_sinks": [{"type": "zaqar-queue", "target": "q"}],
            "encrypted_param_names": ["gone"],
            "resource_registry": {
                "My::A": "a.yaml",
                "resources": {"nested": {"inner": {"hooks": "pre-create"}}},
            },
        }
    )
    child = parent.child("nested", {"size": 1})
    assert child.to_dict(include_encrypted_param_names=True) == {
        "resource_registry": {"resources": {"inner": {"hooks": "pre-create"}}, "My::A": "a.yaml"},
        "parameters": {"size": 1},
        "parameter_defaults": {"image": "cirros"},
        "event_sinks": [{"type": "zaqar-queue", "target": "q"}],
        "encrypted_param_names": [],
    }


def test_child_parameters_holding_sections_are_an_environment() -> None:
    parent = Environment.parse({"resource_registry": {"OS::Food": "carrots.yaml"}})
    child = parent.child(
        parameters={"parameters": {"a": 1}, "resource_registry": {"OS::Food": "apples.yaml"}}
    )
    assert child.parameters == {"a": 1}
    entry = child.resource_registry.lookup("OS::Food")
    assert entry is not None
    assert entry.target == "apples.yaml"
