"""Provider templates: a template used as a resource type.

A resource whose type is a template file (``type: server.yaml``, or a type
the resource_registry maps to one) is a nested stack. The template's
parameters are the resource's properties, its outputs are the resource's
attributes (plus ``show``), and its text comes from the files map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from calor.template import function
from calor.template.errors import StackValidationFailed, TemplateError
from calor.template.parameters import ParameterSchema
from calor.template.resource_registry import RegistryEntry
from calor.template.schema import PropertySchema, PropertyType
from calor.template.template import Template
from calor.template.types import Path

if TYPE_CHECKING:
    from calor.template.stack_definition import StackDefinition

_PROPERTY_TYPES = {
    "string": PropertyType.STRING,
    "number": PropertyType.NUMBER,
    "comma_delimited_list": PropertyType.LIST,
    "json": PropertyType.MAP,
    "boolean": PropertyType.BOOLEAN,
}


class ProviderTemplate:
    """A nested template standing in for a resource type."""

    def __init__(self, name: str, template: Template, entry: RegistryEntry | None = None) -> None:
        self.name = name
        self.template = template
        #: The registry entry that mapped a type name to this template, if any.
        self.entry = entry
        self._schemas: dict[str, ParameterSchema] | None = None

    def parameter_schemas(self) -> dict[str, ParameterSchema]:
        if self._schemas is None:
            from calor.template.parameters import parse_parameters_section

            try:
                self._schemas = parse_parameters_section(
                    self.template.parameters, self.template.version
                )
            except TemplateError:
                # Reported when the nested stack itself is validated.
                self._schemas = {}
        return self._schemas

    def attribute_names(self) -> frozenset[str]:
        outputs = self.template.outputs
        names = {str(k) for k in outputs} if isinstance(outputs, dict) else set()
        return frozenset(names | {"show"})

    def properties_schema(self) -> dict[str, PropertySchema]:
        """One property per parameter; a parameter without a default is required."""
        out = {}
        for name, schema in self.parameter_schemas().items():
            ptype = _PROPERTY_TYPES.get(schema.type, PropertyType.STRING)
            out[name] = PropertySchema(
                type=ptype,
                description=schema.description,
                default=schema.default if schema.has_default else None,
                required=not schema.has_default,
                constraints=tuple(
                    c for c in schema.constraints if type(c).__name__ != "CustomConstraint"
                ),
                update_allowed=True,
                allow_conversion=ptype in (PropertyType.LIST, PropertyType.MAP),
            )
        return out

    def child_definition(
        self, parent: StackDefinition, resource_name: str, properties: Any
    ) -> StackDefinition:
        """The nested stack's definition, with the values known before anything runs."""
        from calor.template.stack_definition import StackDefinition, Unresolvable

        params: dict[str, Any] = {}
        declared = self.parameter_schemas()
        if isinstance(properties, dict):
            for key, snippet in properties.items():
                if key not in declared:
                    continue  # reported as an unknown property of the parent's resource
                try:
                    value = function.resolve(snippet, parent.param_context)
                except (Unresolvable, TemplateError):
                    continue
                if value is not None:
                    params[key] = value
        child_env = parent.environment.child(resource_name, params, provider=self.entry)
        return StackDefinition(self.template, child_env)


def load_provider(
    definition: StackDefinition, name: str, path: Path, entry: RegistryEntry | None = None
) -> ProviderTemplate:
    """Find a provider template in the files map and load it."""
    files = definition.template.files
    text = files.get(name)
    if text is None:
        raise StackValidationFailed(
            f'Could not fetch remote template "{name}": it is not in the files map '
            "(pass the template file; its references are read relative to it)",
            path=path,
        )
    return ProviderTemplate(name, Template.from_text(text, filename=name, files=files), entry)
