"""Which plugin class and schema run a resource of a given type in a given stack.

Most types are in the registry; a type naming a provider template (a file,
or a resource_registry entry mapping to one) runs as a nested stack.
"""

from __future__ import annotations

from calor.resources.base import Resource
from calor.resources.registry import ResourceTypeRegistry
from calor.template.resource_types import ResourceTypeSchema
from calor.template.stack_definition import StackDefinition


def resolve_type(
    registry: ResourceTypeRegistry, definition: StackDefinition | None, type_name: str
) -> tuple[type[Resource], ResourceTypeSchema] | None:
    """The class and schema for ``type_name`` (None when the type is unknown)."""
    cls = registry.get_class(type_name)
    schema = registry.get(type_name)
    if cls is None or schema is None:
        return None
    return cls, schema
