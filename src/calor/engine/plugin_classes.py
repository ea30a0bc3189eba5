"""Which plugin class and schema run a resource of a given type in a given stack.

Most types are in the registry, maybe behind a resource_registry alias; a
type naming a provider template (a file, or a resource_registry entry
mapping to one) runs as a nested stack, with a schema made from the
template (parameters as properties, outputs as attributes).

Types whose attributes go beyond their schema and come from a child stack
(a group's ``resource.0.name``, a CloudFormation stack's ``Outputs.X``)
get the attributes the stack reads of them added to their schema, so the
worker computes and passes on exactly those. What a definition resolves to
is worked out once per definition and kept while the definition lives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from calor.resources.base import Resource
from calor.resources.nested import AttributeReference, StackResource
from calor.resources.registry import ResourceTypeRegistry
from calor.resources.template_resource import TemplateResource
from calor.template import function
from calor.template.errors import TemplateError
from calor.template.functions import cfn
from calor.template.functions.references import ALL_ATTRIBUTES, GetAttThenSelect
from calor.template.provider import ProviderTemplate, load_provider
from calor.template.resource_registry import RegistryEntry, is_template_name
from calor.template.resource_types import ResourceTypeSchema
from calor.template.schema import AttributeSchema
from calor.template.stack_definition import StackDefinition

Resolved = tuple[type[Resource], ResourceTypeSchema]

#: What each stack definition's types resolved to. Definitions are never
#: changed once built, and the worker keeps one per stored template, so
#: this only saves recomputing; entries go with their definitions.
_RESOLVED: WeakKeyDictionary[StackDefinition, dict[str, Resolved | None]] = WeakKeyDictionary()


def resolve_type(
    registry: ResourceTypeRegistry, definition: StackDefinition | None, type_name: str,
    *, resource_name: str | None = None,
) -> Resolved | None:
    """The class and schema for ``type_name`` (None when the type is unknown).

    ``resource_name``, when given, lets a per-resource entry of the
    resource_registry (``resources: {web: {My::Server: web.yaml}}``) apply.
    """
    if definition is None:
        return _plugin(registry, type_name)
    registry_of_stack = definition.environment.resource_registry
    if resource_name is not None and registry_of_stack.has_resource_entry(resource_name):
        return _resolve(registry, definition, type_name, resource_name)
    known = _RESOLVED.setdefault(definition, {})
    if type_name not in known:
        known[type_name] = _resolve(registry, definition, type_name, None)
    return known[type_name]


def _plugin(registry: ResourceTypeRegistry, type_name: str) -> Resolved | None:
    cls = registry.get_class(type_name)
    schema = registry.get(type_name)
    if cls is None or schema is None:
        return None
    return cls, schema


def _resolve(
    registry: ResourceTypeRegistry, definition: StackDefinition, type_name: str,
    resource_name: str | None,
) -> Resolved | None:
    try:
        entry = definition.environment.resource_registry.lookup(
            type_name, resource_name, is_known_type=lambda t: registry.get(t) is not None
        )
    except TemplateError:
        return None
    final = type_name
    if entry is not None:
        if entry.kind == "template":
            return _provider(definition, type_name, entry.target, entry)
        final = entry.target
    if is_template_name(final):
        return _provider(definition, type_name, final, None)
    found = _plugin(registry, final)
    if found is None:
        return None
    cls, schema = found
    if final != type_name:
        # The resource keeps the type its template names (an update compares it).
        schema = dataclasses.replace(schema, type_name=type_name)
    if issubclass(cls, StackResource) and schema.accepts_any_attribute:
        return _reading_attributes(cls, schema, definition)
    return cls, schema


def _provider(
    definition: StackDefinition, type_name: str, template_name: str, entry: RegistryEntry | None
) -> Resolved | None:
    try:
        provider = load_provider(definition, template_name, (), entry)
    except TemplateError:
        return None
    properties = provider.properties_schema()
    attributes = {name: AttributeSchema(_output_description(provider, name))
                  for name in sorted(provider.attribute_names() - {"show"})}
    cls = type(
        "TemplateResource", (TemplateResource,),
        {
            "type_name": type_name,
            "properties_schema": properties,
            "attributes_schema": attributes,
            "template": provider.template.data,
            "template_name": template_name,
            "registry_entry": entry,
        },
    )
    schema = ResourceTypeSchema(
        type_name=type_name, properties=properties, attributes=attributes,
        description=provider.template.description, plugin_name="TemplateResource",
    )
    return cls, schema


def _output_description(provider: ProviderTemplate, name: str) -> str | None:
    outputs = provider.template.outputs
    body = outputs.get(name) if isinstance(outputs, Mapping) else None
    found = body.get("description") if isinstance(body, Mapping) else None
    return found if isinstance(found, str) else None


def _reading_attributes(
    cls: type[StackResource], schema: ResourceTypeSchema, definition: StackDefinition
) -> Resolved:
    """``cls`` and ``schema`` widened by the attributes ``definition`` reads of this type."""
    of_type = {
        name for name, rdef in definition.resources.items() if rdef.type == schema.type_name
    }
    references = {
        name: refs for name, refs in referenced_attributes(definition).items() if name in of_type
    }
    extra = {
        str(ref[0]): AttributeSchema("An attribute of the nested stack's resources.")
        for refs in references.values()
        for ref in refs
        if isinstance(ref[0], str) and ref[0] not in schema.attributes
    }
    widened = dataclasses.replace(schema, attributes={**schema.attributes, **extra})
    subclass = type(cls.__name__, (cls,), {"referenced_attributes": references})
    return subclass, widened


def referenced_attributes(
    definition: StackDefinition,
) -> dict[str, frozenset[AttributeReference]]:
    """Every ``get_attr`` of the stack whose resource and attribute are known up front.

    By resource name: ``(attribute, *path)``, the path cut where a part is
    only known at run time (as Heat's ``referenced_attrs``).
    """
    found: dict[str, set[AttributeReference]] = {}
    for rdef in definition.resources.values():
        for snippet in (rdef.properties, rdef.metadata):
            for name, ref in _get_attrs(function.functions_in(snippet)):
                found.setdefault(name, set()).add(ref)
    for output in definition.outputs.values():
        for name, ref in _get_attrs(function.functions_in(output.value)):
            found.setdefault(name, set()).add(ref)
    return {name: frozenset(refs) for name, refs in found.items()}


def _get_attrs(functions: Iterable[Any]) -> Iterator[tuple[str, AttributeReference]]:
    for fn in functions:
        # HOT's get_attr (with a path) and CloudFormation's Fn::GetAtt.
        if not isinstance(fn, (GetAttThenSelect, cfn.GetAtt)):
            continue
        name, attribute = fn.resource_name, fn.attribute
        if not isinstance(name, str) or not isinstance(attribute, str):
            continue
        if attribute == ALL_ATTRIBUTES:
            continue
        path: list[Any] = []
        for part in getattr(fn, "attr_path", ()):
            if not isinstance(part, (str, int)):
                break
            path.append(part)
        yield name, (attribute, *path)
