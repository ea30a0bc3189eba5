"""The member definitions inside group resources, so validation can check them.

A ResourceGroup's ``resource_def``, an AutoScalingGroup's ``resource`` and a
ResourceChain's ``resources`` describe resources of a nested stack that
Heat builds and validates as a stack of its own. Calor checks the same
things up front: the member type exists, and its properties fit the type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from calor.template.types import Path

#: The types whose properties define the members of a nested stack.
GROUP_TYPES = frozenset(
    {"OS::Heat::ResourceGroup", "OS::Heat::AutoScalingGroup", "OS::Heat::ResourceChain"}
)


@dataclass(frozen=True)
class MemberDefinition:
    """One kind of member a group builds: its type, properties and where they are written."""

    type: str
    properties: Mapping[str, Any]
    #: Path of the member's ``type`` (its properties sit beside it).
    type_path: Path
    properties_path: Path


def member_definitions(
    group_type: str, values: Mapping[str, Any], properties_path: Path
) -> Iterator[MemberDefinition]:
    """The members ``group_type`` would create from its (resolved) property ``values``.

    Members whose type or properties are not known before the stack runs
    (they come from another resource) are left out.
    """
    if group_type == "OS::Heat::ResourceGroup":
        index_var = values.get("index_var") or "%index%"
        definition = values.get("resource_def")
        if isinstance(index_var, str):
            # Members are checked as the first one would be built.
            definition = _replace_index(definition, index_var, "0")
        yield from _single(definition, (*properties_path, "resource_def"))
    elif group_type == "OS::Heat::AutoScalingGroup":
        yield from _single(values.get("resource"), (*properties_path, "resource"))
    elif group_type == "OS::Heat::ResourceChain":
        types = values.get("resources")
        props = values.get("resource_properties")
        if not isinstance(types, list):
            return
        shared = props if isinstance(props, Mapping) else {}
        for index, member_type in enumerate(types):
            if isinstance(member_type, str):
                yield MemberDefinition(
                    type=member_type,
                    properties=shared,
                    type_path=(*properties_path, "resources", index),
                    properties_path=(*properties_path, "resource_properties"),
                )


def _replace_index(value: Any, index_var: str, index: str) -> Any:
    if isinstance(value, str):
        return value.replace(index_var, index)
    if isinstance(value, Mapping):
        return {k: _replace_index(v, index_var, index) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_index(v, index_var, index) for v in value]
    return value


def _single(definition: Any, path: Path) -> Iterator[MemberDefinition]:
    if not isinstance(definition, Mapping):
        return
    member_type = definition.get("type")
    props = definition.get("properties")
    if not isinstance(member_type, str):
        return
    yield MemberDefinition(
        type=member_type,
        properties=props if isinstance(props, Mapping) else {},
        type_path=(*path, "type"),
        properties_path=(*path, "properties"),
    )
