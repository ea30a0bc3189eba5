"""The resource type registry: registration checks, look-ups, listings, entry points."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import calor.resources
from calor.resources import PluginValidationError, Resource, ResourceTypeRegistry, default_registry
from calor.template.constraints import Range
from calor.template.schema import (
    AttributeSchema,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

BUILT_IN = [
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::AutoScaling::LaunchConfiguration",
    "AWS::AutoScaling::ScalingPolicy",
    "AWS::CloudFormation::Stack",
    "AWS::CloudFormation::WaitCondition",
    "AWS::CloudFormation::WaitConditionHandle",
    "AWS::IAM::AccessKey",
    "AWS::IAM::User",
    "OS::Cinder::Volume",
    "OS::Cinder::VolumeAttachment",
    "OS::Glance::WebImage",
    "OS::Heat::AccessPolicy",
    "OS::Heat::AutoScalingGroup",
    "OS::Heat::CloudConfig",
    "OS::Heat::Delay",
    "OS::Heat::DeployedServer",
    "OS::Heat::InstanceGroup",
    "OS::Heat::MultipartMime",
    "OS::Heat::None",
    "OS::Heat::RandomString",
    "OS::Heat::ResourceChain",
    "OS::Heat::ResourceGroup",
    "OS::Heat::ScalingPolicy",
    "OS::Heat::SoftwareComponent",
    "OS::Heat::SoftwareConfig",
    "OS::Heat::SoftwareDeployment",
    "OS::Heat::SoftwareDeploymentGroup",
    "OS::Heat::Stack",
    "OS::Heat::StructuredConfig",
    "OS::Heat::StructuredDeployment",
    "OS::Heat::StructuredDeploymentGroup",
    "OS::Heat::SwiftSignal",
    "OS::Heat::SwiftSignalHandle",
    "OS::Heat::TestResource",
    "OS::Heat::UpdateWaitConditionHandle",
    "OS::Heat::Value",
    "OS::Heat::WaitCondition",
    "OS::Heat::WaitConditionHandle",
    "OS::Neutron::FloatingIP",
    "OS::Neutron::FloatingIPAssociation",
    "OS::Neutron::Net",
    "OS::Neutron::Port",
    "OS::Neutron::Router",
    "OS::Neutron::RouterInterface",
    "OS::Neutron::SecurityGroup",
    "OS::Neutron::SecurityGroupRule",
    "OS::Neutron::Subnet",
    "OS::Nova::Flavor",
    "OS::Nova::KeyPair",
    "OS::Nova::Server",
    "OS::Nova::ServerGroup",
    "OS::Swift::Container",
]


class Widget(Resource):
    """Makes widgets.

    More words that the description leaves out.
    """

    type_name = "My::Widget::Thing"
    properties_schema = {"size": PropertySchema(PropertyType.INTEGER, default=1)}


class Undocumented(Resource):
    type_name = "My::Widget::Plain"


def test_package_exports_its_public_names() -> None:
    assert calor.resources.__all__ == [
        "ENTRY_POINT_GROUP",
        "PluginValidationError",
        "Resource",
        "ResourceTypeRegistry",
        "default_registry",
    ]


def test_default_registry_holds_every_built_in_type_sorted() -> None:
    assert default_registry().list_types() == BUILT_IN


def test_default_registry_is_new_each_time() -> None:
    first = default_registry()
    first.register(Widget)
    assert "My::Widget::Thing" not in default_registry()


def test_get_returns_the_schema_of_a_registered_type() -> None:
    registry = ResourceTypeRegistry([Widget])
    schema = registry.get("My::Widget::Thing")
    assert schema is not None
    assert list(schema.properties) == ["size"]
    assert registry.get_class("My::Widget::Thing") is Widget


def test_get_of_an_unknown_type_is_none() -> None:
    registry = ResourceTypeRegistry()
    assert registry.get("OS::Nova::Server") is None
    assert registry.get_class("OS::Nova::Server") is None


def test_register_returns_the_plugin_so_it_serves_as_a_decorator() -> None:
    registry = ResourceTypeRegistry()

    @registry.register
    class Gadget(Resource):
        type_name = "My::Gadget::Thing"

    assert registry.get_class("My::Gadget::Thing") is Gadget


def test_description_is_the_first_docstring_line() -> None:
    assert Widget.type_schema().description == "Makes widgets."


def test_type_without_docstring_says_no_description_is_available() -> None:
    assert Undocumented.type_schema().description == "No description available"


def test_generated_template_names_its_resource_after_the_plugin_class() -> None:
    assert list(Widget.type_schema().generate_template("hot")["resources"]) == ["Widget"]


# -- registration checks ---------------------------------------------------


def test_register_refuses_what_is_not_a_resource_plugin() -> None:
    with pytest.raises(PluginValidationError) as caught:
        ResourceTypeRegistry().register(dict)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Resource plugin builtins.dict is invalid: not a subclass of calor.resources.Resource"
    )


def test_register_refuses_a_plugin_without_type_name() -> None:
    class Nameless(Resource):
        pass

    with pytest.raises(PluginValidationError, match="it declares no type_name"):
        ResourceTypeRegistry().register(Nameless)


@pytest.mark.parametrize("name", ["Widget", "My::Widget", "My::Widget::", "1A::B::C", "A:B:C"])
def test_register_refuses_a_malformed_type_name(name: str) -> None:
    plugin = type("Bad", (Resource,), {"type_name": name})
    with pytest.raises(PluginValidationError) as caught:
        ResourceTypeRegistry().register(plugin)
    assert caught.value.problems == (
        f"type name {name!r} is not of the form Namespace::Service::Type",
    )


def test_register_accepts_type_names_with_more_parts() -> None:
    plugin = type("Lb", (Resource,), {"type_name": "OS::Neutron::LBaaS::LoadBalancer"})
    assert ResourceTypeRegistry([plugin]).list_types() == ["OS::Neutron::LBaaS::LoadBalancer"]


def test_register_refuses_a_second_plugin_for_the_same_type() -> None:
    registry = ResourceTypeRegistry([Widget])
    again = type("Again", (Resource,), {"type_name": "My::Widget::Thing"})
    with pytest.raises(PluginValidationError) as caught:
        registry.register(again)
    assert str(caught.value) == (
        f"Resource plugin {__name__}.Again (My::Widget::Thing) is invalid: "
        f"type My::Widget::Thing is already registered by {__name__}.Widget"
    )


def test_register_names_the_plugin_and_type_of_a_malformed_schema() -> None:
    class Broken(Resource):
        type_name = "My::Broken::Thing"
        properties_schema = {
            "count": PropertySchema(PropertyType.INTEGER, default="many"),
            "name": PropertySchema(PropertyType.STRING, constraints=[Range(min=1)]),
        }
        update_policy_schema = {
            "batch": PropertySchema(PropertyType.INTEGER, required=True, default=1),
        }
        attributes_schema = {"*": AttributeSchema()}

    with pytest.raises(PluginValidationError) as caught:
        ResourceTypeRegistry().register(Broken)
    error = caught.value
    assert (error.plugin, error.type_name) == (Broken, "My::Broken::Thing")
    assert error.problems == (
        "property count: Invalid default many (Value 'many' is not an integer)",
        "property name: Range constraint invalid for String",
        "update policy batch: Option 'required=True' should not be used with any "
        "'default' value (1)",
        "Invalid attribute name '*'",
    )
    assert str(error).startswith(
        f"Resource plugin {Broken.__module__}.{Broken.__qualname__} (My::Broken::Thing) "
        "is invalid: property count: "
    )


def test_refused_plugin_is_not_registered() -> None:
    bad = type(
        "Bad",
        (Resource,),
        {
            "type_name": "My::Bad::Thing",
            "properties_schema": {"x": PropertySchema(PropertyType.BOOLEAN, default="maybe")},
        },
    )
    registry = ResourceTypeRegistry()
    with pytest.raises(PluginValidationError):
        registry.register(bad)
    assert "My::Bad::Thing" not in registry


# -- listings ----------------------------------------------------------------


def test_name_filter_is_a_regular_expression_matched_from_the_start() -> None:
    registry = default_registry()
    assert registry.list_types(name_filter="OS::Heat::Wait") == [
        "OS::Heat::WaitCondition",
        "OS::Heat::WaitConditionHandle",
    ]
    assert registry.list_types(name_filter=".*Config$") == [
        "OS::Heat::CloudConfig",
        "OS::Heat::SoftwareConfig",
        "OS::Heat::StructuredConfig",
    ]
    assert registry.list_types(name_filter="Random") == []


def test_invalid_name_filter_matches_nothing() -> None:
    assert default_registry().list_types(name_filter="(") == []


def test_version_filter_matches_the_support_status_version() -> None:
    assert default_registry().list_types(version="2014.2") == [
        "OS::Heat::SoftwareComponent",
        "OS::Heat::SwiftSignal",
        "OS::Heat::SwiftSignalHandle",
        "OS::Heat::WaitCondition",
        "OS::Heat::WaitConditionHandle",
        "OS::Nova::Flavor",
        "OS::Nova::ServerGroup",
    ]


def test_support_status_filter() -> None:
    assert default_registry().list_types(support_status="DEPRECATED") == []
    assert len(default_registry().list_types(support_status="SUPPORTED")) == len(BUILT_IN)


def test_unknown_support_status_filter_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        default_registry().list_types(support_status="GONE")
    assert str(caught.value) == (
        "Invalid support status and should be one of "
        "('UNKNOWN', 'SUPPORTED', 'DEPRECATED', 'UNSUPPORTED', 'HIDDEN')"
    )


def test_hidden_types_are_listed_only_on_request() -> None:
    hidden = type(
        "Old",
        (Resource,),
        {"type_name": "My::Old::Thing", "support_status": SupportStatus(Support.HIDDEN)},
    )
    registry = ResourceTypeRegistry([hidden, Widget])
    assert registry.list_types() == ["My::Widget::Thing"]
    assert registry.list_types(with_hidden=True) == ["My::Old::Thing", "My::Widget::Thing"]
    assert registry.get("My::Old::Thing") is not None


# -- entry points ------------------------------------------------------------


def test_plugins_published_under_the_entry_point_group_are_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "calor_sample_plugin.py").write_text(
        textwrap.dedent(
            '''
            from calor.resources import Resource

            class Sprocket(Resource):
                """Turns."""

                type_name = "Sample::Sprocket::Thing"
            '''
        )
    )
    dist = tmp_path / "calor_sample_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: calor-sample-plugin\n"
                                   "Version: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[calor.resources]\nsprocket = calor_sample_plugin:Sprocket\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "calor_sample_plugin", raising=False)

    registry = ResourceTypeRegistry()
    assert registry.load_entry_points() == ["Sample::Sprocket::Thing"]
    schema = registry.get("Sample::Sprocket::Thing")
    assert schema is not None
    assert schema.description == "Turns."
