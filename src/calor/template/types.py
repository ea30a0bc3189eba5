"""Shared types of the template language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeAlias

#: Keys and list indexes leading from the template root to a node.
Path: TypeAlias = tuple[str | int, ...]

#: A files map: name (as written in the template or environment) -> contents.
Files: TypeAlias = Mapping[str, str]


class ResolveContext(Protocol):
    """What a function needs from the outside world to produce its result.

    The template language never looks anything up by itself: parameter
    values, resource references and attributes, files and availability zones
    all come through this protocol. Static validation, the engine and tests
    each supply their own implementation.
    """

    def param(self, name: str) -> Any:
        """The value of parameter ``name`` (raises UserParameterMissing)."""

    def resource_ref(self, name: str) -> Any:
        """What ``get_resource``/``Ref`` of resource ``name`` yields."""

    def resource_attr(self, name: str, attribute: str, path: Sequence[Any]) -> Any:
        """Attribute ``attribute`` of resource ``name``, walked along ``path``."""

    def resource_attrs(self, name: str) -> Mapping[str, Any] | None:
        """Every attribute of resource ``name`` (``get_attr: [name]``)."""

    def file(self, key: str) -> str | None:
        """Contents of a file from the files map, or None when absent."""

    def availability_zones(self) -> list[str]:
        """Names of the cloud's availability zones (``Fn::GetAZs``)."""

    def facade(self, key: str) -> Any:
        """``metadata``/``deletion_policy``/``update_policy`` of the parent resource."""
