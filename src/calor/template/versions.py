"""Every template version Heat accepts, and what each one offers.

A version is its predecessor plus what it ``added``, ``changed`` and
``removed``: the tables below say only what is new, and :func:`_derive`
works out the rest. A name a version ``removed`` stays in its table as
:class:`~calor.template.function.Removed`, so using it is an error that
names the version; a name no version ever knew is plain data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from calor.template.errors import InvalidTemplateVersion
from calor.template.function import Function, Removed
from calor.template.functions import (
    cfn,
    conditions,
    make_url,
    references,
    strings,
    structures,
    yaql_expression,
)

Format = Literal["hot", "cfn"]

HOT_KEY = "heat_template_version"
CFN_KEY = "AWSTemplateFormatVersion"
HEAT_CFN_KEY = "HeatTemplateFormatVersion"
VERSION_KEYS = (HOT_KEY, HEAT_CFN_KEY, CFN_KEY)


@dataclass(frozen=True)
class TemplateVersion:
    """One accepted ``<key>: <date>`` pair and the language it selects."""

    key: str
    date: str
    format: Format
    functions: Mapping[str, type[Function]]
    condition_functions: Mapping[str, type[Function]]
    aliases: tuple[str, ...] = ()
    #: Top-level sections the version allows.
    sections: frozenset[str] = frozenset()
    #: Keys a resource definition may carry.
    resource_keys: frozenset[str] = frozenset()
    #: Keys an output definition may carry.
    output_keys: frozenset[str] = frozenset()
    #: Keys a parameter declaration may carry.
    parameter_keys: frozenset[str] = frozenset()
    #: Parameter constraint kinds the version understands.
    constraint_keys: frozenset[str] = frozenset()
    #: Accepted ``deletion_policy`` spellings -> canonical name.
    deletion_policies: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """``heat_template_version.2016-10-14``: the form Heat's API lists."""
        return f"{self.key}.{self.date}"

    @property
    def has_conditions(self) -> bool:
        return "conditions" in self.sections or "Conditions" in self.sections

    def removed_message(self, fn_name: str) -> str:
        fmt = "HOT" if self.format == "hot" else "CFN template"
        return (
            "The template version is invalid: "
            f"The function {fn_name} is not supported in this version of {fmt}."
        )

    def live_functions(self) -> dict[str, type[Function]]:
        """The functions a user may call (the removed ones left out)."""
        return {n: c for n, c in self.functions.items() if not issubclass(c, Removed)}

    def __repr__(self) -> str:
        return f"<TemplateVersion {self.name}>"


def _derive(
    prev: TemplateVersion,
    date: str,
    *,
    aliases: Iterable[str] = (),
    added: Mapping[str, type[Function]] | None = None,
    changed: Mapping[str, type[Function]] | None = None,
    removed: Iterable[str] = (),
    conditions_added: Mapping[str, type[Function]] | None = None,
    **features: Any,
) -> TemplateVersion:
    functions = dict(prev.functions)
    for name in (*(added or {}), *(changed or {})):
        if name in functions and added and name in added:
            raise AssertionError(f"{date}: {name} added twice")
    functions.update(added or {})
    for name, cls in (changed or {}).items():
        if name not in functions:
            raise AssertionError(f"{date}: {name} changed but never added")
        functions[name] = cls
    for name in removed:
        functions[name] = Removed
    cond = dict(prev.condition_functions)
    cond.update(conditions_added or {})
    return dataclasses.replace(
        prev,
        date=date,
        aliases=tuple(aliases),
        functions=MappingProxyType(functions),
        condition_functions=MappingProxyType(cond),
        **features,
    )


_HOT_SECTIONS = frozenset(
    {"heat_template_version", "description", "parameter_groups", "parameters", "resources",
     "outputs"}
)
_HOT_RESOURCE_KEYS = frozenset(
    {"type", "properties", "metadata", "depends_on", "deletion_policy", "update_policy",
     "description"}
)
_HOT_PARAMETER_KEYS = frozenset(
    {"type", "description", "default", "constraints", "hidden", "label", "immutable", "schema"}
)
_BASE_CONSTRAINTS = frozenset(
    {"length", "range", "allowed_values", "allowed_pattern", "custom_constraint"}
)
_POLICIES = MappingProxyType({"Delete": "Delete", "Retain": "Retain", "Snapshot": "Snapshot"})

_CFN_REMOVED_FROM_HOT = (
    "Fn::GetAZs", "Fn::Join", "Fn::Split", "Fn::Replace", "Fn::Base64",
    "Fn::MemberListToMap", "Fn::ResourceFacade", "Ref",
)

HOT_2013_05_23 = TemplateVersion(
    key=HOT_KEY,
    date="2013-05-23",
    format="hot",
    functions=MappingProxyType({
        "get_param": references.GetParam,
        "get_resource": references.GetResource,
        "get_attr": references.GetAttThenSelect,
        "get_file": references.GetFile,
        "list_join": strings.Join,
        "str_replace": strings.Replace,
        "resource_facade": references.ResourceFacade,
        "Fn::GetAZs": cfn.GetAZs,
        "Ref": cfn.Ref,
        "Fn::Select": cfn.Select,
        "Fn::Join": cfn.Join,
        "Fn::Split": cfn.Split,
        "Fn::Replace": cfn.Replace,
        "Fn::Base64": cfn.Base64,
        "Fn::MemberListToMap": cfn.MemberListToMap,
        "Fn::ResourceFacade": cfn.ResourceFacade,
    }),
    condition_functions=MappingProxyType({}),
    sections=_HOT_SECTIONS,
    resource_keys=_HOT_RESOURCE_KEYS,
    output_keys=frozenset({"description", "value"}),
    parameter_keys=_HOT_PARAMETER_KEYS,
    constraint_keys=_BASE_CONSTRAINTS,
    deletion_policies=_POLICIES,
)

HOT_2014_10_16 = _derive(
    HOT_2013_05_23, "2014-10-16",
    changed={"get_attr": references.GetAtt},
    removed=_CFN_REMOVED_FROM_HOT,
)

HOT_2015_04_30 = _derive(
    HOT_2014_10_16, "2015-04-30",
    added={"repeat": structures.Repeat, "digest": strings.Digest},
)

HOT_2015_10_15 = _derive(
    HOT_2015_04_30, "2015-10-15",
    added={"str_split": strings.StrSplit},
    changed={
        "get_attr": references.GetAttAllAttributes,
        "list_join": strings.JoinMultiple,
        "str_replace": strings.ReplaceJson,
    },
    removed=("Fn::Select",),
)

HOT_2016_04_08 = _derive(HOT_2015_10_15, "2016-04-08", added={"map_merge": structures.MapMerge})

HOT_2016_10_14 = _derive(
    HOT_2016_04_08, "2016-10-14",
    aliases=("newton",),
    added={
        "yaql": yaql_expression.Yaql,
        "map_replace": structures.MapReplace,
        "if": conditions.If,
    },
    changed={"repeat": structures.RepeatWithMap},
    conditions_added={
        "get_param": references.GetParam,
        "equals": conditions.Equals,
        "not": conditions.Not,
        "and": conditions.And,
        "or": conditions.Or,
    },
    sections=_HOT_SECTIONS | {"conditions"},
    resource_keys=_HOT_RESOURCE_KEYS | {"external_id", "condition"},
    output_keys=frozenset({"description", "value", "condition"}),
    deletion_policies=MappingProxyType(
        {**_POLICIES, "delete": "Delete", "retain": "Retain", "snapshot": "Snapshot"}
    ),
)

HOT_2017_02_24 = _derive(
    HOT_2016_10_14, "2017-02-24",
    aliases=("ocata",),
    added={"filter": structures.Filter, "str_replace_strict": strings.ReplaceJsonStrict},
    constraint_keys=_BASE_CONSTRAINTS | {"modulo"},
)

HOT_2017_09_01 = _derive(
    HOT_2017_02_24, "2017-09-01",
    aliases=("pike",),
    added={
        "make_url": make_url.MakeURL,
        "list_concat": structures.ListConcat,
        "list_concat_unique": structures.ListConcatUnique,
        "str_replace_vstrict": strings.ReplaceJsonVeryStrict,
        "contains": structures.Contains,
    },
    changed={"repeat": structures.RepeatWithNestedLoop},
    conditions_added={"yaql": yaql_expression.Yaql, "contains": structures.Contains},
)

HOT_2018_03_02 = _derive(
    HOT_2017_09_01, "2018-03-02",
    aliases=("queens",),
    parameter_keys=_HOT_PARAMETER_KEYS | {"tags"},
)

# Rocky changed nothing but the marker.
HOT_2018_08_31 = _derive(HOT_2018_03_02, "2018-08-31", aliases=("rocky",))

HOT_2021_04_16 = _derive(
    HOT_2018_08_31, "2021-04-16",
    aliases=("wallaby",),
    changed={"if": conditions.IfNullable},
)

_CFN_FUNCTIONS: Mapping[str, type[Function]] = MappingProxyType({
    "Fn::FindInMap": cfn.FindInMap,
    "Fn::GetAZs": cfn.GetAZs,
    "Ref": cfn.Ref,
    "Fn::GetAtt": cfn.GetAtt,
    "Fn::Select": cfn.Select,
    "Fn::Join": cfn.Join,
    "Fn::Split": cfn.Split,
    "Fn::Replace": cfn.Replace,
    "Fn::Base64": cfn.Base64,
    "Fn::MemberListToMap": cfn.MemberListToMap,
    "Fn::ResourceFacade": cfn.ResourceFacade,
})

_CFN_SECTIONS = frozenset(
    {"Description", "Mappings", "Parameters", "Resources", "Outputs"}
)
_CFN_RESOURCE_KEYS = frozenset(
    {"Type", "Properties", "Metadata", "DependsOn", "DeletionPolicy", "UpdatePolicy",
     "Description"}
)
_CFN_PARAMETER_KEYS = frozenset(
    {"Type", "Default", "NoEcho", "AllowedValues", "AllowedPattern", "MaxLength", "MinLength",
     "MaxValue", "MinValue", "Description", "ConstraintDescription", "Label"}
)

HEAT_CFN_2012_12_12 = TemplateVersion(
    key=HEAT_CFN_KEY,
    date="2012-12-12",
    format="cfn",
    functions=_CFN_FUNCTIONS,
    condition_functions=MappingProxyType({}),
    sections=_CFN_SECTIONS | {HEAT_CFN_KEY},
    resource_keys=_CFN_RESOURCE_KEYS,
    output_keys=frozenset({"Value", "Description"}),
    parameter_keys=_CFN_PARAMETER_KEYS,
    constraint_keys=frozenset(),
    deletion_policies=_POLICIES,
)

AWS_CFN_2010_09_09 = dataclasses.replace(
    HEAT_CFN_2012_12_12,
    key=CFN_KEY,
    date="2010-09-09",
    functions=MappingProxyType({**_CFN_FUNCTIONS, "Fn::If": conditions.If}),
    condition_functions=MappingProxyType({
        "Fn::Equals": conditions.Equals,
        "Ref": cfn.ParamRef,
        "Fn::FindInMap": cfn.FindInMap,
        "Fn::Not": cfn.Not,
        "Fn::And": conditions.And,
        "Fn::Or": conditions.Or,
    }),
    sections=_CFN_SECTIONS | {CFN_KEY, "Conditions"},
    resource_keys=_CFN_RESOURCE_KEYS | {"Condition"},
    output_keys=frozenset({"Value", "Description", "Condition"}),
)

#: Every accepted version, in Heat's listing order.
ALL_VERSIONS: tuple[TemplateVersion, ...] = (
    AWS_CFN_2010_09_09,
    HEAT_CFN_2012_12_12,
    HOT_2013_05_23,
    HOT_2014_10_16,
    HOT_2015_04_30,
    HOT_2015_10_15,
    HOT_2016_04_08,
    HOT_2016_10_14,
    HOT_2017_02_24,
    HOT_2017_09_01,
    HOT_2018_03_02,
    HOT_2018_08_31,
    HOT_2021_04_16,
)

_BY_KEY: dict[tuple[str, str], TemplateVersion] = {}
for _v in ALL_VERSIONS:
    _BY_KEY[(_v.key, _v.date)] = _v
    for _alias in _v.aliases:
        _BY_KEY[(_v.key, _alias)] = _v


def lookup(key: str, value: str) -> TemplateVersion | None:
    """The version for ``<key>: <value>`` (a date or an alias such as ``queens``)."""
    return _BY_KEY.get((key, value))


def by_name(name: str) -> TemplateVersion:
    """The version named as Heat's API names it: ``heat_template_version.2016-10-14``
    (an alias such as ``heat_template_version.newton`` works too)."""
    key, _, value = name.partition(".")
    found = lookup(key, value)
    if found is None:
        raise InvalidTemplateVersion(
            f"The template version is invalid: {name!r}. "
            f"Valid versions are: {', '.join(v.name for v in ALL_VERSIONS)}"
        )
    return found


def detect(template: Mapping[Any, Any]) -> TemplateVersion:
    """Pick the version from a template's top-level keys, as Heat does."""
    present = [k for k in VERSION_KEYS if isinstance(template.get(k), str)]
    if not present:
        # A non-string value (an unquoted number, say) counts as absent for Heat too.
        raise InvalidTemplateVersion(
            "The template version is invalid: Template version was not provided"
        )
    if len(present) > 1:
        raise InvalidTemplateVersion(
            "The template version is invalid: Ambiguous versions "
            f"({', '.join(present)})"
        )
    key = present[0]
    value = template[key]
    found = lookup(key, value)
    if found is None:
        valid = ", ".join(
            [v.date for v in ALL_VERSIONS if v.key == key]
            + [a for v in ALL_VERSIONS if v.key == key for a in v.aliases]
        )
        raise InvalidTemplateVersion(
            f'The template version is invalid: "{key}: {value}". '
            f'"{key}" should be one of: {valid}'
        )
    return found
