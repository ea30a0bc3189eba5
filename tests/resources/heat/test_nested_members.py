"""The child templates ResourceGroup and ResourceChain generate, and how they read them back."""

from __future__ import annotations

from calor.resources.heat.resource_group import (
    group_attribute,
    member_definition,
    member_names,
    member_outputs,
)


def test_member_names_skip_removed_ones_and_never_reuse_them() -> None:
    assert member_names(3, set()) == ["0", "1", "2"]
    assert member_names(3, {"1", "3"}) == ["0", "2", "4"]
    assert member_names(0, {"0"}) == []


def test_the_index_var_is_replaced_in_every_property_string_but_not_in_map_keys() -> None:
    definition = {
        "type": "OS::Heat::Value",
        "properties": {
            "value": {"name-%i%": ["a-%i%", {"deep": "%i%%i%"}], "n": 5},
            "unset": None,
        },
        "metadata": {"role": "%i%"},
    }
    assert member_definition(definition, "%i%", "7") == {
        "type": "OS::Heat::Value",
        # Unset properties are left out so the member's defaults apply.
        "properties": {"value": {"name-%i%": ["a-7", {"deep": "77"}], "n": 5}},
        # Heat replaces the index in properties only.
        "metadata": {"role": "%i%"},
    }


def test_outputs_cover_refs_and_every_member_attribute_the_stack_reads() -> None:
    wanted = frozenset({("name",), ("attributes", "ip"), ("resource.1.ip",), ("resource.9.ip",),
                        ("resource.0",), ("refs", 0)})
    assert member_outputs(["0", "1"], wanted) == {
        "refs": {"value": [{"get_resource": "0"}, {"get_resource": "1"}]},
        "refs_map": {"value": {"0": {"get_resource": "0"}, "1": {"get_resource": "1"}}},
        "attributes, ip": {"value": {"0": {"get_attr": ["0", "ip"]},
                                     "1": {"get_attr": ["1", "ip"]}}},
        "name": {"value": [{"get_attr": ["0", "name"]}, {"get_attr": ["1", "name"]}]},
        # A member that does not exist gets no output.
        "resource.1.ip": {"value": {"get_attr": ["1", "ip"]}},
    }


def test_group_attributes_are_read_back_from_those_outputs() -> None:
    outputs = {
        "refs": ["r0", "r1"], "refs_map": {"0": "r0", "1": "r1"},
        "attributes, ip": {"0": "10.0.0.1", "1": "10.0.0.2"},
        "name": ["a", "b"], "resource.1.ip": "10.0.0.2",
    }
    wanted = frozenset({("attributes", "ip")})
    assert group_attribute("refs", outputs, wanted) == ["r0", "r1"]
    assert group_attribute("attributes", outputs, wanted) == {
        "ip": {"0": "10.0.0.1", "1": "10.0.0.2"}
    }
    assert group_attribute("resource.1", outputs, wanted) == "r1"
    assert group_attribute("resource.5", outputs, wanted) is None
    assert group_attribute("resource.1.ip", outputs, wanted) == "10.0.0.2"
    assert group_attribute("name", outputs, wanted) == ["a", "b"]
