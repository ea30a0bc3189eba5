"""The make_url function."""

from __future__ import annotations

from calor.template.function import Function


class MakeURL(Function):
    """Not yet implemented."""
