"""A template bound to its environment and parameter values.

:class:`StackDefinition` is the whole stack as defined: parameters with
their values, conditions evaluated, and every enabled resource and output
parsed into function trees. It is also the :class:`~calor.template.scope.Scope`
its functions are parsed against. Problems found while building it are
collected, not raised one at a time; :func:`calor.template.validation.validate`
adds the checks that need the resource-type schemas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calor.template import function
from calor.template.condition_set import Conditions
from calor.template.constraints import CustomConstraintChecker
from calor.template.definitions import OutputDefinition, ResourceDefinition
from calor.template.environment import Environment
from calor.template.errors import (
    InvalidTemplateReference,
    StackValidationFailed,
    TemplateError,
    UserParameterMissing,
)
from calor.template.parameters import (
    Parameters,
    ParameterSchema,
    parse_parameters_section,
    pseudo_parameters,
)
from calor.template.template import Template
from calor.template.types import Path
from calor.template.versions import TemplateVersion


class Unresolvable(Exception):
    """A value that cannot be known before the stack runs (a resource's id, say)."""


class ParameterContext:
    """Resolves only parameters; anything else is :class:`Unresolvable`.

    Used for conditions (which may only read parameters) and for checking
    property values before any resource exists.
    """

    def __init__(self, parameters: Parameters, files: Mapping[str, str] | None = None) -> None:
        self.parameters = parameters
        self.files = files or {}

    def param(self, name: str) -> Any:
        if name not in self.parameters:
            raise UserParameterMissing(name)
        try:
            return self.parameters[name]
        except UserParameterMissing:
            raise Unresolvable(name) from None
        except TemplateError:
            # A value that breaks its parameter's rules is reported there.
            raise Unresolvable(name) from None

    def resource_ref(self, name: str) -> Any:
        raise Unresolvable(name)

    def resource_attr(self, name: str, attribute: str, path: Sequence[Any]) -> Any:
        raise Unresolvable(name)

    def resource_attrs(self, name: str) -> Mapping[str, Any] | None:
        raise Unresolvable(name)

    def file(self, key: str) -> str | None:
        return self.files.get(key)

    def availability_zones(self) -> list[str]:
        return ["nova"]

    def facade(self, key: str) -> Any:
        raise Unresolvable(key)


class StackDefinition:
    """Everything a template defines once bound to an environment.

    ``attribute_names`` is a callback the validator installs so that
    ``get_attr`` can be checked against each resource type's attributes.
    """

    def __init__(
        self,
        template: Template,
        environment: Environment | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        stack_name: str | None = None,
        stack_id: str | None = None,
        project_id: str | None = None,
        region: str | None = None,
        checker: CustomConstraintChecker | None = None,
        parent_registry: Any = None,
    ) -> None:
        self.template = template
        self.environment = environment or Environment.parse(None)
        self.errors: list[TemplateError] = []
        self._attribute_lookup: Any = None
        spelling = template.spelling

        # Parameters: schemas, then values (user > parameter_defaults > default).
        try:
            self.parameter_schemas: dict[str, ParameterSchema] = parse_parameters_section(
                template.parameters, template.version
            )
        except TemplateError as exc:
            self.parameter_schemas = {}
            self._add(exc)
        user_values = {**self.environment.parameters, **(params or {})}
        self.pseudo = pseudo_parameters(
            template.version, stack_name, stack_id, project_id, region
        )
        self.parameters = Parameters(
            self.parameter_schemas,
            user_values,
            defaults=self.environment.parameter_defaults,
            pseudo=self.pseudo,
            checker=checker,
        )
        self.param_context = ParameterContext(self.parameters, template.files)
        self.conditions = Conditions(self, template.conditions, self.param_context)

        raw_resources = template.resources
        self._all_names = frozenset(str(n) for n in raw_resources)
        self._types = {
            str(n): body.get(spelling.type) for n, body in raw_resources.items()
        }
        self._enabled = self._evaluate_resource_conditions(raw_resources)
        self._fields = self._resource_fields()
        self.resources: dict[str, ResourceDefinition] = {}
        for name, body in raw_resources.items():
            if name in self._enabled:
                definition = self._parse_resource(str(name), body)
                if definition is not None:
                    self.resources[str(name)] = definition
        self.outputs: dict[str, OutputDefinition] = self._parse_outputs(template.outputs)

    # -- Scope -------------------------------------------------------------

    @property
    def version(self) -> TemplateVersion:
        return self.template.version

    def has_resource(self, name: str) -> bool:
        return name in self._enabled

    def is_defined_resource(self, name: str) -> bool:
        return name in self._all_names

    def has_parameter(self, name: str) -> bool:
        return name in self.parameter_schemas or name in self.pseudo

    def resource_type(self, name: str) -> str | None:
        value = self._types.get(name)
        return value if isinstance(value, str) else None

    def attribute_names(self, name: str) -> frozenset[str] | None:
        if self._attribute_lookup is None:
            return None
        found: frozenset[str] | None = self._attribute_lookup(name)
        return found

    def set_attribute_lookup(self, lookup: Any) -> None:
        self._attribute_lookup = lookup

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        found = self.template.mappings.get(name)
        return found if isinstance(found, Mapping) else None

    def condition(self, name: Any, path: Path) -> bool:
        return self.conditions.evaluate(name, path)

    # -- building ------------------------------------------------------------

    def _add(self, error: TemplateError) -> None:
        self.errors.append(self.template.locate(error))

    def _evaluate_resource_conditions(self, raw: Mapping[Any, Any]) -> set[str]:
        key = self.template.spelling.condition
        enabled = set()
        for name, body in raw.items():
            if isinstance(body, Mapping) and key and key in body and self.version.has_conditions:
                path = self.template.resource_path(str(name), key)
                try:
                    if not self.conditions.evaluate(body[key], path):
                        continue
                except TemplateError as exc:
                    self._add(exc)
                    continue
            enabled.add(str(name))
        return enabled

    def _resource_fields(self) -> dict[str, tuple[str, tuple[type, ...], str, bool]]:
        """Each resource key this version allows: (field, accepted types, their name, parse?)."""
        s = self.template.spelling
        fn = function.Function
        table = {
            s.type: ("type", (str,), "string", False),
            s.properties: ("properties", (dict, fn), "object", True),
            s.metadata: ("metadata", (dict, fn), "object", True),
            s.depends_on: ("depends_on", (list, str), "list or string", False),
            s.deletion_policy: ("deletion_policy", (str, fn), "string", True),
            s.update_policy: ("update_policy", (dict, fn), "object", True),
            s.res_description: ("description", (str,), "string", False),
            s.external_id: ("external_id", (str, fn), "string", True),
            # The condition was evaluated already; it is kept as written.
            s.condition: ("condition", (object,), "", False),
        }
        return {k: v for k, v in table.items() if k and k in self.version.resource_keys}

    def _parse_resource(self, name: str, body: Mapping[str, Any]) -> ResourceDefinition | None:
        s = self.template.spelling
        path = self.template.resource_path(name)
        fields = self._fields
        try:
            if "/" in name:
                raise StackValidationFailed('Resource name may not contain "/"', path=path)
            if self.version.format == "hot":
                invalid = [k for k in body if k not in fields]
                if invalid:
                    raise StackValidationFailed(
                        "Invalid keyword(s) inside a resource definition: "
                        + ", ".join(str(k) for k in invalid),
                        path=path,
                    )
            # Only the keys the resource has are looked at: usually two or three.
            values: dict[str, Any] = {}
            for key, value in body.items():
                spec = fields.get(key)
                if spec is None:
                    continue  # CFN ignores unknown resource keys
                attr, kinds, typename, parse = spec
                if parse:
                    value = function.parse(self, value, (*path, key))
                if not isinstance(value, kinds):
                    raise StackValidationFailed(
                        f"Resource {name} {key} type must be {typename}", path=(*path, key)
                    )
                values[attr] = value
            depends = values.get("depends_on")
            if isinstance(depends, str):
                depends = [depends]
            for dep in depends or ():
                if not isinstance(dep, str):
                    raise StackValidationFailed(
                        f"Resource {name} {s.depends_on} must be a list of strings",
                        path=(*path, s.depends_on),
                    )
            values["depends_on"] = tuple(depends or ())
            values["deletion_policy"] = self._deletion_policy(
                values.get("deletion_policy"), (*path, s.deletion_policy)
            )
            values["description"] = values.get("description") or ""
            return ResourceDefinition(name=name, path=path, **values)
        except TemplateError as exc:
            self._add(exc)
            return None

    def _deletion_policy(self, value: Any, path: Path) -> str:
        if value is None:
            return "Delete"
        policy = function.resolve(value, self.param_context)
        canonical = self.version.deletion_policies.get(policy) if isinstance(policy, str) else None
        if canonical is None:
            raise StackValidationFailed(f'Invalid deletion policy "{policy}"', path=path)
        return canonical

    def _parse_outputs(self, raw: Any) -> dict[str, OutputDefinition]:
        s = self.template.spelling
        section = s.outputs
        if not isinstance(raw, Mapping):
            self._add(
                StackValidationFailed(
                    f"Outputs must be a map. Found a {type(raw).__name__} instead",
                    path=(section,),
                )
            )
            return {}
        outputs: dict[str, OutputDefinition] = {}
        for name, body in raw.items():
            path: Path = (section, str(name))
            try:
                if not isinstance(body, Mapping):
                    raise StackValidationFailed(
                        "Output definitions must be a map. Found a "
                        f"{type(body).__name__} instead",
                        path=path,
                    )
                if self.version.format == "hot":
                    for key in body:
                        if key not in self.version.output_keys:
                            raise StackValidationFailed(
                                f'"{key}" is not a valid keyword inside a output definition',
                                path=path,
                            )
                if s.value not in body:
                    raise StackValidationFailed(
                        f"Each output definition must contain a {s.value} key.", path=path
                    )
                description = body.get(s.out_description)
                enabled = True
                cond_key = s.out_condition
                if cond_key in body and cond_key in self.version.output_keys:
                    enabled = self.conditions.evaluate(body[cond_key], (*path, cond_key))
                value = (
                    function.parse(self, body[s.value], (*path, s.value)) if enabled else None
                )
                outputs[str(name)] = OutputDefinition(
                    name=str(name),
                    value=value,
                    description=None if description is None else str(description),
                    enabled=enabled,
                    path=path,
                )
            except TemplateError as exc:
                self._add(exc)
        return outputs

    # -- references ----------------------------------------------------------

    def reference_errors(self) -> list[TemplateError]:
        """``depends_on`` naming no resource (a disabled one is silently dropped)."""
        problems: list[TemplateError] = []
        s = self.template.spelling
        for definition in self.resources.values():
            for dep in definition.depends_on:
                if dep not in self._enabled and dep not in self._all_names:
                    problems.append(
                        self.template.locate(
                            InvalidTemplateReference(
                                dep, definition.name, path=(*definition.path, s.depends_on)
                            )
                        )
                    )
        return problems

    def dependency_edges(self) -> list[tuple[str, str]]:
        """``(resource, requirement)`` pairs between enabled resources."""
        edges = []
        for definition in self.resources.values():
            for req in definition.required_resources():
                if req in self.resources:
                    edges.append((definition.name, req))
        return edges
