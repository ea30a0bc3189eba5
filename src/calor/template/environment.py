"""Environments: parameter values, parameter defaults and the resource registry.

An environment file has at most these sections: ``parameters``,
``parameter_defaults``, ``resource_registry``, ``event_sinks``,
``encrypted_param_names`` and ``parameter_merge_strategies``.

How a stack's environment is assembled (Heat's order, api/openstack/v1/stacks.py
and engine/service.py), done by :func:`stack_environment`:

1. the request's ``environment`` (ignored when ``environment_files`` is given);
2. the request's ``parameters`` on top (:meth:`Environment.merged_with_parameters`);
3. each of ``environment_files``, in order, merged on top with
   :func:`merge_environments`. Under the default ``overwrite`` strategy an
   environment file's value therefore beats a ``--parameter`` value.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from calor.template.errors import (
    EnvironmentError_,
    TemplateError,
    TemplateSyntaxError,
    ValidationErrors,
)
from calor.template.loader import attach_location, parse_yaml_or_json
from calor.template.resource_registry import RegistryEntry, ResourceRegistry

PARAMETERS = "parameters"
PARAMETER_DEFAULTS = "parameter_defaults"
RESOURCE_REGISTRY = "resource_registry"
EVENT_SINKS = "event_sinks"
ENCRYPTED_PARAM_NAMES = "encrypted_param_names"
PARAMETER_MERGE_STRATEGIES = "parameter_merge_strategies"

SECTIONS = (
    PARAMETERS,
    RESOURCE_REGISTRY,
    PARAMETER_DEFAULTS,
    ENCRYPTED_PARAM_NAMES,
    EVENT_SINKS,
    PARAMETER_MERGE_STRATEGIES,
)
_MAP_SECTIONS = (PARAMETERS, PARAMETER_DEFAULTS, RESOURCE_REGISTRY, PARAMETER_MERGE_STRATEGIES)

OVERWRITE = "overwrite"
MERGE = "merge"
DEEP_MERGE = "deep_merge"
MERGE_STRATEGIES = (OVERWRITE, MERGE, DEEP_MERGE)

Source = str | Mapping[str, Any] | None


@dataclass
class Environment:
    """One stack's environment: what ``stack environment show`` displays.

    ``resource_registry`` may sit above a global registry (its ``parent``).
    ``parameter_merge_strategies`` only matters while environment files are
    merged; it is kept here but never shown.
    """

    parameters: dict[str, Any] = field(default_factory=dict)
    parameter_defaults: dict[str, Any] = field(default_factory=dict)
    resource_registry: ResourceRegistry = field(default_factory=ResourceRegistry)
    event_sinks: list[dict[str, Any]] = field(default_factory=list)
    encrypted_param_names: list[str] = field(default_factory=list)
    parameter_merge_strategies: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(
        cls,
        source: Source,
        *,
        filename: str | None = None,
        global_registry: ResourceRegistry | None = None,
    ) -> Environment:
        """Read an environment from YAML/JSON text or an already-loaded mapping.

        Errors carry the path inside the environment and, for text, the file
        and line.
        """
        text, sections = _read(source, filename)
        try:
            registry = ResourceRegistry(sections.get(RESOURCE_REGISTRY, {}), parent=global_registry)
        except TemplateError as exc:
            attach_location(exc, text, filename)
            raise
        return cls(
            parameters=copy.deepcopy(dict(sections.get(PARAMETERS, {}))),
            parameter_defaults=copy.deepcopy(dict(sections.get(PARAMETER_DEFAULTS, {}))),
            resource_registry=registry,
            event_sinks=copy.deepcopy(list(sections.get(EVENT_SINKS, []))),
            encrypted_param_names=list(sections.get(ENCRYPTED_PARAM_NAMES, [])),
            parameter_merge_strategies=dict(sections.get(PARAMETER_MERGE_STRATEGIES, {})),
        )

    def to_dict(self, *, include_encrypted_param_names: bool = False) -> dict[str, Any]:
        """The environment as Heat shows it.

        Without arguments this is what template validate returns as
        ``Environment`` and what a nested stack inherits (Heat's
        ``user_env_as_dict``); with ``include_encrypted_param_names`` it is the
        stored form that ``stack environment show`` returns (``env_as_dict``).
        """
        shown: dict[str, Any] = {
            RESOURCE_REGISTRY: self.resource_registry.to_dict(),
            PARAMETERS: copy.deepcopy(self.parameters),
            PARAMETER_DEFAULTS: copy.deepcopy(self.parameter_defaults),
            EVENT_SINKS: copy.deepcopy(self.event_sinks),
        }
        if include_encrypted_param_names:
            shown[ENCRYPTED_PARAM_NAMES] = list(self.encrypted_param_names)
        return shown

    def copy(self) -> Environment:
        return Environment(
            parameters=copy.deepcopy(self.parameters),
            parameter_defaults=copy.deepcopy(self.parameter_defaults),
            resource_registry=self.resource_registry.copy(),
            event_sinks=copy.deepcopy(self.event_sinks),
            encrypted_param_names=list(self.encrypted_param_names),
            parameter_merge_strategies=dict(self.parameter_merge_strategies),
        )

    def merged_with_parameters(self, user_params: Mapping[str, Any]) -> Environment:
        """This environment with the request's ``parameters`` on top.

        The request's parameters beat the request's own ``environment``, but
        environment files are merged after this step and so beat both (see
        the module docstring); ``stack_environment`` applies that order.
        """
        merged = self.copy()
        merged.parameters.update(copy.deepcopy(dict(user_params)))
        return merged

    def updated(self, other: Environment | Source, *, filename: str | None = None) -> Environment:
        """This environment with another loaded on top, as a stack update does.

        Parameters and parameter defaults are updated key by key, registry
        entries replace or (``null``) delete earlier ones, event sinks are
        appended.
        """
        merged = self.copy()
        sections: Mapping[str, Any]
        if isinstance(other, Environment):
            merged.resource_registry.overlay(other.resource_registry)
            sections = other.to_dict()
        else:
            text, sections = _read(other, filename)
            try:
                merged.resource_registry.load(sections.get(RESOURCE_REGISTRY, {}))
            except TemplateError as exc:
                attach_location(exc, text, filename)
                raise
        merged.parameters.update(copy.deepcopy(dict(sections.get(PARAMETERS, {}))))
        merged.parameter_defaults.update(copy.deepcopy(dict(sections.get(PARAMETER_DEFAULTS, {}))))
        merged.event_sinks.extend(copy.deepcopy(list(sections.get(EVENT_SINKS, []))))
        return merged

    def child(
        self,
        resource_name: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        *,
        provider: RegistryEntry | None = None,
    ) -> Environment:
        """The environment of the nested stack that ``resource_name`` creates.

        The child keeps the registry (narrowed, see
        :meth:`ResourceRegistry.child`), the parameter defaults and the event
        sinks; its parameters are only ``parameters``. Those are the nested
        stack's parameter values, or, if they hold any environment section, an
        environment loaded on top.
        """
        child = Environment(
            parameter_defaults=copy.deepcopy(self.parameter_defaults),
            resource_registry=self.resource_registry.child(resource_name, provider=provider),
            event_sinks=copy.deepcopy(self.event_sinks),
        )
        if parameters is None:
            return child
        if any(section in parameters for section in SECTIONS):
            return child.updated(parameters)
        child.parameters = copy.deepcopy(dict(parameters))
        return child


def merge_environments(
    files: Sequence[tuple[str, Source]],
    base: Environment | None = None,
    *,
    param_types: Mapping[str, str] | None = None,
) -> Environment:
    """Merge environment files, in order, on top of ``base`` (Heat's ``environment_files``).

    ``files`` holds (file name, contents) pairs. ``parameters`` and
    ``parameter_defaults`` are merged by each file's
    ``parameter_merge_strategies`` (``overwrite``, the default, ``merge`` or
    ``deep_merge``, per parameter or as ``default``). Once a file names a
    strategy for a parameter, later files keep it unless they name another,
    which is an error. ``param_types`` gives each parameter's type (as the
    template, and its nested templates, declare it: ``string``, ``number``,
    ``comma_delimited_list``, ``json``, ``boolean`` or the CFN spellings);
    without it the type is guessed from the value. With types given, a later
    file's values for undeclared parameters are dropped, as in Heat.

    Where Heat's merge is broken Calor does better: each file's
    ``resource_registry`` is loaded on top of the previous ones (so a later
    ``resources`` section adds to an earlier one instead of replacing it, and
    ``null`` deletes), event sinks are appended, numbers given as numbers add
    up, and merging a list with a comma-delimited string gives a list.
    """
    merged = base.copy() if base is not None else Environment()
    chosen: dict[str, str] = {}
    for filename, source in files:
        text, sections = _read(source, filename)
        strategies = sections.get(PARAMETER_MERGE_STRATEGIES, {})
        try:
            for section in (PARAMETERS, PARAMETER_DEFAULTS):
                new = sections.get(section)
                if new:
                    merger = _ParameterMerge(section, param_types, strategies, chosen, filename)
                    setattr(merged, section, merger.merge(getattr(merged, section), new))
            merged.resource_registry.load(sections.get(RESOURCE_REGISTRY, {}))
        except TemplateError as exc:
            attach_location(exc, text, filename)
            raise
        merged.event_sinks.extend(copy.deepcopy(list(sections.get(EVENT_SINKS, []))))
        merged.encrypted_param_names.extend(sections.get(ENCRYPTED_PARAM_NAMES, []))
    return merged


def stack_environment(
    environment: Source = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    environment_files: Sequence[str] = (),
    files: Mapping[str, str] | None = None,
    param_types: Mapping[str, str] | None = None,
    global_registry: ResourceRegistry | None = None,
) -> Environment:
    """A stack-create/update request's environment, assembled in Heat's order.

    See the module docstring: the request ``environment`` is ignored when
    ``environment_files`` are given, the request ``parameters`` go on top of
    it, and the environment files (contents taken from ``files``) are merged
    last, so their values win under ``overwrite``.
    """
    if environment_files:
        environment = None
    env = Environment.parse(environment, global_registry=global_registry)
    env = env.merged_with_parameters(parameters or {})
    available = files or {}
    sources: list[tuple[str, Source]] = []
    for name in environment_files:
        if name not in available:
            raise EnvironmentError_(f'environment file "{name}" is not in files', file=name)
        sources.append((name, available[name]))
    return merge_environments(sources, env, param_types=param_types)


# -- reading -------------------------------------------------------------


def _read(source: Source, filename: str | None) -> tuple[str | None, Mapping[str, Any]]:
    """The text (if any) and the checked sections of an environment."""
    text = source if isinstance(source, str) else None
    try:
        sections = _load(source, filename)
        _check_sections(sections)
    except TemplateError as exc:
        attach_location(exc, text, filename)
        raise
    return text, sections


def _load(source: Source, filename: str | None) -> Mapping[str, Any]:
    if source is None:
        return {}
    data: Any = source
    if isinstance(source, str):
        try:
            data = parse_yaml_or_json(source, filename=filename, what="environment")
        except TemplateSyntaxError as exc:
            raise EnvironmentError_(exc.message, file=exc.file, line=exc.line) from None
    if not isinstance(data, Mapping):
        raise EnvironmentError_(
            "The environment is not a valid YAML mapping data type.",
            line=1 if isinstance(source, str) else None,
        )
    return data


def _check_sections(sections: Mapping[str, Any]) -> None:
    errors: list[TemplateError] = []
    for key, value in sections.items():
        if key not in SECTIONS:
            errors.append(
                EnvironmentError_(f'environment has wrong section "{key}"', path=(str(key),))
            )
        elif value is None:
            errors.append(EnvironmentError_(f'environment has empty section "{key}"', path=(key,)))
        elif key in _MAP_SECTIONS and not isinstance(value, Mapping):
            errors.append(
                EnvironmentError_(f'environment section "{key}" must be a map', path=(key,))
            )
        elif key not in _MAP_SECTIONS and not isinstance(value, list):
            errors.append(
                EnvironmentError_(f'environment section "{key}" must be a list', path=(key,))
            )
        elif key == EVENT_SINKS:
            errors.extend(_event_sink_errors(value))
        elif key == ENCRYPTED_PARAM_NAMES:
            errors.extend(
                EnvironmentError_("encrypted parameter names must be strings", path=(key, index))
                for index, name in enumerate(value)
                if not isinstance(name, str)
            )
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


def _event_sink_errors(sinks: list[Any]) -> list[TemplateError]:
    return [
        EnvironmentError_('an event sink must be a map with a "type"', path=(EVENT_SINKS, index))
        for index, sink in enumerate(sinks)
        if not (isinstance(sink, Mapping) and isinstance(sink.get("type"), str))
    ]


# -- merging parameters --------------------------------------------------

# Heat's parameter types, in both HOT and CFN spelling, by how they merge.
_MERGE_KINDS = {
    "string": "string",
    "String": "string",
    "number": "number",
    "Number": "number",
    "comma_delimited_list": "list",
    "CommaDelimitedList": "list",
    "json": "json",
    "Json": "json",
    "boolean": "boolean",
    "Boolean": "boolean",
}


class _ParameterMerge:
    """Merges one file's ``parameters`` or ``parameter_defaults`` into the result so far."""

    def __init__(
        self,
        section: str,
        param_types: Mapping[str, str] | None,
        strategies: Mapping[str, Any],
        chosen: dict[str, str],
        filename: str,
    ) -> None:
        self.section = section
        self.param_types = param_types
        self.strategies = strategies
        # Strategy per parameter, fixed by the first file that merges it
        # (shared between parameters and parameter_defaults, as in Heat).
        self.chosen = chosen
        self.filename = filename

    def merge(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
        for key, value in new.items():
            if self._declared(key) and value is not None:
                self._choose(key)
        if not old:
            return copy.deepcopy(dict(new))
        merged = dict(old)
        for key, value in new.items():
            if not self._declared(key) or value is None:
                continue
            strategy = self.chosen[key]
            if strategy in (MERGE, DEEP_MERGE):
                merged[key] = self._merge_value(key, merged.get(key), value, strategy)
            else:
                merged[key] = copy.deepcopy(value)
        return merged

    def _declared(self, key: str) -> bool:
        return self.param_types is None or key in self.param_types

    def _choose(self, key: str) -> None:
        default = self.strategies.get("default", OVERWRITE)
        strategy = self.strategies.get(key, self.chosen.get(key, default))
        if strategy not in MERGE_STRATEGIES:
            strategy = default
        earlier = self.chosen.setdefault(key, strategy)
        if earlier != strategy:
            raise EnvironmentError_(
                f"Conflicting merge strategy '{strategy}' for parameter '{key}' "
                f"in file '{self.filename}'.",
                path=(PARAMETER_MERGE_STRATEGIES, key),
            )

    def _merge_value(self, key: str, old: Any, new: Any, strategy: str) -> Any:
        kind = self._kind(key, new)
        path = (self.section, key)
        if kind == "boolean":
            raise EnvironmentError_(
                f"Invalid merge strategy '{strategy}' for parameter '{key}'.", path=path
            )
        if kind == "json":
            return _merge_map(_as_map(old, path), _as_map(new, path), deep=strategy == DEEP_MERGE)
        if kind == "list":
            return _merge_list(old, _as_list(new, path))
        if kind == "number":
            return _as_number(old if old is not None else 0, path) + _as_number(new, path)
        return _as_string(old if old is not None else "", path) + _as_string(new, path)

    def _kind(self, key: str, value: Any) -> str:
        declared = self.param_types.get(key) if self.param_types is not None else None
        if declared in _MERGE_KINDS:
            return _MERGE_KINDS[declared]
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int | float):
            return "number"
        if isinstance(value, Mapping):
            return "json"
        if isinstance(value, list):
            return "list"
        return "string"


def _invalid(reason: str, path: tuple[str, ...]) -> EnvironmentError_:
    return EnvironmentError_(f"Invalid parameter in environment {reason}.", path=path)


def _as_map(value: Any, path: tuple[str, ...]) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise _invalid(str(exc), path) from None
    if not isinstance(value, Mapping):
        raise _invalid(f"{value!r} is not a map", path)
    return copy.deepcopy(dict(value))


def _as_list(value: Any, path: tuple[str, ...]) -> list[Any] | str:
    if isinstance(value, str | list):
        return copy.deepcopy(value)
    raise _invalid(f"{value!r} is not a list", path)


def _as_number(value: Any, path: tuple[str, ...]) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError as exc:
                raise _invalid(str(exc), path) from None
    raise _invalid(f"{value!r} is not a number", path)


def _as_string(value: Any, path: tuple[str, ...]) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | bool):
        return str(value)
    raise _invalid(f"{value!r} is not a string", path)


def _merge_list(old: Any, new: list[Any] | str) -> list[Any] | str:
    """Lists append; comma-delimited strings join with ','; a mix becomes a list."""
    if not old:
        return new
    if isinstance(old, str) and isinstance(new, str):
        return f"{old},{new}"
    return _listed(old) + _listed(new)


def _listed(value: Any) -> list[Any]:
    return value.split(",") if isinstance(value, str) else list(value)


def _merge_map(old: dict[str, Any], new: Mapping[str, Any], *, deep: bool) -> dict[str, Any]:
    """``merge`` updates the top level; ``deep_merge`` recurses (strings concatenate)."""
    if not old:
        return dict(new)
    for key, value in new.items():
        if value is None:
            continue
        before = old.get(key)
        if not deep or not before:
            old[key] = value
        elif isinstance(value, Mapping):
            mergeable = isinstance(before, Mapping)
            old[key] = _merge_map(dict(before), value, deep=True) if mergeable else value
        elif isinstance(value, list):
            old[key] = _merge_list(before, value) if isinstance(before, list | str) else value
        elif isinstance(value, str) and isinstance(before, str):
            old[key] = before + value
        else:
            old[key] = value
    return old
