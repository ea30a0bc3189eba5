"""The base class of resource plugins."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from calor.resources.lifecycle import NotSupported, ResourceContext
from calor.template.resource_types import NO_DESCRIPTION, ResourceTypeSchema
from calor.template.schema import AttributeSchema, PropertySchema, SupportStatus


class Resource:
    """A resource type: its declared schema, and its lifecycle.

    A plugin subclasses this, sets ``type_name`` and declares
    ``properties_schema``, ``attributes_schema`` and, where it has one,
    ``update_policy_schema``, once. ``description`` defaults to the first
    line of the class docstring. An instance is one resource of one stack
    while the engine runs one of its actions; its lifecycle coroutines do
    the backend work and return (see :mod:`calor.resources.lifecycle`).
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

    #: Replaced by every update of its stack, changed or not (UpdateWaitConditionHandle).
    replaced_by_every_update: ClassVar[bool] = False
    #: Creates nothing outside Calor's store, so its physical id names no
    #: backend object a crash could orphan: the engine stores the id with the
    #: action's outcome instead of in a transaction of its own.
    local_only: ClassVar[bool] = False

    #: Whether ``check`` does a real check (otherwise CHECK says "not supported").
    supports_check: ClassVar[bool] = False
    #: Whether the type accepts signals (``stack resource signal``).
    supports_signal: ClassVar[bool] = False

    # -- lifecycle (see calor.resources.lifecycle for the contract) ------------

    def __init__(self, ctx: ResourceContext, properties: Mapping[str, Any]) -> None:
        #: What the engine offers while an action runs.
        self.ctx = ctx
        #: The resolved, coerced property values (defaults filled in); during
        #: ``update``, the values before it (the new ones are its argument).
        self.properties = properties
        #: The resolved ``update_policy`` of the new definition, during ``update``.
        self.update_policy: Mapping[str, Any] = {}

    async def create(self) -> None:
        """Build the resource. The default builds nothing (OS::Heat::None)."""

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        """Change the resource in place to ``properties``.

        The engine calls this only when every name in ``changed`` is
        ``update_allowed``; raise :class:`UpdateReplace` when the change
        still needs a new resource. The default just takes the new values.
        """
        self.properties = properties

    def needs_replace(self, properties: Mapping[str, Any], changed: frozenset[str]) -> bool:
        """A hook for types that must be replaced by some in-place changes too."""
        return False

    async def delete(self) -> None:
        """Remove the resource from the backend. The default has nothing to remove."""

    async def snapshot_delete(self) -> None:
        """Delete under ``deletion_policy: Snapshot``: keep a backup first where the type can.

        The default has nothing to keep a snapshot of, and deletes.
        """
        await self.delete()

    async def adopt(self, resource_data: Mapping[str, Any]) -> None:
        """Take over an existing backend object (``stack adopt``).

        The engine has already stored the physical id and resource data the
        adopt file names; the default takes them as they are.
        """

    async def check(self) -> None:
        """Confirm the resource still exists as it should (if ``supports_check``)."""

    async def suspend(self) -> None:
        """Pause the resource. The default does nothing."""

    async def resume(self) -> None:
        """Undo ``suspend``. The default does nothing."""

    async def signal(self, details: Mapping[str, Any] | None) -> str | None:
        """Take a signal (if ``supports_signal``); returns the SIGNAL event's reason, if any."""
        raise NotSupported(f"Signal resource during {self.ctx.resource_name} is not supported.")

    async def reference_id(self) -> str:
        """What ``get_resource`` yields: the physical id, or the name before one exists."""
        return self.ctx.physical_resource_id or self.ctx.resource_name

    async def resolve_attribute(self, name: str) -> Any:
        """The value of attribute ``name`` (the engine handles ``show`` and paths)."""
        return None

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
