"""What one resource tells the resources and outputs that read it.

When a work unit completes, its resource's reference id and the attributes
other resources read go forward to the units that were waiting (Heat's
convergence NodeData). :class:`RuntimeContext` resolves properties and
outputs from that data alone, so a worker never loads the whole stack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from calor.engine.states import Action, Status
from calor.template.errors import UserParameterMissing
from calor.template.functions.references import select_from_attribute

#: Actions after which a resource's attributes can be read (Heat's rule).
ATTRIBUTE_ACTIONS = frozenset(
    {Action.CREATE, Action.ADOPT, Action.SUSPEND, Action.RESUME, Action.UPDATE,
     Action.ROLLBACK, Action.SNAPSHOT, Action.CHECK}
)
#: ``get_attr: [name]`` (every attribute) is refused during ROLLBACK too.
ALL_ATTRIBUTES_ACTIONS = ATTRIBUTE_ACTIONS - {Action.ROLLBACK}


@dataclass(frozen=True)
class NodeData:
    """A resource's state as its readers see it."""

    name: str
    reference_id: str | None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    action: Action = Action.INIT
    status: Status = Status.COMPLETE
    #: The row that now stands for the resource (a replacement's, after a replace).
    resource_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for sync points and work-unit messages."""
        return {
            "name": self.name,
            "reference_id": self.reference_id,
            "attributes": dict(self.attributes),
            "action": str(self.action),
            "status": str(self.status),
            "resource_id": self.resource_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NodeData:
        return cls(
            name=data["name"],
            reference_id=data.get("reference_id"),
            attributes=dict(data.get("attributes") or {}),
            action=Action(data.get("action", Action.INIT)),
            status=Status(data.get("status", Status.COMPLETE)),
            resource_id=data.get("resource_id"),
        )


class RuntimeContext:
    """A :class:`~calor.template.types.ResolveContext` for a running stack."""

    def __init__(
        self,
        parameters: Mapping[str, Any],
        nodes: Mapping[str, NodeData],
        *,
        files: Mapping[str, str] | None = None,
        facade: Mapping[str, Any] | None = None,
        zones: Sequence[str] = ("nova",),
    ) -> None:
        self.parameters = parameters
        self.nodes = nodes
        self.files = files or {}
        self.facade_values = facade or {}
        self.zones = list(zones)

    def param(self, name: str) -> Any:
        if name not in self.parameters:
            raise UserParameterMissing(name)
        return self.parameters[name]

    def resource_ref(self, name: str) -> Any:
        node = self.nodes.get(name)
        # Before a resource has a physical id its reference is its name, as in Heat.
        if node is None or node.reference_id is None:
            return name
        return node.reference_id

    def resource_attr(self, name: str, attribute: str, path: Sequence[Any]) -> Any:
        node = self.nodes.get(name)
        if node is None or node.action not in ATTRIBUTE_ACTIONS:
            return None
        return select_from_attribute(node.attributes.get(attribute), path)

    def resource_attrs(self, name: str) -> Mapping[str, Any] | None:
        node = self.nodes.get(name)
        if node is None or node.action not in ALL_ATTRIBUTES_ACTIONS:
            return None
        if node.status not in (Status.IN_PROGRESS, Status.COMPLETE):
            return None
        return dict(node.attributes)

    def file(self, key: str) -> str | None:
        return self.files.get(key)

    def availability_zones(self) -> list[str]:
        return list(self.zones)

    def facade(self, key: str) -> Any:
        return self.facade_values.get(key)
