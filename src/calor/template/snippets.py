"""Evaluating a snippet on its own, from plain data.

:class:`SnippetScope` and :class:`DictContext` stand in for a whole template
and a running stack with a few dicts. They are what a library user needs to
try a function, and what the function tests use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calor.template.errors import StackValidationFailed, UserParameterMissing
from calor.template.function import parse, resolve, validate
from calor.template.types import Path
from calor.template.versions import TemplateVersion, by_name


class DictContext:
    """A :class:`~calor.template.types.ResolveContext` over plain dicts.

    ``refs`` maps resource names to what ``get_resource`` yields (the name
    itself when absent); ``attrs`` maps resource names to their attributes.
    """

    def __init__(
        self,
        params: Mapping[str, Any] | None = None,
        refs: Mapping[str, Any] | None = None,
        attrs: Mapping[str, Mapping[str, Any]] | None = None,
        files: Mapping[str, str] | None = None,
        zones: Sequence[str] = ("nova",),
        facade: Mapping[str, Any] | None = None,
    ) -> None:
        self.params = dict(params or {})
        self.refs = dict(refs or {})
        self.attrs = {k: dict(v) for k, v in (attrs or {}).items()}
        self.files = dict(files or {})
        self.zones = list(zones)
        self.facade_values = dict(facade or {})

    def param(self, name: str) -> Any:
        if name not in self.params:
            raise UserParameterMissing(name)
        return self.params[name]

    def resource_ref(self, name: str) -> Any:
        return self.refs.get(name, name)

    def resource_attr(self, name: str, attribute: str, path: Sequence[Any]) -> Any:
        from calor.template.functions.references import select_from_attribute

        value = self.attrs.get(name, {}).get(attribute)
        return select_from_attribute(value, path)

    def resource_attrs(self, name: str) -> Mapping[str, Any] | None:
        return self.attrs.get(name)

    def file(self, key: str) -> str | None:
        return self.files.get(key)

    def availability_zones(self) -> list[str]:
        return list(self.zones)

    def facade(self, key: str) -> Any:
        return self.facade_values.get(key)


class SnippetScope:
    """A :class:`~calor.template.scope.Scope` built from plain data.

    ``resources`` maps names to types; ``attributes`` optionally lists the
    attribute names each resource offers (unknown when absent);
    ``conditions`` is a raw ``conditions`` section, evaluated with ``params``.
    """

    def __init__(
        self,
        version: TemplateVersion | str = "heat_template_version.2021-04-16",
        *,
        resources: Mapping[str, str] | None = None,
        disabled_resources: Sequence[str] = (),
        attributes: Mapping[str, Sequence[str]] | None = None,
        params: Mapping[str, Any] | None = None,
        conditions: Mapping[str, Any] | None = None,
        mappings: Mapping[str, Any] | None = None,
    ) -> None:
        self._version = by_name(version) if isinstance(version, str) else version
        self.resources = dict(resources or {})
        self.disabled = set(disabled_resources)
        self.attributes = {k: frozenset(v) for k, v in (attributes or {}).items()}
        self.params = dict(params or {})
        self.mappings = dict(mappings or {})
        self._raw_conditions = dict(conditions or {})
        self._conditions: Any = None

    @property
    def version(self) -> TemplateVersion:
        return self._version

    def has_resource(self, name: str) -> bool:
        return name in self.resources and name not in self.disabled

    def is_defined_resource(self, name: str) -> bool:
        return name in self.resources

    def has_parameter(self, name: str) -> bool:
        return name in self.params

    def resource_type(self, name: str) -> str | None:
        return self.resources.get(name)

    def attribute_names(self, name: str) -> frozenset[str] | None:
        return self.attributes.get(name)

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        found = self.mappings.get(name)
        return found if isinstance(found, Mapping) else None

    def condition(self, name: Any, path: Path) -> bool:
        if self._conditions is None:
            from calor.template.condition_set import Conditions

            self._conditions = Conditions(self, self._raw_conditions, DictContext(self.params))
        result: bool = self._conditions.evaluate(name, path)
        return result


def evaluate(
    snippet: Any,
    *,
    scope: SnippetScope | None = None,
    ctx: DictContext | None = None,
    version: str = "heat_template_version.2021-04-16",
    check: bool = True,
) -> Any:
    """Parse, validate and resolve ``snippet`` in one call (for tests and REPLs)."""
    scope = scope or SnippetScope(version)
    ctx = ctx or DictContext(scope.params)
    parsed = parse(scope, snippet)
    if check:
        validate(parsed)
    return resolve(parsed, ctx)


__all__ = ["DictContext", "SnippetScope", "StackValidationFailed", "evaluate"]
