"""A parameter as Heat's validate API describes it (the ``Parameters`` of its answer)."""

from __future__ import annotations

from typing import Any

from calor.template.constraints import (
    AllowedPattern,
    AllowedValues,
    Constraint,
    CustomConstraint,
    Length,
    Modulo,
    Range,
)
from calor.template.parameters import API_TYPES, MISSING, ParameterSchema


def validate_entry(
    schema: ParameterSchema,
    value: Any = MISSING,
    *,
    parameter_default: Any = MISSING,
) -> dict[str, Any]:
    """One parameter as ``POST /v1/{project}/validate`` describes it.

    ``value`` is the user's value and ``parameter_default`` the environment's,
    both as given (MISSING or None when absent). As in Heat, ``Default`` is the
    effective default and ``Value`` appears only for a non-empty user value.
    """
    entry: dict[str, Any] = {
        "Type": API_TYPES[schema.type],
        "Description": schema.description or "",
        "NoEcho": "true" if schema.hidden else "false",
        "Label": schema.label or schema.name,
    }
    if parameter_default is not MISSING and parameter_default is not None:
        entry["Default"] = parameter_default
    elif schema.has_default:
        entry["Default"] = schema.default
    if value is not MISSING and value:
        entry["Value"] = value
    if schema.tags:
        entry["Tags"] = list(schema.tags)
    descriptions: list[str] = []
    for constraint in schema.constraints:
        entry.update(_constraint_entry(constraint))
        if constraint.description:
            descriptions.append(constraint.description)
    if descriptions:
        entry["ConstraintDescription"] = " ".join(descriptions)
    return entry


def _constraint_entry(constraint: Constraint) -> dict[str, Any]:
    bounds: dict[str, Any]
    if isinstance(constraint, Length):
        bounds = {"MinLength": constraint.min, "MaxLength": constraint.max}
    elif isinstance(constraint, Range):
        bounds = {"MinValue": constraint.min, "MaxValue": constraint.max}
    elif isinstance(constraint, Modulo):
        bounds = {"Step": constraint.step, "Offset": constraint.offset}
    elif isinstance(constraint, AllowedValues):
        return {"AllowedValues": list(constraint.values)}
    elif isinstance(constraint, AllowedPattern):
        return {"AllowedPattern": constraint.pattern}
    elif isinstance(constraint, CustomConstraint):
        return {"CustomConstraint": constraint.name}
    else:
        return {}
    return {k: v for k, v in bounds.items() if v is not None}
