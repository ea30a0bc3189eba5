"""Validating a whole stack definition, and Heat's validate answer.

:func:`validate` runs every check a template can fail without a cloud and
returns every problem found, in the order Heat would meet them (so the
first one is the error Heat would report). :func:`validate_body` builds
the answer of Heat's ``POST /validate`` for a valid template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from calor.template import function
from calor.template.constraints import CustomConstraintChecker
from calor.template.dag import Graph
from calor.template.definitions import ResourceDefinition
from calor.template.errors import (
    CircularDependency,
    ResourceTypeNotFound,
    StackValidationFailed,
    TemplateError,
    UserParameterMissing,
)
from calor.template.group_members import GROUP_TYPES, member_definitions
from calor.template.parameter_groups import validate_parameter_groups
from calor.template.provider import ProviderTemplate, load_provider
from calor.template.resource_types import ResourceTypeSchema, TypeSchemas
from calor.template.schema import Properties
from calor.template.stack_definition import StackDefinition, Unresolvable
from calor.template.types import Path

#: Heat's ``max_nested_stack_depth``.
DEFAULT_MAX_NESTED_DEPTH = 5
#: Heat's ``max_resources_per_stack``.
DEFAULT_MAX_RESOURCES = 1000

@dataclass
class ResolvedType:
    """What a resource's ``type`` turned out to be after the registry."""

    written: str
    final: str
    schema: ResourceTypeSchema | None = None
    provider: ProviderTemplate | None = None


@dataclass
class Validation:
    """The outcome of validating one stack (and, with ``show_nested``, its children)."""

    definition: StackDefinition
    errors: list[TemplateError] = field(default_factory=list)
    types: dict[str, ResolvedType] = field(default_factory=dict)
    nested: dict[str, Validation] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(
    definition: StackDefinition,
    types: TypeSchemas | None,
    *,
    strict: bool = False,
    checker: CustomConstraintChecker | None = None,
    max_depth: int = DEFAULT_MAX_NESTED_DEPTH,
    max_resources: int = DEFAULT_MAX_RESOURCES,
    depth: int = 0,
) -> Validation:
    """Check ``definition``; ``strict`` also demands a value for every parameter.

    Without ``strict`` this answers like Heat's validate API: a parameter
    with no value is fine, and a property whose value depends on such a
    parameter or on another resource is not type-checked.
    """
    result = Validation(definition)
    errors = result.errors
    template = definition.template
    locate = template.locate
    errors.extend(definition.errors)

    if max_resources >= 0 and len(template.resources) > max_resources:
        errors.append(
            locate(
                StackValidationFailed(
                    "The template has more resources than allowed "
                    f"({len(template.resources)} > {max_resources}).",
                    path=(template.spelling.resources,),
                )
            )
        )

    for problem in definition.parameters.validate(check_values=True):
        if isinstance(problem, UserParameterMissing) and not strict:
            continue
        errors.append(locate(problem))

    if template.version.format == "hot" and template.parameter_groups:
        try:
            validate_parameter_groups(
                template.parameter_groups, definition.parameter_schemas,
                pseudo=tuple(definition.pseudo),
            )
        except TemplateError as exc:
            errors.append(locate(exc))

    try:
        definition.conditions.validate()
    except TemplateError as exc:
        errors.append(locate(exc))

    duplicates = set(definition.parameter_schemas) & set(definition.resources)
    if duplicates:
        errors.append(locate(StackValidationFailed(f"Duplicate names {duplicates}")))

    errors.extend(definition.reference_errors())

    # Types first: get_attr is checked against each type's attributes.
    registry = definition.environment.resource_registry
    resolved_by_type: dict[str, ResolvedType] = {}
    for name, rdef in definition.resources.items():
        # Most resources share their type's resolution; only a per-resource
        # registry entry can make one differ.
        shared = not registry.has_resource_entry(name)
        try:
            if shared and rdef.type in resolved_by_type:
                result.types[name] = resolved_by_type[rdef.type]
                continue
            resolved = _resolve_type(definition, name, rdef.type, types)
        except TemplateError as exc:
            errors.append(locate(exc))
            continue
        result.types[name] = resolved
        if shared:
            resolved_by_type[rdef.type] = resolved
    definition.set_attribute_lookup(lambda name: _attribute_names(result.types.get(name)))

    for rdef in definition.resources.values():
        for snippet in (rdef.properties, rdef.metadata, rdef.update_policy, rdef.external_id):
            if snippet is None:
                continue
            try:
                function.validate(snippet)
            except TemplateError as exc:
                errors.append(locate(exc))

    graph: Graph[str] = Graph.from_edges(definition.dependency_edges())
    for cycle in graph.cycles():
        errors.append(
            locate(CircularDependency(cycle, path=template.resource_path(cycle[0])))
        )

    for name, rdef in definition.resources.items():
        found = result.types.get(name)
        if found is None:
            continue
        resolved = found
        props_path = template.resource_path(name, template.spelling.properties)
        values, unresolved = _static_values(definition, rdef.properties, props_path)
        # As Heat: an external resource is taken over, not built; its properties are not checked.
        problems = [] if rdef.external_id is not None else _check_properties(
            props_path, values, unresolved, resolved, checker)
        if rdef.update_policy is not None:
            problems += _check_update_policy(definition, rdef, resolved)
        if problems:
            errors.extend(locate(e) for e in problems)
        if values is not None and resolved.final in GROUP_TYPES:
            known = {k: v for k, v in values.items() if k not in unresolved}
            errors.extend(
                _check_members(definition, name, resolved.final, known, props_path, types,
                               checker=checker, max_depth=max_depth, depth=depth)
            )
        if resolved.provider is not None:
            if depth + 1 > max_depth:
                errors.append(
                    locate(
                        StackValidationFailed(
                            f"Recursion depth exceeds {max_depth}.",
                            path=template.resource_path(name),
                        )
                    )
                )
                continue
            nested = _validate_provider(
                definition, name, rdef.properties, resolved.provider, types,
                checker=checker, max_depth=max_depth, depth=depth,
            )
            result.nested[name] = nested
            for problem in nested.errors:
                errors.append(_nest_error(problem, template.resource_path(name)))

    for output in definition.outputs.values():
        try:
            function.validate(output.value)
        except TemplateError as exc:
            errors.append(locate(exc))

    return result


def _resolve_type(
    definition: StackDefinition,
    name: str,
    written: str,
    types: TypeSchemas | None,
    path: Path | None = None,
) -> ResolvedType:
    registry = definition.environment.resource_registry
    if path is None:
        path = definition.template.resource_path(name, definition.template.spelling.type)
    known = None if types is None else (lambda t: types.get(t) is not None)
    entry = registry.lookup(written, name, is_known_type=known)
    final = written
    if entry is not None:
        if entry.kind == "template":
            provider = load_provider(definition, entry.target, path, entry=entry)
            return ResolvedType(written, entry.target, provider=provider)
        final = entry.target
    if _is_template_name(final):
        provider = load_provider(definition, final, path)
        return ResolvedType(written, final, provider=provider)
    if types is None:
        return ResolvedType(written, final)
    schema = types.get(final)
    if schema is None:
        raise ResourceTypeNotFound(written, path=path)
    return ResolvedType(written, final, schema=schema)


def _is_template_name(type_name: str) -> bool:
    return type_name.endswith((".yaml", ".template")) or "://" in type_name


def _attribute_names(resolved: ResolvedType | None) -> frozenset[str] | None:
    if resolved is None:
        return None
    if resolved.provider is not None:
        return resolved.provider.attribute_names()
    if resolved.schema is None or resolved.schema.accepts_any_attribute:
        return None
    return frozenset(resolved.schema.attributes) | {"show"}


def _check_properties(
    path: Path,
    values: dict[str, Any] | None,
    unresolved: set[str],
    resolved: ResolvedType,
    checker: CustomConstraintChecker | None,
) -> list[TemplateError]:
    schema: Mapping[str, Any] | None
    if resolved.provider is not None:
        schema = resolved.provider.properties_schema()
    elif resolved.schema is not None:
        if resolved.schema.accepts_any_property:
            return []
        if values is None:
            return []
        schema = resolved.schema.properties_for(values)
    else:
        return []
    if values is None:
        return []
    # Defaults were checked when the type registered (or, for a provider
    # template, are checked as the nested stack's parameters).
    return Properties(schema).validate(
        values, path=path, skip=lambda key: key in unresolved, checker=checker,
        check_defaults=False,
    )


def _check_members(
    definition: StackDefinition,
    name: str,
    group_type: str,
    values: Mapping[str, Any],
    props_path: Path,
    types: TypeSchemas | None,
    *,
    checker: CustomConstraintChecker | None,
    max_depth: int,
    depth: int,
) -> list[TemplateError]:
    """Check the members a group resource would build: their type and properties."""
    locate = definition.template.locate
    problems: list[TemplateError] = []
    for member in member_definitions(group_type, values, props_path):
        try:
            resolved = _resolve_type(definition, name, member.type, types, path=member.type_path)
        except TemplateError as exc:
            problems.append(locate(exc))
            continue
        if resolved.provider is not None:
            if depth + 1 > max_depth:
                continue
            nested = _validate_provider(
                definition, name, dict(member.properties), resolved.provider, types,
                checker=checker, max_depth=max_depth, depth=depth,
            )
            problems.extend(
                _nest_error(p, definition.template.resource_path(name)) for p in nested.errors
            )
            unknown = set(member.properties) - set(resolved.provider.parameter_schemas())
            problems.extend(
                locate(StackValidationFailed(f"Unknown Property {key}",
                                             path=member.properties_path))
                for key in sorted(str(k) for k in unknown)
            )
        elif resolved.schema is not None and not resolved.schema.accepts_any_property:
            problems.extend(
                locate(e)
                for e in Properties(resolved.schema.properties).validate(
                    member.properties, path=member.properties_path, checker=checker,
                    check_defaults=False,
                )
            )
    return problems


def _check_update_policy(
    definition: StackDefinition, rdef: ResourceDefinition, resolved: ResolvedType
) -> list[TemplateError]:
    if rdef.update_policy is None or resolved.schema is None:
        return []
    path: Path = definition.template.resource_path(
        rdef.name, definition.template.spelling.update_policy
    )
    values, unresolved = _static_values(definition, rdef.update_policy, path)
    if values is None:
        return []
    known = {k: v for k, v in values.items() if k not in unresolved}
    return resolved.schema.validate_update_policy(known, path=path)


def _static_values(
    definition: StackDefinition, properties: Any, path: Path
) -> tuple[dict[str, Any] | None, set[str]]:
    """Property values that can be known before the stack runs, and the names of the rest."""
    ctx = definition.param_context
    if properties is None:
        return {}, set()
    if isinstance(properties, function.Function):
        try:
            whole = function.resolve(properties, ctx)
        except (Unresolvable, TemplateError):
            return None, set()
        return (whole if isinstance(whole, dict) else None), set()
    values: dict[str, Any] = {}
    unresolved: set[str] = set()
    for key, snippet in properties.items():
        try:
            values[key] = function.resolve(snippet, ctx)
        except Unresolvable:
            values[key] = None
            unresolved.add(key)
        except TemplateError:
            # The function itself is wrong; its own validation says so.
            values[key] = None
            unresolved.add(key)
    return values, unresolved


def _validate_provider(
    definition: StackDefinition,
    name: str,
    properties: Any,
    provider: ProviderTemplate,
    types: TypeSchemas | None,
    *,
    checker: CustomConstraintChecker | None,
    max_depth: int,
    depth: int,
) -> Validation:
    child = provider.child_definition(definition, name, properties)
    return validate(child, types, checker=checker, max_depth=max_depth, depth=depth + 1)


def _nest_error(error: TemplateError, prefix: Path) -> TemplateError:
    # A problem inside a provider template stays in that template's file
    # and line; its path says which resource of the parent led there.
    if not error.path or error.path[: len(prefix)] != prefix:
        # A copy made without calling __init__: error classes take different arguments.
        nested = type(error).__new__(type(error))
        nested.__dict__.update(error.__dict__)
        nested.args = error.args
        nested.path = (*prefix, *error.path)
        return nested
    return error


def validate_body(
    result: Validation, *, show_nested: bool = False, environment: bool = True
) -> dict[str, Any]:
    """Heat's answer to ``POST /v1/{project}/validate`` for a valid template."""
    definition = result.definition
    body: dict[str, Any] = {
        "Description": definition.template.description,
        "Parameters": _parameter_entries(definition),
    }
    groups = definition.template.parameter_groups
    if groups and definition.template.version.format == "hot":
        body["ParameterGroups"] = groups
    if show_nested:
        nested = _nested_parameters(result)
        if nested:
            body["NestedParameters"] = nested
    if environment:
        body["Environment"] = definition.environment.to_dict()
    return body


def _parameter_entries(definition: StackDefinition) -> dict[str, Any]:
    return definition.parameters.validate_entries()


def _nested_parameters(result: Validation) -> dict[str, Any]:
    out = {}
    for name, child in result.nested.items():
        resolved = result.types[name]
        entry: dict[str, Any] = {
            "Type": resolved.written,
            "Description": child.definition.template.description,
            "Parameters": _parameter_entries(child.definition),
        }
        groups = child.definition.template.parameter_groups
        if groups and child.definition.template.version.format == "hot":
            entry["ParameterGroups"] = groups
        entry.update(
            {"NestedParameters": n} if (n := _nested_parameters(child)) else {}
        )
        out[name] = entry
    return out



ErrorFilter = Callable[[TemplateError], bool]
