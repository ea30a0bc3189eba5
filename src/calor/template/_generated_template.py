"""The template Heat generates for a resource type (``resource type template``).

It has one parameter per visible property, one resource of the type fed
from them, and one output per visible attribute plus ``OS::stack_id``.
Property types are compared by their names here, so that this module needs
nothing from :mod:`calor.template.schema` at import time.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from calor.template.constraints import (
    AllowedPattern,
    AllowedValues,
    CustomConstraint,
    Length,
    Range,
)

if TYPE_CHECKING:
    from calor.template.resource_types import ResourceTypeSchema
    from calor.template.schema import PropertySchema

#: Parameter types of generated templates, per property type. Heat fails on
#: Any (it has no entry); a json parameter is the closest fit, so use that.
_HOT_PARAM_TYPES = {
    "String": "string",
    "Integer": "number",
    "Number": "number",
    "Boolean": "boolean",
    "Map": "json",
    "List": "comma_delimited_list",
    "Any": "json",
}
_CFN_PARAM_TYPES = {
    "String": "String",
    "Integer": "Number",
    "Number": "Number",
    "Boolean": "Boolean",
    "Map": "Json",
    "List": "CommaDelimitedList",
    "Any": "Json",
}


def _bounds(constraint: Length | Range) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if constraint.min is not None:
        out["min"] = constraint.min
    if constraint.max is not None:
        out["max"] = constraint.max
    return out


def _hot_parameter(schema: PropertySchema) -> dict[str, Any]:
    param: dict[str, Any] = {"type": _HOT_PARAM_TYPES[schema.type]}
    if schema.description is not None:
        param["description"] = schema.description
    if schema.default is not None:
        param["default"] = copy.deepcopy(schema.default)
    constraints: list[dict[str, Any]] = []
    for c in schema.constraints:
        if isinstance(c, Length):
            constraints.append({"length": _bounds(c)})
        elif isinstance(c, Range):
            constraints.append({"range": _bounds(c)})
        elif isinstance(c, AllowedValues):
            constraints.append({"allowed_values": list(c.values)})
        elif isinstance(c, AllowedPattern):
            constraints.append({"allowed_pattern": c.pattern})
        elif isinstance(c, CustomConstraint):
            # Heat writes an empty mapping here, which no template accepts.
            constraints.append({"custom_constraint": c.name})
        # Modulo is left out: the 2016-10-14 parameters do not know it.
    if constraints:
        param["constraints"] = constraints
    return param


def _cfn_parameter(schema: PropertySchema) -> dict[str, Any]:
    param: dict[str, Any] = {"Type": _CFN_PARAM_TYPES[schema.type]}
    if schema.description is not None:
        param["Description"] = schema.description
    if schema.default is not None:
        param["Default"] = copy.deepcopy(schema.default)
    for c in schema.constraints:
        if isinstance(c, Length):
            param.update({f"{k.capitalize()}Length": v for k, v in _bounds(c).items()})
        elif isinstance(c, Range):
            param.update({f"{k.capitalize()}Value": v for k, v in _bounds(c).items()})
        elif isinstance(c, AllowedValues):
            param["AllowedValues"] = list(c.values)
        elif isinstance(c, AllowedPattern):
            param["AllowedPattern"] = c.pattern
    if schema.type == "Boolean":
        param["AllowedValues"] = ["True", "true", "False", "false"]
    return param


def generated_template(schema: ResourceTypeSchema, template_type: str) -> dict[str, Any]:
    """The body of ``GET /resource_types/{type}/template?template_type=...``."""
    kind = template_type.lower()
    if kind not in ("cfn", "hot"):
        raise ValueError(f'Invalid template type "{template_type}", valid types are: cfn, hot.')
    name = schema.plugin_name
    props = schema.visible_properties()
    description = f"Initial template of {name}"
    attrs = schema.visible_attributes()
    if kind == "hot":
        outputs: dict[str, Any] = {
            a: {"value": {"get_attr": [name, a]}, "description": s.description}
            for a, s in attrs.items()
        }
        outputs["OS::stack_id"] = {"value": {"get_resource": name}}
        return {
            "heat_template_version": "2016-10-14",
            "description": description,
            "parameters": {p: _hot_parameter(s) for p, s in props.items()},
            "outputs": outputs,
            "resources": {
                name: {
                    "type": schema.type_name,
                    "properties": {p: {"get_param": p} for p in props},
                }
            },
        }
    cfn_outputs: dict[str, Any] = {
        a: {"Value": {"Fn::GetAtt": [name, a]}, "Description": s.description}
        for a, s in attrs.items()
    }
    cfn_outputs["OS::stack_id"] = {"Value": {"Ref": name}}
    return {
        "HeatTemplateFormatVersion": "2012-12-12",
        "Description": description,
        "Parameters": {p: _cfn_parameter(s) for p, s in props.items()},
        "Resources": {
            name: {
                "Type": schema.type_name,
                "Properties": {
                    p: {"Fn::Split": [",", {"Ref": p}]} if s.type == "List" else {"Ref": p}
                    for p, s in props.items()
                },
            }
        },
        "Outputs": cfn_outputs,
    }
