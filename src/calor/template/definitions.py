"""What a template says about one resource or one output, once parsed.

These are plain values: the parsed function trees of a resource's
properties, metadata and policies, and its explicit dependencies. Runtime
state (status, physical ids) lives in the engine, never here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from calor.template import function
from calor.template.types import Path


@dataclass(frozen=True, eq=False)
class ResourceDefinition:
    """One resource of a stack, as the template defines it (functions unresolved)."""

    name: str
    type: str
    properties: Any = None
    metadata: Any = None
    depends_on: tuple[str, ...] = ()
    deletion_policy: str = "Delete"
    update_policy: Any = None
    description: str = ""
    external_id: Any = None
    condition: Any = None
    #: Where the definition sits in the template: ``("resources", name)``.
    path: Path = ()

    def implicit_dependencies(self) -> Iterator[str]:
        """Resources named by functions in properties and metadata."""
        yield from function.dependencies(self.properties)
        yield from function.dependencies(self.metadata)

    def required_resources(self) -> list[str]:
        """Explicit then implicit dependencies, each once, in template order.

        A resource with an ``external_id`` is adopted, not built: it waits
        for nothing.
        """
        if self.external_id is not None:
            return []
        seen: dict[str, None] = {}
        for name in (*self.depends_on, *self.implicit_dependencies()):
            if name != self.name:
                seen.setdefault(name, None)
        return list(seen)

    def dep_attrs(self) -> Iterator[tuple[str, str]]:
        yield from function.dep_attrs(self.properties)
        yield from function.dep_attrs(self.metadata)

    def render_hot(self) -> dict[str, Any]:
        """The definition back in HOT form (for ``template show`` and previews)."""
        out: dict[str, Any] = {"type": self.type}
        if self.properties:
            out["properties"] = function.to_snippet(self.properties)
        if self.metadata:
            out["metadata"] = function.to_snippet(self.metadata)
        if self.depends_on:
            out["depends_on"] = list(self.depends_on)
        if self.deletion_policy != "Delete":
            out["deletion_policy"] = self.deletion_policy
        if self.update_policy:
            out["update_policy"] = function.to_snippet(self.update_policy)
        if self.description:
            out["description"] = self.description
        if self.external_id is not None:
            out["external_id"] = function.to_snippet(self.external_id)
        return out


@dataclass(frozen=True, eq=False)
class OutputDefinition:
    """One output: its parsed value, or ``enabled=False`` when its condition is false."""

    name: str
    value: Any = None
    description: str | None = None
    enabled: bool = True
    path: Path = field(default=())

    def required_resources(self) -> list[str]:
        return list(dict.fromkeys(function.dependencies(self.value)))
