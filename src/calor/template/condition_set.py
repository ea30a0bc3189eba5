"""A template's conditions section: named booleans for resources, outputs and ``if``.

Every definition is parsed up front with the version's condition table, in
which the ordinary functions are refused; a definition is worked out the
first time something asks for it and remembered from then on, so conditions
may refer to each other by name in any order (but not in a circle).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from calor.template.errors import StackValidationFailed, TemplateError, ValidationErrors
from calor.template.function import (
    Function,
    Invalid,
    Removed,
    parse,
    resolve,
    to_snippet,
    validate,
)
from calor.template.types import Path, ResolveContext

if TYPE_CHECKING:
    from calor.template.scope import Scope
    from calor.template.versions import TemplateVersion

#: Marks a condition whose evaluation has begun but not finished.
_IN_PROGRESS: Final = object()


def condition_table(version: TemplateVersion) -> dict[str, type[Function]]:
    """The functions a condition may call in ``version``.

    An ordinary function is named only to be refused; a removed one keeps
    its version error; then the condition functions proper.
    """
    table: dict[str, type[Function]] = {
        name: Removed if issubclass(cls, Removed) else Invalid
        for name, cls in version.functions.items()
    }
    table.update(version.condition_functions)
    return table


def _raise_all(errors: list[TemplateError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


class Conditions:
    """The conditions of one template, evaluated against one set of parameters.

    ``evaluate`` answers a condition reference: a condition name, a boolean,
    or an inline condition (raw, as written in the template).
    """

    def __init__(
        self, scope: Scope, raw_conditions: Mapping[Any, Any], ctx: ResolveContext
    ) -> None:
        self._scope = scope
        self._ctx = ctx
        self.section = "Conditions" if scope.version.format == "cfn" else "conditions"
        if not isinstance(raw_conditions, Mapping):
            raise StackValidationFailed(
                "Condition definitions must be a map. Found a "
                f"{type(raw_conditions).__name__} instead",
                path=(self.section,),
            )
        self._table = condition_table(scope.version)
        self._definitions: dict[str, Any] = {}
        self._resolved: dict[str, object] = {}
        errors: list[TemplateError] = []
        for name, raw in raw_conditions.items():
            try:
                self._definitions[self._check_name(name)] = parse(
                    scope, raw, (self.section, name), self._table
                )
            except TemplateError as exc:
                errors.append(exc)
        _raise_all(errors)

    def _check_name(self, name: Any) -> str:
        # YAML reads an unquoted off/on/yes/no key as a boolean; Heat cannot
        # build a path for such a name and fails, so a non-string name is
        # refused here, with a hint.
        if not isinstance(name, str):
            raise StackValidationFailed(
                f"Condition names must be strings, found {type(name).__name__} {name!r} "
                "(quote the name)",
                path=(self.section, name),
            )
        return name

    def names(self) -> tuple[str, ...]:
        """The defined condition names, in template order."""
        return tuple(self._definitions)

    def __contains__(self, name: object) -> bool:
        return name in self._definitions

    def evaluate(self, ref: Any, path: Path) -> bool:
        """The truth of a reference to a condition, raising errors at ``path``.

        A missing reference (None) is true, as in Heat, so a resource without
        a ``condition`` key always exists.
        """
        if ref is None:
            return True
        if isinstance(ref, bool):
            return ref
        if isinstance(ref, str):
            return self._named(ref, path)
        parsed = parse(self._scope, ref, path, self._table)
        validate(parsed)
        value = resolve(parsed, self._ctx)
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            # An inline function may compute the name of a condition.
            return self._named(value, path)
        raise StackValidationFailed(f'Invalid condition "{value}"', path=path)

    def _named(self, name: str, path: Path) -> bool:
        if name not in self._definitions:
            raise StackValidationFailed(f'Invalid condition "{name}"', path=path)
        state = self._resolved.get(name)
        if state is _IN_PROGRESS:
            raise StackValidationFailed(
                f'Circular definition for condition "{name}"', path=(self.section, name)
            )
        if state is None:
            self._resolved[name] = _IN_PROGRESS
            try:
                state = self._resolve(name)
            except BaseException:
                # Forget the attempt, so asking again reports the same error
                # rather than a circle.
                del self._resolved[name]
                raise
            self._resolved[name] = state
        return bool(state)

    def _resolve(self, name: str) -> bool:
        definition = self._definitions[name]
        self._check_definition(name, definition)
        validate(definition)
        value = resolve(definition, self._ctx)
        if not isinstance(value, bool):
            raise self._invalid_definition(name, value)
        return value

    def _check_definition(self, name: str, definition: Any) -> None:
        # At the top a condition must be a boolean or a condition function: a
        # bare string naming another condition is refused (names are only
        # followed inside not/and/or/if).
        if not isinstance(definition, bool | Function):
            raise self._invalid_definition(name, to_snippet(definition))

    def _invalid_definition(self, name: str, definition: Any) -> StackValidationFailed:
        return StackValidationFailed(
            f'The definition of condition "{name}" is invalid: {definition}',
            path=(self.section, name),
        )

    def validate(self) -> None:
        """Check every definition without evaluating any; report all problems."""
        errors: list[TemplateError] = []
        for name, definition in self._definitions.items():
            try:
                self._check_definition(name, definition)
                validate(definition)
            except TemplateError as exc:
                errors.append(exc)
        _raise_all(errors)

    def __repr__(self) -> str:
        return f"<Conditions {', '.join(self._definitions)}>"
