"""Which class and schema run a type: provider templates, aliases, group attributes."""

from __future__ import annotations

import textwrap

from calor.engine.plugin_classes import referenced_attributes, resolve_type
from calor.resources import default_registry
from calor.resources.heat import ResourceGroup
from calor.resources.nested import StackResource
from calor.resources.template_resource import TemplateResource
from calor.template.environment import Environment
from calor.template.loader import load_template
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template

PROVIDER = textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    parameters:
      size: {type: number, default: 1}
      name: {type: string}
    outputs:
      address: {value: x, description: where it is}
    """
)

TOP = textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    resources:
      web: {type: My::Server, properties: {name: w}}
      file: {type: box.yaml, properties: {name: f}}
      alias: {type: My::Nothing}
      group:
        type: OS::Heat::ResourceGroup
        properties: {resource_def: {type: OS::Heat::None}}
      copy:
        type: OS::Heat::Value
        properties: {value: {get_attr: [group, attributes, ip]}}
    outputs:
      first: {value: {get_attr: [group, resource.0.name, inner]}}
    """
)


def definition() -> StackDefinition:
    env = Environment.parse({"resource_registry": {"My::Server": "box.yaml",
                                                   "My::Nothing": "OS::Heat::None"}})
    return StackDefinition(Template(load_template(TOP), files={"box.yaml": PROVIDER}), env)


def test_a_template_type_runs_as_a_template_resource_with_the_templates_schema() -> None:
    found = resolve_type(default_registry(), definition(), "My::Server")
    assert found is not None
    cls, schema = found
    assert issubclass(cls, TemplateResource)
    assert cls.template_name == "box.yaml"
    assert schema.type_name == "My::Server"
    assert sorted(schema.properties) == ["name", "size"]
    assert schema.properties["name"].required and not schema.properties["size"].required
    assert sorted(schema.attributes) == ["address", "show"]
    assert schema.attributes["address"].description == "where it is"


def test_an_aliased_type_keeps_the_name_its_template_gives_it() -> None:
    found = resolve_type(default_registry(), definition(), "My::Nothing")
    assert found is not None
    assert found[0].type_name == "OS::Heat::None"
    assert found[1].type_name == "My::Nothing"


def test_an_unknown_type_resolves_to_nothing() -> None:
    assert resolve_type(default_registry(), definition(), "My::Unknown") is None
    assert resolve_type(default_registry(), definition(), "missing.yaml") is None


def test_a_group_learns_which_attributes_its_stack_reads_of_it() -> None:
    stack = definition()
    assert referenced_attributes(stack)["group"] == {("attributes", "ip"),
                                                     ("resource.0.name", "inner")}
    found = resolve_type(default_registry(), stack, "OS::Heat::ResourceGroup")
    assert found is not None
    cls, schema = found
    assert issubclass(cls, ResourceGroup) and issubclass(cls, StackResource)
    assert cls.referenced_attributes == {
        "group": frozenset({("attributes", "ip"), ("resource.0.name", "inner")})
    }
    assert "resource.0.name" in schema.attributes and "refs" in schema.attributes
    # The registered class is left as it was.
    assert ResourceGroup.referenced_attributes == {}
