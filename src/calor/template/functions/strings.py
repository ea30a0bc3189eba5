"""String functions: list_join, str_replace (and its strict forms), str_split, digest."""

from __future__ import annotations

from calor.template.function import Function


class Join(Function):
    """Not yet implemented."""


class JoinMultiple(Function):
    """Not yet implemented."""


class Replace(Function):
    """Not yet implemented."""


class ReplaceJson(Function):
    """Not yet implemented."""


class ReplaceJsonStrict(Function):
    """Not yet implemented."""


class ReplaceJsonVeryStrict(Function):
    """Not yet implemented."""


class StrSplit(Function):
    """Not yet implemented."""


class Digest(Function):
    """Not yet implemented."""
