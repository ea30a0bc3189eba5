"""The resource_registry: type aliases, provider templates, globs and per-resource settings."""

from __future__ import annotations

import pytest

from calor.template.errors import EnvironmentError_
from calor.template.resource_registry import RegistryEntry, ResourceRegistry

HOOK_TYPES_TEXT = (
    "('pre-create', 'pre-update', 'pre-delete', 'post-create', 'post-update', 'post-delete')"
)


def resolve(registry: ResourceRegistry, type_name: str, name: str | None = None) -> RegistryEntry:
    entry = registry.lookup(type_name, name)
    assert entry is not None
    return entry


# -- type mappings ---------------------------------------------------------


def test_unmapped_type_resolves_to_itself() -> None:
    entry = resolve(ResourceRegistry(), "OS::Nova::Server")
    assert (entry.kind, entry.target, entry.chain, entry.path) == (
        "type",
        "OS::Nova::Server",
        ("OS::Nova::Server",),
        (),
    )


def test_alias_maps_one_type_to_another() -> None:
    registry = ResourceRegistry({"OS::Networking::FloatingIP": "OS::Neutron::FloatingIP"})
    entry = resolve(registry, "OS::Networking::FloatingIP")
    assert (entry.kind, entry.target) == ("type", "OS::Neutron::FloatingIP")


def test_alias_chain_is_followed_and_recorded() -> None:
    registry = ResourceRegistry({"My::A": "My::B", "My::B": "My::C", "My::C": "c.yaml"})
    entry = resolve(registry, "My::A")
    assert entry.kind == "template"
    assert entry.template_name == "c.yaml"
    assert entry.chain == ("My::A", "My::B", "My::C")
    assert entry.type_name == "My::C"
    assert entry.path == ("My::C",)


def test_value_ending_in_template_makes_a_provider_template() -> None:
    registry = ResourceRegistry({"OS::Loadbalancer": "lb.template"})
    entry = resolve(registry, "OS::Loadbalancer")
    assert (entry.kind, entry.target, entry.user) == ("template", "lb.template", True)


def test_url_with_yaml_suffix_is_a_provider_template() -> None:
    registry = ResourceRegistry({"My::Db": "https://example.com/db.yaml"})
    assert resolve(registry, "My::Db").target == "https://example.com/db.yaml"


def test_key_ending_in_yaml_is_its_own_template_whatever_the_value() -> None:
    registry = ResourceRegistry({"db.yaml": "other.yaml"})
    assert resolve(registry, "db.yaml").target == "db.yaml"


def test_template_named_type_is_a_template_in_a_user_registry() -> None:
    entry = resolve(ResourceRegistry(), "nested.yaml")
    assert (entry.kind, entry.target, entry.path, entry.user) == (
        "template",
        "nested.yaml",
        ("nested.yaml",),
        True,
    )


def test_template_named_type_is_not_a_template_in_the_global_registry() -> None:
    assert resolve(ResourceRegistry(is_global=True), "nested.yaml").kind == "type"


def test_lookup_does_not_register_template_named_types() -> None:
    registry = ResourceRegistry()
    registry.lookup("nested.yaml")
    assert registry.to_dict() == {"resources": {}}


def test_register_template_type_shows_in_to_dict() -> None:
    registry = ResourceRegistry()
    registry.register_template_type("nested.yaml")
    assert registry.to_dict() == {"resources": {}, "nested.yaml": "nested.yaml"}


# -- globs -------------------------------------------------------------------


def test_glob_rewrites_the_prefix() -> None:
    registry = ResourceRegistry({"OS::Quantum*": "OS::Neutron*"})
    entry = resolve(registry, "OS::Quantum::Net")
    assert entry.target == "OS::Neutron::Net"
    assert entry.chain == ("OS::Quantum::Net", "OS::Neutron::Net")


def test_glob_maps_many_types_to_heat_none() -> None:
    registry = ResourceRegistry({"OS::Nova::*": "OS::Heat::None"})
    assert resolve(registry, "OS::Nova::Server").target == "OS::Heat::None"
    assert resolve(registry, "OS::Nova::KeyPair").target == "OS::Heat::None"


def test_many_to_one_glob_does_not_catch_its_own_target() -> None:
    registry = ResourceRegistry({"OS::*": "OS::Heat::None"})
    assert resolve(registry, "OS::Some::Name").target == "OS::Heat::None"
    assert resolve(registry, "OS::Heat::None").chain == ("OS::Heat::None",)


def test_glob_leaves_types_outside_its_prefix_alone() -> None:
    registry = ResourceRegistry({"OS::Nova::*": "OS::Heat::None"})
    assert resolve(registry, "OS::Cinder::Volume").target == "OS::Cinder::Volume"


def test_glob_beats_an_exact_name_that_sorts_after_it_as_in_heat() -> None:
    # Heat orders entries of one registry by path text, and '*' sorts first.
    registry = ResourceRegistry({"OS::Nova::Server": "Exact::Server", "OS::Nova::*": "Glob::*"})
    assert resolve(registry, "OS::Nova::Server").target == "Glob::Server"


def test_glob_to_template_is_only_an_exact_entry() -> None:
    registry = ResourceRegistry({"My::*": "all.yaml"})
    assert resolve(registry, "My::Thing").kind == "type"
    assert resolve(registry, "My::*").target == "all.yaml"


# -- null deletes ------------------------------------------------------------------


def test_null_deletes_a_mapping_loaded_earlier() -> None:
    registry = ResourceRegistry({"My::A": "a.yaml", "My::B": "b.yaml"})
    registry.load({"My::A": None})
    assert resolve(registry, "My::A").kind == "type"
    assert registry.to_dict() == {"resources": {}, "My::B": "b.yaml"}


def test_null_glob_deletes_every_matching_mapping() -> None:
    registry = ResourceRegistry({"AWS::A": "a.yaml", "AWS::B": "b.yaml", "OS::C": "c.yaml"})
    registry.load({"AWS::*": None})
    assert registry.to_dict() == {"resources": {}, "OS::C": "c.yaml"}


def test_null_for_a_per_resource_mapping_deletes_only_that_entry() -> None:
    registry = ResourceRegistry({"resources": {"web": {"My::A": "a.yaml", "hooks": "pre-create"}}})
    registry.load({"resources": {"web": {"My::A": None}}})
    assert registry.to_dict() == {"resources": {"web": {"hooks": "pre-create"}}}


def test_null_resources_clears_every_per_resource_entry() -> None:
    registry = ResourceRegistry({"resources": {"web": {"hooks": "pre-create"}}})
    registry.load({"resources": None})
    assert registry.to_dict() == {"resources": {}}
    assert registry.hooks_for("web") == frozenset()


def test_user_null_cannot_disable_a_global_mapping() -> None:
    global_registry = ResourceRegistry({"OS::Quantum*": "OS::Neutron*"}, is_global=True)
    user = ResourceRegistry({"OS::Quantum*": None}, parent=global_registry)
    assert resolve(user, "OS::Quantum::Net").target == "OS::Neutron::Net"


def test_global_null_disables_a_plugin() -> None:
    global_registry = ResourceRegistry({"AWS::*": None}, is_global=True)
    user = ResourceRegistry(parent=global_registry)
    assert user.lookup("AWS::EC2::Instance") is None
    assert resolve(user, "OS::Nova::Server").target == "OS::Nova::Server"


def test_overlay_replays_deletions() -> None:
    existing = ResourceRegistry({"My::A": "a.yaml", "My::B": "b.yaml"})
    existing.overlay(ResourceRegistry({"My::A": None, "My::C": "c.yaml"}))
    assert existing.to_dict() == {"resources": {}, "My::B": "b.yaml", "My::C": "c.yaml"}


# -- precedence ------------------------------------------------------------------


def test_per_resource_mapping_beats_the_type_mapping() -> None:
    registry = ResourceRegistry(
        {
            "OS::Networking::FloatingIP": "OS::Nova::FloatingIP",
            "resources": {"my_fip": {"OS::Networking::FloatingIP": "ip.yaml"}},
        }
    )
    entry = resolve(registry, "OS::Networking::FloatingIP", "my_fip")
    assert (entry.target, entry.path) == (
        "ip.yaml",
        ("resources", "my_fip", "OS::Networking::FloatingIP"),
    )
    assert resolve(registry, "OS::Networking::FloatingIP", "other").target == (
        "OS::Nova::FloatingIP"
    )


def test_per_resource_mapping_needs_the_exact_resource_name() -> None:
    registry = ResourceRegistry({"resources": {"web*": {"My::A": "a.yaml"}}})
    assert resolve(registry, "My::A", "web1").kind == "type"


def test_per_resource_mapping_applies_after_an_alias() -> None:
    registry = ResourceRegistry({"My::A": "My::B", "resources": {"x": {"My::B": "b.yaml"}}})
    assert resolve(registry, "My::A", "x").target == "b.yaml"


def test_user_mapping_beats_global_mapping() -> None:
    global_registry = ResourceRegistry({"My::A": "global.yaml"}, is_global=True)
    user = ResourceRegistry({"My::A": "user.yaml"}, parent=global_registry)
    assert resolve(user, "My::A").target == "user.yaml"


def test_global_mapping_applies_when_the_user_has_none() -> None:
    global_registry = ResourceRegistry(
        {"AWS::RDS::DBInstance": "file:///t/rds.yaml"}, is_global=True
    )
    user = ResourceRegistry(parent=global_registry)
    entry = resolve(user, "AWS::RDS::DBInstance")
    assert (entry.target, entry.user) == ("file:///t/rds.yaml", False)


def test_global_alias_resolves_only_among_global_entries() -> None:
    global_registry = ResourceRegistry({"OS::Old": "OS::New"}, is_global=True)
    user = ResourceRegistry({"OS::New": "user.yaml"}, parent=global_registry)
    assert resolve(user, "OS::Old").target == "OS::New"


def test_user_alias_reaches_global_entries() -> None:
    global_registry = ResourceRegistry({"OS::New": "global.yaml"}, is_global=True)
    user = ResourceRegistry({"OS::Old": "OS::New"}, parent=global_registry)
    assert resolve(user, "OS::Old").target == "global.yaml"


def test_mapping_to_an_unknown_type_falls_back_to_the_next_candidate() -> None:
    registry = ResourceRegistry({"OS::Nova::*": "Gone::*", "OS::Nova::Server": "Also::Gone"})
    known = {"OS::Nova::Server"}.__contains__
    entry = registry.lookup("OS::Nova::Server", is_known_type=known)
    assert entry is not None
    assert (entry.kind, entry.target) == ("type", "OS::Nova::Server")


def test_lookup_of_an_unknown_type_is_none() -> None:
    assert ResourceRegistry().lookup("OS::Nope", is_known_type=lambda name: False) is None


def test_kind_filter_skips_results_of_another_kind() -> None:
    registry = ResourceRegistry({"My::A": "My::B"})
    assert registry.lookup("My::A", kind="template") is None


def test_ignore_gives_what_the_type_is_without_its_provider_template() -> None:
    registry = ResourceRegistry({"OS::Nova::Server": "server.yaml"})
    provider = resolve(registry, "OS::Nova::Server", "web")
    facade = registry.lookup("OS::Nova::Server", "web", ignore=provider)
    assert facade is not None
    assert (facade.kind, facade.target) == ("type", "OS::Nova::Server")


def test_alias_loop_is_an_error() -> None:
    registry = ResourceRegistry({"My::A": "My::B", "My::B": "My::A"})
    with pytest.raises(EnvironmentError_) as info:
        registry.lookup("My::A")
    assert str(info.value) == (
        'resource_registry.My::B: Resource type "My::A" is mapped in a loop: '
        "My::A -> My::B -> My::A"
    )


def test_self_alias_is_an_error() -> None:
    with pytest.raises(EnvironmentError_, match="mapped in a loop: My::A -> My::A"):
        ResourceRegistry({"My::A": "My::A"}).lookup("My::A")


def test_glob_that_keeps_renaming_is_an_error() -> None:
    with pytest.raises(EnvironmentError_, match="does not resolve within 50 mappings"):
        ResourceRegistry({"A*": "AB*"}).lookup("Ax")


# -- hooks and restricted actions ---------------------------------------------------


def test_hook_given_as_a_string() -> None:
    registry = ResourceRegistry({"resources": {"web": {"hooks": "pre-create"}}})
    assert registry.hooks_for("web") == frozenset({"pre-create"})
    assert registry.matches_hook("web", "pre-create")
    assert not registry.matches_hook("web", "pre-update")


def test_hooks_given_as_a_list() -> None:
    registry = ResourceRegistry({"resources": {"web": {"hooks": ["pre-update", "post-delete"]}}})
    assert registry.hooks_for("web") == frozenset({"pre-update", "post-delete"})


def test_hooks_of_every_matching_pattern_add_up() -> None:
    registry = ResourceRegistry(
        {
            "resources": {
                "prefix_*": {"hooks": "pre-create"},
                "*_suffix": {"hooks": "pre-update"},
                "*": {"hooks": "pre-delete"},
            }
        }
    )
    assert registry.hooks_for("prefix_a_suffix") == frozenset(
        {"pre-create", "pre-update", "pre-delete"}
    )
    assert registry.hooks_for("some_prefix") == frozenset({"pre-delete"})


def test_hooks_of_a_nested_resource_do_not_apply_in_the_parent() -> None:
    registry = ResourceRegistry({"resources": {"nested": {"res": {"hooks": "pre-create"}}}})
    assert registry.hooks_for("res") == frozenset()
    assert registry.hooks_for("nested") == frozenset()


def test_unknown_hook_type_is_an_error_in_heats_words() -> None:
    with pytest.raises(EnvironmentError_) as info:
        ResourceRegistry({"resources": {"a": {"hooks": "invalid-type"}}})
    assert info.value.message == (
        'Invalid hook type "invalid-type" for resource breakpoint, '
        f"acceptable hook types are: {HOOK_TYPES_TEXT}"
    )
    assert info.value.path == ("resource_registry", "resources", "a", "hooks")


def test_unknown_hook_in_a_list_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        ResourceRegistry({"resources": {"a": {"hooks": ["pre-create", "later"]}}})
    assert info.value.message.startswith(
        "Invalid hook type \"['pre-create', 'later']\" for resource breakpoint"
    )


def test_restricted_actions_given_as_a_string_and_a_list() -> None:
    registry = ResourceRegistry(
        {
            "resources": {
                "db": {"restricted_actions": "replace"},
                "web*": {"restricted_actions": ["update", "replace"]},
            }
        }
    )
    assert registry.restricted_actions_for("db") == frozenset({"replace"})
    assert registry.restricted_actions_for("web1") == frozenset({"update", "replace"})
    assert registry.restricted_actions_for("other") == frozenset()


def test_unknown_restricted_action_is_an_error_in_heats_words() -> None:
    with pytest.raises(EnvironmentError_) as info:
        ResourceRegistry({"resources": {"a": {"restricted_actions": "delete"}}})
    assert str(info.value) == (
        "resource_registry.resources.a.restricted_actions: "
        'Invalid restricted_action type "delete" for resource, '
        "acceptable restricted_action types are: ('update', 'replace')"
    )


# -- child registries ---------------------------------------------------------------


def nested_registry() -> ResourceRegistry:
    return ResourceRegistry(
        {
            "OS::Food": "fruity.yaml",
            "resources": {
                "a": {"OS::Fruit": "apples.yaml", "hooks": "pre-create"},
                "nested": {
                    "b": {"OS::Fruit": "carrots.yaml"},
                    "nested_res": {"hooks": "pre-create"},
                },
            },
        }
    )


def test_child_registry_addresses_nested_resources_by_their_own_names() -> None:
    child = nested_registry().child("nested")
    assert child.hooks_for("nested_res") == frozenset({"pre-create"})
    assert resolve(child, "OS::Fruit", "b").target == "carrots.yaml"


def test_child_registry_keeps_type_mappings_and_drops_siblings_entries() -> None:
    child = nested_registry().child("nested")
    assert resolve(child, "OS::Food", "abc").target == "fruity.yaml"
    assert resolve(child, "OS::Fruit", "a").kind == "type"
    assert child.hooks_for("a") == frozenset()


def test_child_registry_takes_entries_of_matching_wildcards() -> None:
    registry = ResourceRegistry(
        {
            "resources": {
                "nest*": {"res": {"hooks": "pre-create"}},
                "*_other": {"other_res": {"hooks": "pre-create"}},
            }
        }
    )
    child = registry.child("nested")
    assert child.hooks_for("res") == frozenset({"pre-create"})
    assert child.hooks_for("other_res") == frozenset()


def test_child_registry_prefers_the_exact_entry_over_wildcards() -> None:
    registry = ResourceRegistry(
        {
            "resources": {
                "res*": {"hooks": "pre-create"},
                "resource": {"OS::Fruit": "carrots.yaml", "hooks": "pre-update"},
                "*source": {"hooks": "pre-create"},
            }
        }
    )
    # The matched entries' own settings land in the child's subtree, as in Heat.
    assert registry.child("resource").to_dict()["resources"] == {
        "hooks": "pre-update",
        "OS::Fruit": "carrots.yaml",
    }


def test_child_registry_drops_the_provider_template_that_made_it() -> None:
    registry = ResourceRegistry(
        {"OS::Food": "fruity.yaml", "resources": {"abc": {"OS::Food": "nutty.yaml"}}}
    )
    provider = resolve(registry, "OS::Food", "abc")
    child = registry.child(provider=provider)
    assert resolve(child, "OS::Food", "abc").path == ("OS::Food",)
    assert resolve(registry, "OS::Food", "abc").path == ("resources", "abc", "OS::Food")


def test_child_registry_keeps_the_global_parent() -> None:
    global_registry = ResourceRegistry({"OS::Quantum*": "OS::Neutron*"}, is_global=True)
    child = ResourceRegistry(parent=global_registry).child("nested")
    assert child.parent is global_registry
    assert resolve(child, "OS::Quantum::Port").target == "OS::Neutron::Port"


# -- reading back ---------------------------------------------------------------------


def test_template_types_lists_every_provider_template_mapping() -> None:
    registry = ResourceRegistry(
        {"My::A": "a.yaml", "My::B": "My::A", "resources": {"web": {"My::C": "c.yaml"}}}
    )
    found = {(entry.path, entry.target) for entry in registry.template_types()}
    assert found == {(("My::A",), "a.yaml"), (("resources", "web", "My::C"), "c.yaml")}


def test_to_dict_round_trips() -> None:
    snippet = {
        "resources": {"web": {"hooks": ["pre-create"], "OS::Nova::Server": "s.yaml"}},
        "OS::Quantum*": "OS::Neutron*",
        "My::A": "My::B",
    }
    assert ResourceRegistry(ResourceRegistry(snippet).to_dict()).to_dict() == snippet


def test_mapping_to_a_number_is_an_error() -> None:
    with pytest.raises(EnvironmentError_) as info:
        ResourceRegistry({"My::A": 5})
    assert str(info.value) == (
        'resource_registry.My::A: "My::A" must map to a resource type or a template name, not 5'
    )


def test_resources_that_is_not_a_map_is_an_error() -> None:
    with pytest.raises(EnvironmentError_, match='"resources" in the resource registry must be'):
        ResourceRegistry({"resources": "web"})


def test_registry_that_is_not_a_map_is_an_error() -> None:
    with pytest.raises(EnvironmentError_, match='"resource_registry" must be a map'):
        ResourceRegistry(["My::A"])  # type: ignore[arg-type]
