"""The ``parameter_groups`` section: labelled groups of declared parameters.

Groups only inform user interfaces, but Heat checks them: each group lists
its parameters, every name is a declared (or pseudo) parameter, and no
parameter is in two groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from calor.template.errors import StackValidationFailed
from calor.template.parameters import ParameterSchema
from calor.template.types import Path


class ParameterGroupsError(StackValidationFailed):
    """A malformed ``parameter_groups`` section; Heat prefixes its message."""

    def __str__(self) -> str:
        return f"Parameter Groups error: {super().__str__()}"

    def describe(self) -> str:
        return f"Parameter Groups error: {super().describe()}"


def validate_parameter_groups(
    groups: Any,
    schemas: Mapping[str, ParameterSchema],
    path: Path = ("parameter_groups",),
    *,
    pseudo: Iterable[str] = (),
) -> None:
    """Each group lists declared parameters, and no parameter is in two groups.

    ``pseudo`` names pseudo parameters, which Heat accepts in a group too.
    """
    if not groups:
        return
    if not isinstance(groups, list):
        raise ParameterGroupsError(f"The {path[-1]} should be a list.", path=path)
    known = set(schemas) | set(pseudo)
    grouped: list[Any] = []
    for index, group in enumerate(groups):
        if not isinstance(group, Mapping):
            raise ParameterGroupsError(
                "The parameter group should be a mapping.", path=(*path, index)
            )
        where = (*path, str(group.get("label", "")))
        members = group.get("parameters")
        if members is None:
            raise ParameterGroupsError(
                "The parameters must be provided for each parameter group.", path=where
            )
        if not isinstance(members, list):
            raise ParameterGroupsError(
                "The parameters of parameter group should be a list.", path=where
            )
        for name in members:
            if name in grouped:
                raise ParameterGroupsError(
                    f"The {name} parameter must be assigned to one parameter group only.",
                    path=where,
                )
            grouped.append(name)
            if not isinstance(name, str) or name not in known:
                raise ParameterGroupsError(
                    f"The grouped parameter {name} does not reference a valid parameter.",
                    path=where,
                )
