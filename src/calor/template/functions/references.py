"""References to parameters, resources, attributes, files and the parent resource."""

from __future__ import annotations

from calor.template.function import Function


class GetParam(Function):
    """Not yet implemented."""


class GetResource(Function):
    """Not yet implemented."""


class GetAttThenSelect(Function):
    """Not yet implemented."""


class GetAtt(Function):
    """Not yet implemented."""


class GetAttAllAttributes(Function):
    """Not yet implemented."""


class GetFile(Function):
    """Not yet implemented."""


class ResourceFacade(Function):
    """Not yet implemented."""
