"""Condition functions (equals, not, and, or) and the ``if`` macro.

``equals``/``not``/``and``/``or`` only exist inside a template's conditions
(and inline conditions of ``if`` and resource/output ``condition`` keys);
elsewhere they are plain data. ``if`` is an ordinary function that asks the
template's conditions which branch to keep while the template is parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from calor.template.function import OMITTED, Function, Macro, ParseFunc, resolve
from calor.template.types import Path, ResolveContext

if TYPE_CHECKING:
    from calor.template.scope import Scope


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


class If(Macro):
    """Pick one of two values depending on a condition.

    Takes ``[condition, value_if_true, value_if_false]``. The condition is a
    condition name, a boolean or an inline condition function; it is decided
    while the template is parsed, so the branch not taken is never parsed,
    validated or searched for dependencies.
    """

    def read_args(self) -> tuple[Any, Any, Any]:
        """``(condition, if_true, if_false)`` from the raw arguments."""
        if not self.args or not _is_list(self.args) or len(self.args) != 3:
            raise self._form_error()
        condition, if_true, if_false = self.args
        return condition, if_true, if_false

    def _form_error(self) -> ValueError:
        return ValueError(
            f'Arguments to "{self.fn_name}" must be of the form: '
            "[condition_name, value_if_true, value_if_false]"
        )

    def parse_args(self, parse: ParseFunc) -> Any:
        condition, if_true, if_false = self.read_args()
        chosen = if_true if self.scope.condition(condition, self.path) else if_false
        if chosen is OMITTED:
            return OMITTED
        return parse(chosen, self.path)

    def result(self, ctx: ResolveContext) -> Any:
        # An omitted value inside the chosen branch must reach the enclosing
        # list or map, which is where it vanishes.
        return resolve(self.parsed, ctx, nullable=True)


class IfNullable(If):
    """Pick one of two values depending on a condition, or leave the item out.

    Takes ``[condition, value_if_true, value_if_false]`` or, from 2021-04-16,
    ``[condition, value_if_true]``: when the condition is false and there is
    no third value, the enclosing list item, map entry or property is treated
    as if the template never mentioned it.
    """

    def read_args(self) -> tuple[Any, Any, Any]:
        if not self.args or not _is_list(self.args) or not 2 <= len(self.args) <= 3:
            raise self._form_error()
        if len(self.args) == 2:
            condition, if_true = self.args
            return condition, if_true, OMITTED
        condition, if_true, if_false = self.args
        return condition, if_true, if_false


class Equals(Function):
    """True when two values are equal; no conversion happens, so 1 is not '1'.

    Takes ``[value_1, value_2]``; both are resolved before comparing.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not args or not isinstance(args, list) or len(args) != 2:
            raise ValueError(
                f'Arguments to "{fn_name}" must be of the form: [value_1, value_2]'
            )
        self.value1, self.value2 = args

    def result(self, ctx: ResolveContext) -> bool:
        return bool(resolve(self.value1, ctx) == resolve(self.value2, ctx))


class ConditionBoolean(Function):
    """Shared behaviour of the boolean operators over conditions."""

    def check_args(self) -> None:
        if not _is_list(self.args):
            raise ValueError(f'Arguments to "{self.fn_name}" must be a list of conditions')
        if len(self.args) < 2:
            raise ValueError(
                f'The minimum number of condition arguments to "{self.fn_name}" is 2.'
            )

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        self.check_args()

    def condition_value(self, value: Any) -> bool:
        """A resolved argument as a boolean: itself, or the condition it names."""
        if isinstance(value, bool):
            return value
        if isinstance(value, str) or value is None:
            return bool(self.scope.condition(value, self.path))
        raise self.error(f'Invalid condition "{value}"')


class Not(ConditionBoolean):
    """True when its condition is false.

    Takes one condition: a condition name, a boolean or a condition function.
    """

    def check_args(self) -> None:
        if self.args is None:
            raise ValueError(f'Argument to "{self.fn_name}" must be a condition')
        self.condition = self.args

    def result(self, ctx: ResolveContext) -> bool:
        return not self.condition_value(resolve(self.condition, ctx))


class And(ConditionBoolean):
    """True when every one of two or more conditions is true."""

    def result(self, ctx: ResolveContext) -> bool:
        values = resolve(self.args, ctx)
        return all(self.condition_value(v) for v in values)


class Or(ConditionBoolean):
    """True when at least one of two or more conditions is true."""

    def result(self, ctx: ResolveContext) -> bool:
        values = resolve(self.args, ctx)
        return any(self.condition_value(v) for v in values)
