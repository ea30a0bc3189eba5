"""CloudFormation-style functions (Ref, Fn::*)."""

from __future__ import annotations

from calor.template.function import Function


class Ref(Function):
    """Not yet implemented."""


class ParamRef(Function):
    """Not yet implemented."""


class GetAtt(Function):
    """Not yet implemented."""


class Select(Function):
    """Not yet implemented."""


class Join(Function):
    """Not yet implemented."""


class Split(Function):
    """Not yet implemented."""


class Replace(Function):
    """Not yet implemented."""


class Base64(Function):
    """Not yet implemented."""


class GetAZs(Function):
    """Not yet implemented."""


class FindInMap(Function):
    """Not yet implemented."""


class MemberListToMap(Function):
    """Not yet implemented."""


class ResourceFacade(Function):
    """Not yet implemented."""


class Not(Function):
    """Not yet implemented."""
