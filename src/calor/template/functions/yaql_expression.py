"""The yaql function, evaluated with the yaql library as Heat does."""

from __future__ import annotations

from calor.template.function import Function


class Yaql(Function):
    """Not yet implemented."""
