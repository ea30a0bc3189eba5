"""Resources made of a nested (child) stack, and the engine's side of the contract.

Provider templates, ResourceGroup, ResourceChain, OS::Heat::Stack and
AWS::CloudFormation::Stack each run a child stack through the same engine.
They depend only on the protocols here: :class:`NestedStacks` (what the
service offers: create, update and delete a child stack, its status and
outputs) and :class:`NestedStackContext` (a resource context that offers
one, and waits on a child without holding one of the worker's action
slots). :class:`StackResource` is the lifecycle they share.

Errors, as a tree (the worker names the class in the status reason)::

    ResourceFailure             (itself) the child's own action failed: its reason
    ├── StackValidationFailed   the child's template or parameters are wrong
    └── RequestLimitExceeded    the nested depth limit was reached
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceFailure
from calor.template.resource_registry import RegistryEntry

#: One ``get_attr`` of a resource, as the template writes it: the attribute
#: and whatever path follows it, where that is known before the stack runs.
AttributeReference = tuple[Any, ...]


class StackValidationFailed(ResourceFailure):
    """The child stack's template, environment or parameters were refused."""


class RequestLimitExceeded(ResourceFailure):
    """A limit (the nested depth) forbids the child stack; Heat's wording."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Request limit exceeded: {message}")


@dataclass(frozen=True)
class ChildStack:
    """What a child stack is made from.

    The child inherits the parent's environment (its resource_registry and
    parameter_defaults, narrowed to the resource as Heat does) and files map;
    ``parameters`` become its parameter values. ``provider`` is the registry
    entry that made the resource a provider template: the child's registry
    drops it, so the template's own resources of that type resolve past it.
    """

    template: Mapping[str, Any]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    #: Minutes the child's action may take; None: the parent stack's timeout.
    timeout_mins: int | None = None
    provider: RegistryEntry | None = None
    #: The file the template came from, for error locations.
    template_name: str | None = None


@dataclass(frozen=True)
class ChildStatus:
    """Where a child stack is: Heat's stack action, status and reason."""

    id: str
    name: str
    project_id: str
    action: str
    status: str
    status_reason: str


class NestedStacks(Protocol):
    """How the engine creates, changes and removes child stacks (the service's job)."""

    async def create_stack(
        self, parent_id: str, resource_name: str, *, stack_id: str, name: str, child: ChildStack
    ) -> None:
        """Validate and store the child of ``parent_id``'s ``resource_name``, start its CREATE.

        Returns once the work is queued. Raises :class:`StackValidationFailed`
        or :class:`RequestLimitExceeded` when the child is refused.
        """

    async def update_stack(self, stack_id: str, child: ChildStack) -> None:
        """Start converging an existing child to a new template and parameters."""

    async def delete_stack(self, stack_id: str) -> bool:
        """Start deleting a child; False when it is already gone."""

    async def status(self, stack_id: str) -> ChildStatus | None:
        """The child's status (None once it is deleted, or if it never existed)."""

    async def outputs(self, stack_id: str) -> Mapping[str, Any]:
        """The child's output values by name (None for an output that failed)."""

    async def files(self, stack_id: str) -> Mapping[str, str]:
        """A stack's files map (where provider templates and TemplateURLs are found)."""


@runtime_checkable
class NestedStackContext(Protocol):
    """A resource context through which a plugin can run a child stack."""

    @property
    def nested(self) -> NestedStacks | None:
        """The service running child stacks (None where there is none)."""

    async def wait_for_child(self, stack_id: str, action: str) -> ChildStatus | None:
        """Wait until the child's ``action`` has ended (or it was deleted: None).

        The wait gives back the worker's action slot, so that the child's
        own resources can run meanwhile.
        """


class StackResource(Resource):
    """The lifecycle of a resource whose work is a child stack.

    Subclasses say what the child is made from (:meth:`child_stack`); this
    creates it, updates it in place, deletes it, and fails with the child's
    reason when the child's action fails. The child's id is the resource's
    physical id, recorded before the child exists so a crash leaves no
    stack Calor does not know about.
    """

    #: ``get_attr`` uses of each resource of the stack, by resource name (the
    #: engine fills this in, per stack, for types that compute attributes).
    referenced_attributes: ClassVar[Mapping[str, frozenset[AttributeReference]]] = {}

    _outputs: Mapping[str, Any] | None = None

    async def child_stack(self) -> ChildStack:
        """What the child stack is made from, for the current properties."""
        raise NotImplementedError

    def wanted_attributes(self) -> frozenset[AttributeReference]:
        """The ``get_attr`` uses of this resource in its stack."""
        return self.referenced_attributes.get(self.ctx.resource_name, frozenset())

    async def create(self) -> None:
        nested, ctx = self._nested()
        child = await self.child_stack()
        child_id = str(uuid.uuid4())
        await self.ctx.set_physical_resource_id(child_id)
        await nested.create_stack(
            self.ctx.stack_id, self.ctx.resource_name, stack_id=child_id,
            name=self.ctx.physical_resource_name, child=child,
        )
        await self._wait(ctx, child_id, "CREATE")
        await self.child_ready()

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        self.properties = properties
        child_id = self.ctx.physical_resource_id
        if child_id is None:
            await self.create()
            return
        nested, ctx = self._nested()
        await nested.update_stack(child_id, await self.child_stack())
        await self._wait(ctx, child_id, "UPDATE")
        await self.child_ready()

    async def delete(self) -> None:
        child_id = self.ctx.physical_resource_id
        if child_id is None:
            return
        nested, ctx = self._nested()
        if not await nested.delete_stack(child_id):
            return
        found = await ctx.wait_for_child(child_id, "DELETE")
        if found is not None and found.status == "FAILED":
            raise ResourceFailure(found.status_reason)

    async def child_ready(self) -> None:
        """A hook run once the child's create or update completed."""

    async def child_outputs(self) -> Mapping[str, Any]:
        """The child's outputs (read once per action; empty before the child exists)."""
        if self._outputs is None:
            child_id = self.ctx.physical_resource_id
            if child_id is None or not isinstance(self.ctx, NestedStackContext):
                return {}
            nested = self.ctx.nested
            self._outputs = {} if nested is None else dict(await nested.outputs(child_id))
        return self._outputs

    async def child_status(self) -> ChildStatus | None:
        child_id = self.ctx.physical_resource_id
        if child_id is None or not isinstance(self.ctx, NestedStackContext):
            return None
        nested = self.ctx.nested
        return None if nested is None else await nested.status(child_id)

    # -- helpers -------------------------------------------------------------

    def _nested(self) -> tuple[NestedStacks, NestedStackContext]:
        ctx = self.ctx
        if not isinstance(ctx, NestedStackContext) or ctx.nested is None:
            raise ResourceFailure(
                f"{self.type_name} needs an engine that runs nested stacks"
            )
        return ctx.nested, ctx

    async def _wait(self, ctx: NestedStackContext, child_id: str, action: str) -> None:
        self._outputs = None
        found = await ctx.wait_for_child(child_id, action)
        if found is None:
            raise ResourceFailure(f"The nested stack {child_id} was deleted")
        if found.action != action:
            raise ResourceFailure(
                f"The nested stack {found.name} went on to {found.action}_{found.status}"
                f" before its {action} completed"
            )
        if found.status != "COMPLETE":
            raise ResourceFailure(found.status_reason)


__all__ = [
    "AttributeReference",
    "ChildStack",
    "ChildStatus",
    "NestedStackContext",
    "NestedStacks",
    "RequestLimitExceeded",
    "StackResource",
    "StackValidationFailed",
]
