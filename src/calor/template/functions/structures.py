"""Functions over lists and maps: repeat, map_merge, map_replace, list_concat, filter, contains."""

from __future__ import annotations

from calor.template.function import Function


class MapMerge(Function):
    """Not yet implemented."""


class MapReplace(Function):
    """Not yet implemented."""


class ListConcat(Function):
    """Not yet implemented."""


class ListConcatUnique(Function):
    """Not yet implemented."""


class Filter(Function):
    """Not yet implemented."""


class Repeat(Function):
    """Not yet implemented."""


class RepeatWithMap(Function):
    """Not yet implemented."""


class RepeatWithNestedLoop(Function):
    """Not yet implemented."""


class Contains(Function):
    """Not yet implemented."""
