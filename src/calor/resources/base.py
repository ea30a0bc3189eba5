"""The base class of resource plugins."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from calor.template.schema import (
    NO_DESCRIPTION,
    AttributeSchema,
    PropertySchema,
    ResourceTypeSchema,
    SupportStatus,
)


class Resource:
    """A resource type: its declared schema, and (later) its lifecycle.

    A plugin subclasses this, sets ``type_name`` and declares
    ``properties_schema``, ``attributes_schema`` and, where it has one,
    ``update_policy_schema``, once. ``description`` defaults to the first
    line of the class docstring.
    """

    type_name: ClassVar[str]
    properties_schema: ClassVar[Mapping[str, PropertySchema]] = MappingProxyType({})
    attributes_schema: ClassVar[Mapping[str, AttributeSchema]] = MappingProxyType({})
    update_policy_schema: ClassVar[Mapping[str, PropertySchema]] = MappingProxyType({})
    support_status: ClassVar[SupportStatus] = SupportStatus()
    description: ClassVar[str | None] = None
    #: OS::Heat::None: any properties are accepted, and ignored.
    accepts_any_property: ClassVar[bool] = False
    #: Attributes are computed beyond the schema (``resource.0.name`` of a group).
    accepts_any_attribute: ClassVar[bool] = False
    #: The type overrides :meth:`refine_properties`.
    refines_properties: ClassVar[bool] = False

    @classmethod
    def refine_properties(cls, values: Mapping[str, Any]) -> Mapping[str, PropertySchema]:
        """The properties schema for these resolved values (the declared one by default)."""
        return cls.properties_schema

    # The engine issue adds the lifecycle coroutines (create, update, delete, ...).

    @classmethod
    def describe(cls) -> str:
        """``description``, else the first line of the docstring."""
        if cls.description:
            return cls.description
        # A class's own docstring only: Heat does not inherit one either.
        if not cls.__doc__ or not cls.__doc__.strip():
            return NO_DESCRIPTION
        return inspect.cleandoc(cls.__doc__).splitlines()[0]

    @classmethod
    def type_schema(cls) -> ResourceTypeSchema:
        """Everything this type declares, as template validation and the API see it."""
        return ResourceTypeSchema(
            type_name=cls.type_name,
            properties=cls.properties_schema,
            attributes=cls.attributes_schema,
            support_status=cls.support_status,
            description=cls.describe(),
            update_policy=cls.update_policy_schema,
            accepts_any_property=cls.accepts_any_property,
            accepts_any_attribute=cls.accepts_any_attribute,
            plugin_name=cls.__name__,
            refine=cls.refine_properties if cls.refines_properties else None,
        )
