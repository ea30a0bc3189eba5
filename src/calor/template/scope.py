"""What a function may ask about the template it stands in, at parse time.

Functions are parsed against a :class:`Scope`: the template's version, the
names of its resources and parameters, its mappings, and the conditions
(needed at parse time by ``if``, which picks its branch before the rest of
the template is parsed). Values that only exist once a stack runs (resource
references, attributes, parameter values) come through
:class:`~calor.template.types.ResolveContext` at resolve time instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from calor.template.types import Path

if TYPE_CHECKING:
    from calor.template.versions import TemplateVersion


class Scope(Protocol):
    """The template-level facts a function may consult while it is parsed or validated."""

    @property
    def version(self) -> TemplateVersion: ...

    def has_resource(self, name: str) -> bool:
        """True when ``name`` is a resource of the stack (its condition, if any, holds)."""

    def is_defined_resource(self, name: str) -> bool:
        """True when the template declares ``name``, whatever its condition says."""

    def has_parameter(self, name: str) -> bool:
        """True when ``name`` is a declared (or pseudo) parameter."""

    def resource_type(self, name: str) -> str | None:
        """The ``type`` the template gives resource ``name`` (None when unknown)."""

    def attribute_names(self, name: str) -> frozenset[str] | None:
        """The attributes resource ``name`` offers, or None when they cannot be known here."""

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        """A CFN ``Mappings`` entry (None when absent)."""

    def condition(self, name: Any, path: Path) -> bool:
        """Evaluate a condition reference: a name, a boolean or a condition function."""


class BareScope:
    """A scope that knows only the version: for snippets outside any template."""

    def __init__(self, version: TemplateVersion) -> None:
        self._version = version

    @property
    def version(self) -> TemplateVersion:
        return self._version

    def has_resource(self, name: str) -> bool:
        return False

    def is_defined_resource(self, name: str) -> bool:
        return False

    def has_parameter(self, name: str) -> bool:
        return False

    def resource_type(self, name: str) -> str | None:
        return None

    def attribute_names(self, name: str) -> frozenset[str] | None:
        return None

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        return None

    def condition(self, name: Any, path: Path) -> bool:
        if isinstance(name, bool):
            return name
        from calor.template.errors import StackValidationFailed

        raise StackValidationFailed(f"Invalid condition {name!r}", path=path)
