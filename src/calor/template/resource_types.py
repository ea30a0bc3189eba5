"""A whole resource type's schema, and how template validation finds it.

:class:`ResourceTypeSchema` gathers what a type declares (properties,
attributes, update policy, support status) and renders the ``resource type
show`` body and the generated template. Template validation reads schemas
through the :class:`TypeSchemas` protocol only, so nothing here knows of
plugins or registries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

from calor.template._generated_template import generated_template
from calor.template.constraints import CustomConstraintChecker
from calor.template.errors import TemplateError
from calor.template.schema import (
    SHOW_ATTRIBUTE,
    AttributeSchema,
    Properties,
    PropertySchema,
    SupportStatus,
)
from calor.template.types import Path

#: What ``resource type show`` says of a type that describes itself nowhere.
NO_DESCRIPTION = "No description available"


@dataclass(frozen=True)
class ResourceTypeSchema:
    """Everything a resource type declares, as template validation sees it.

    ``accepts_any_property`` (OS::Heat::None) takes and ignores any
    properties; ``accepts_any_attribute`` marks types that compute attributes
    beyond their schema (``resource.0.name`` of a group), so ``get_attr``
    of any name passes validation. ``plugin_name`` names the resource of a
    generated template, as Heat uses the plugin class's name there.
    """

    type_name: str
    properties: Mapping[str, PropertySchema] = field(default_factory=dict)
    attributes: Mapping[str, AttributeSchema] = field(default_factory=dict)
    support_status: SupportStatus = field(default_factory=SupportStatus)
    description: str = NO_DESCRIPTION
    update_policy: Mapping[str, PropertySchema] = field(default_factory=dict)
    accepts_any_property: bool = False
    accepts_any_attribute: bool = False
    plugin_name: str = ""
    #: Some types re-type a property from another's value (Value's ``value``
    #: takes the type named by ``type``): given the resolved values, the
    #: properties schema that applies to them.
    refine: Callable[[Mapping[str, Any]], Mapping[str, PropertySchema]] | None = field(
        default=None, compare=False
    )

    def properties_for(self, values: Mapping[str, Any]) -> Mapping[str, PropertySchema]:
        """The properties schema that applies to these resolved ``values``."""
        if self.refine is None:
            return self.properties
        return self.refine(values)

    def __post_init__(self) -> None:
        attributes = dict(self.attributes)
        attributes.setdefault("show", SHOW_ATTRIBUTE)
        object.__setattr__(self, "attributes", MappingProxyType(attributes))
        object.__setattr__(self, "properties", MappingProxyType(dict(self.properties)))
        object.__setattr__(self, "update_policy", MappingProxyType(dict(self.update_policy)))
        if not self.plugin_name:
            object.__setattr__(self, "plugin_name", self.type_name.rsplit("::", 1)[-1])

    @property
    def hidden(self) -> bool:
        return self.support_status.hidden

    def visible_properties(self) -> dict[str, PropertySchema]:
        return {n: s for n, s in self.properties.items() if not s.support_status.hidden}

    def visible_attributes(self) -> dict[str, AttributeSchema]:
        return {n: s for n, s in self.attributes.items() if not s.support_status.hidden}

    def validate_properties(
        self,
        data: Mapping[str, Any],
        *,
        path: Path = (),
        skip: Callable[[str], bool] | None = None,
        checker: CustomConstraintChecker | None = None,
    ) -> list[TemplateError]:
        """Every problem of a resource's resolved ``properties``."""
        if self.accepts_any_property:
            return []
        return Properties(self.properties).validate(data, path=path, skip=skip, checker=checker)

    def resolve_properties(self, data: Mapping[str, Any]) -> dict[str, Any]:
        if self.accepts_any_property:
            return {}
        return Properties(self.properties).resolve(data)

    def validate_update_policy(
        self, data: Mapping[str, Any], *, path: Path = ()
    ) -> list[TemplateError]:
        """Every problem of a resource's resolved ``update_policy``."""
        return Properties(self.update_policy).validate(data, path=path)

    def to_dict(self, *, with_description: bool = True) -> dict[str, Any]:
        """The body of ``GET /resource_types/{type}`` (hidden entries left out)."""
        out: dict[str, Any] = {
            "resource_type": self.type_name,
            "properties": {n: s.to_dict() for n, s in self.visible_properties().items()},
            "attributes": {n: s.to_dict() for n, s in self.visible_attributes().items()},
            "support_status": self.support_status.to_dict(),
        }
        if with_description:
            out["description"] = self.description
        return out

    def generate_template(self, template_type: str = "cfn") -> dict[str, Any]:
        """The body of ``GET /resource_types/{type}/template``.

        One parameter per (visible) property, one resource of this type
        fed from them, and one output per attribute plus ``OS::stack_id``.
        """
        return generated_template(self, template_type)


class TypeSchemas(Protocol):
    """Where template validation looks up the schema of a resource type."""

    def get(self, type_name: str) -> ResourceTypeSchema | None: ...
