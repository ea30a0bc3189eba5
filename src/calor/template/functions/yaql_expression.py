"""The yaql function, evaluated with the yaql library as Heat does."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from calor.template import function
from calor.template.function import Function
from calor.template.scope import Scope
from calor.template.types import Path, ResolveContext

#: Heat's defaults for its ``[yaql]`` options: the most items a collection
#: may hold while evaluating, and the memory (bytes) an expression may use.
LIMIT_ITERATORS = 200
MEMORY_QUOTA = 10000


@functools.cache
def _engine() -> tuple[Any, Any, type[Exception]]:
    """The parser, the root context and yaql's error class, made on first use.

    Importing yaql and building its parser take a noticeable part of a
    second, which a template without ``yaql`` should not pay.
    """
    import yaql  # type: ignore[import-untyped]
    from yaql.language import exceptions  # type: ignore[import-untyped]

    parser = yaql.YaqlFactory().create(
        {"yaql.limitIterators": LIMIT_ITERATORS, "yaql.memoryQuota": MEMORY_QUOTA}
    )
    return parser, yaql.create_context(), exceptions.YaqlException


class Yaql(Function):
    """A function for evaluating a yaql expression over some data.

    ``yaql: {expression: ..., data: ...}``; the expression reads the data as
    ``$.data``.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not isinstance(args, Mapping):
            raise TypeError(f'Arguments to "{fn_name}" must be a map.')
        if "expression" not in args or set(args) - {"expression", "data"}:
            example = (
                f"{fn_name}:\n"
                "              expression: $.data.var1.sum()\n"
                "              data:\n"
                "                var1: [3, 2, 1]"
            )
            raise KeyError(f'"{fn_name}" syntax should be {example}')
        self.expression = args["expression"]
        self.data = args.get("data", {})

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.expression, Function):
            self._parse(self.expression)

    def _parse(self, expression: Any) -> Any:
        if not isinstance(expression, str):
            raise TypeError(
                f'The "expression" argument to {self.fn_name} must contain a string.'
            )
        parser, _, yaql_error = _engine()
        try:
            return parser(expression)
        except yaql_error as exc:
            raise ValueError(f"Bad expression {exc}.") from None

    def result(self, ctx: ResolveContext) -> Any:
        statement = self._parse(function.resolve(self.expression, ctx))
        data = function.resolve(self.data, ctx)
        _, root, _ = _engine()
        try:
            return statement.evaluate({"data": data}, root.create_child_context())
        except Exception as exc:
            # Whatever the expression runs into (too large a collection, an
            # unknown method, a division by zero) is the template's problem.
            raise ValueError(str(exc)) from None
