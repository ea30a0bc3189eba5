"""Condition functions and the if macro."""

from __future__ import annotations

from calor.template.function import Function, Macro


class If(Macro):
    """Not yet implemented."""


class IfNullable(Macro):
    """Not yet implemented."""


class Equals(Function):
    """Not yet implemented."""


class Not(Function):
    """Not yet implemented."""


class And(Function):
    """Not yet implemented."""


class Or(Function):
    """Not yet implemented."""
