"""Template parameters: their declarations, their values and what Heat shows of them.

:class:`ParameterSchema` is one declaration (HOT ``parameters:`` or CFN
``Parameters:``), checked as Heat checks it when the template loads, its
default included. :class:`Parameters` holds a stack's values: the user's,
then ``parameter_defaults`` from the environment, then the template's
defaults, with the pseudo parameters (``OS::stack_name``, ``AWS::Region``,
...) beside them. ``parameter_groups`` and the validate API's per-parameter
answer live here too, since both are about declarations.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, cast
from urllib.parse import quote

from calor.template.constraints import (
    AllowedPattern,
    AllowedValues,
    Constraint,
    ConstraintError,
    CustomConstraint,
    CustomConstraintChecker,
    Length,
    Range,
    constraint_from_hot,
    to_number,
)
from calor.template.errors import (
    InvalidParameterValue,
    InvalidSchemaError,
    StackValidationFailed,
    TemplateError,
    UnknownUserParameter,
    UserParameterMissing,
    ValidationErrors,
)
from calor.template.types import Path

if TYPE_CHECKING:
    from calor.template.versions import TemplateVersion

ParameterType = Literal["string", "number", "comma_delimited_list", "json", "boolean"]


class _Missing(enum.Enum):
    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


#: Stands for "no default" and "no value" (``None`` counts as absent, as in Heat).
MISSING: Final = _Missing.MISSING

HIDDEN_VALUE = "******"

# HOT spells types as below; CFN and Heat's validate API as the values.
API_TYPES: Mapping[str, str] = {
    "string": "String",
    "number": "Number",
    "comma_delimited_list": "CommaDelimitedList",
    "json": "Json",
    "boolean": "Boolean",
}
_CFN_TYPES: Mapping[str, ParameterType] = {
    "String": "string",
    "Number": "number",
    "CommaDelimitedList": "comma_delimited_list",
    "Json": "json",
    "Boolean": "boolean",
}
# What each parameter type holds, in the constraints' vocabulary.
_VALUE_KINDS: Mapping[str, str] = {
    "string": "string",
    "number": "number",
    "comma_delimited_list": "list",
    "json": "map",
    "boolean": "boolean",
}
_CFN_PARAMETER_KEYS = frozenset(
    {"Type", "Default", "NoEcho", "AllowedValues", "AllowedPattern", "MaxLength", "MinLength",
     "MaxValue", "MinValue", "Description", "ConstraintDescription", "Label"}
)
_TRUE_STRINGS = ("1", "t", "true", "on", "y", "yes")
_FALSE_STRINGS = ("0", "f", "false", "off", "n", "no")

#: Heat's placeholder region for CFN templates.
DEFAULT_REGION = "ap-southeast-1"


def parse_boolean(value: Any) -> bool:
    """oslo's strict boolean reading: true/false, yes/no, on/off, 1/0, t/f, y/n."""
    if isinstance(value, bool):
        return value
    text = str(value)
    lowered = text.strip().lower()
    if lowered in _TRUE_STRINGS:
        return True
    if lowered in _FALSE_STRINGS:
        return False
    acceptable = ", ".join(f"'{s}'" for s in sorted(_TRUE_STRINGS + _FALSE_STRINGS))
    raise ValueError(f"Unrecognized value '{text}', acceptable values are: {acceptable}")


def _check_keys(raw: Any, allowed: frozenset[str], name: str, path: Path) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidSchemaError(f"Invalid parameter ({name}), expected a mapping", path=path)
    for key in raw:
        if key not in allowed:
            raise InvalidSchemaError(f"Invalid key '{key}' for parameter ({name})", path=path)
    return raw


@dataclass(frozen=True)
class ParameterSchema:
    """One parameter declaration, in HOT's vocabulary whatever the template's format."""

    name: str
    type: ParameterType
    description: str | None = None
    default: Any = MISSING
    constraints: tuple[Constraint, ...] = ()
    hidden: bool = False
    label: str | None = None
    immutable: bool = False
    tags: tuple[Any, ...] = ()
    #: The grammar that declared it; CFN spells types ``String``, ``Number``, ...
    format: Literal["hot", "cfn"] = "hot"

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING

    @property
    def required(self) -> bool:
        return not self.has_default

    @property
    def spelled_type(self) -> str:
        """The type as the template wrote it (and as Heat's messages name it)."""
        return self.type if self.format == "hot" else API_TYPES[self.type]

    # -- loading -------------------------------------------------------------

    @classmethod
    def from_hot(
        cls, name: str, raw: Any, version: TemplateVersion, path: Path
    ) -> ParameterSchema:
        """Parse a HOT declaration; raise InvalidSchemaError as Heat does."""
        raw = _check_keys(raw, version.parameter_keys, name, path)
        if "type" not in raw:
            raise InvalidSchemaError(f"Missing parameter type for parameter: {name}", path=path)
        tags = raw.get("tags", [])
        if not isinstance(tags, list):
            raise InvalidSchemaError(
                f"Tags property should be a list for parameter: {name}", path=(*path, "tags")
            )
        entries = raw.get("constraints")
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise InvalidSchemaError(
                f"Invalid parameter constraints for parameter {name}, expected a list",
                path=(*path, "constraints"),
            )
        paths = [(*path, "constraints", i) for i in range(len(entries))]
        constraints = tuple(
            constraint_from_hot(entry, allowed=version.constraint_keys, path=where)
            for entry, where in zip(entries, paths, strict=True)
        )
        declared = raw["type"]
        if not isinstance(declared, str) or declared not in API_TYPES:
            raise InvalidSchemaError(f"Invalid type ({declared})", path=(*path, "type"))
        schema = cls(
            name=name,
            type=cast(ParameterType, declared),
            description=_text_or_none(raw.get("description")),
            default=_default(raw.get("default")),
            constraints=constraints,
            hidden=bool(raw.get("hidden", False)),
            label=_text_or_none(raw.get("label")),
            immutable=bool(raw.get("immutable", False)),
            tags=tuple(tags),
        )
        schema._check_declaration(path, paths)
        return schema

    @classmethod
    def from_cfn(cls, name: str, raw: Any, path: Path) -> ParameterSchema:
        """Parse a CFN declaration; raise InvalidSchemaError as Heat does."""
        raw = _check_keys(raw, _CFN_PARAMETER_KEYS, name, path)
        if "Type" not in raw:
            raise InvalidSchemaError(f"Missing parameter type for parameter: {name}", path=path)
        constraints = _cfn_constraints(raw, path)
        declared = raw["Type"]
        if not isinstance(declared, str) or declared not in _CFN_TYPES:
            raise InvalidSchemaError(f"Invalid type ({declared})", path=(*path, "Type"))
        schema = cls(
            name=name,
            type=_CFN_TYPES[declared],
            description=_text_or_none(raw.get("Description")),
            default=_default(raw.get("Default")),
            constraints=tuple(constraints),
            hidden=str(raw.get("NoEcho", "false")).lower() == "true",
            label=_text_or_none(raw.get("Label")),
            format="cfn",
        )
        schema._check_declaration(path, [path] * len(constraints))
        return schema

    def _check_declaration(self, path: Path, constraint_paths: Sequence[Path]) -> None:
        """Constraints fit the type, and the default satisfies them (custom ones aside)."""
        kind = _VALUE_KINDS[self.type]
        for constraint, where in zip(self.constraints, constraint_paths, strict=True):
            if kind not in constraint.valid_types:
                raise InvalidSchemaError(
                    f"Parameter '{self.name}' is invalid: {type(constraint).__name__} "
                    f"constraint invalid for {self.spelled_type}",
                    path=where,
                )
        if not self.has_default:
            return
        default_key = "default" if self.format == "hot" else "Default"
        try:
            self._check_default()
        except (ValueError, TypeError, ConstraintError) as err:
            raise InvalidSchemaError(
                f"Parameter '{self.name}' is invalid: Invalid default {self.default} ({err})",
                path=(*path, default_key),
            ) from err
        except InvalidSchemaError as err:
            err.message = f"Parameter '{self.name}' is invalid: {err.message}"
            err.path = (*path, default_key)
            raise

    def _check_default(self) -> None:
        default = self.default
        if self.type == "comma_delimited_list":
            # Heat splits a default string without the '' -> [] rule of values.
            if isinstance(default, list):
                candidate: Any = [str(item) for item in default]
            elif isinstance(default, str):
                candidate = default.split(",")
            else:
                raise InvalidSchemaError(
                    "Default must be a comma-delimited list string: "
                    f"'{type(default).__name__}' object has no attribute 'split'"
                )
        else:
            candidate = self._constrained_form(default, self._convert(default))
        for constraint in self.constraints:
            if not isinstance(constraint, CustomConstraint):
                constraint.validate(candidate, coerce=self._coerce)

    # -- values --------------------------------------------------------------

    def convert(self, value: Any) -> Any:
        """The value in this parameter's type; InvalidParameterValue when it is not one."""
        try:
            return self._convert(value)
        except (ValueError, TypeError) as err:
            raise InvalidParameterValue(
                self.name, str(err), path=("parameters", self.name)
            ) from err

    def check(self, value: Any, checker: CustomConstraintChecker | None = None) -> Any:
        """Convert ``value`` and apply every constraint; the converted value."""
        converted = self.convert(value)
        candidate = self._constrained_form(value, converted)
        for constraint in self.constraints:
            try:
                constraint.validate(candidate, checker, coerce=self._coerce)
            except ConstraintError as err:
                raise InvalidParameterValue(
                    self.name, err.message, path=("parameters", self.name)
                ) from err
        return converted

    def _convert(self, value: Any) -> Any:
        if self.type == "string":
            return str(value)
        if self.type == "number":
            return to_number(value)
        if self.type == "boolean":
            return parse_boolean(value)
        if self.type == "comma_delimited_list":
            return _to_list(value)
        return _to_json(value)

    def _constrained_form(self, raw: Any, converted: Any) -> Any:
        # Heat checks numbers and booleans as given, so messages quote the
        # user's text; strings, lists and maps are checked once converted.
        return raw if self.type in ("number", "boolean") else converted

    def _coerce(self, value: Any) -> Any:
        """The schema's conversion as ``allowed_values`` applies it."""
        try:
            if self.type == "number":
                return to_number(value)
            if self.type == "boolean":
                return parse_boolean(str(value))
            if self.type == "string":
                return str(value)
        except (ValueError, TypeError) as err:
            raise ValueError(
                f'Value "{value}" is invalid for data type "{self.spelled_type}".'
            ) from err
        return value

    def as_text(self, value: Any) -> str:
        """A converted value as ``stack show`` prints it (hidden ones masked)."""
        if self.hidden:
            return HIDDEN_VALUE
        if self.type == "comma_delimited_list":
            return ",".join(value)
        if self.type == "json":
            return json.dumps(value)
        return str(value)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _default(value: Any) -> Any:
    return MISSING if value is None else value


def _cfn_number(raw: Mapping[str, Any], key: str, path: Path) -> Any:
    value = raw.get(key)
    if value is None:
        return None
    try:
        return to_number(value)
    except (ValueError, TypeError) as err:
        raise InvalidSchemaError("min/max must be numeric", path=(*path, key)) from err


_CFN_BOUNDS: tuple[tuple[str, str, type[Range] | type[Length]], ...] = (
    ("MinValue", "MaxValue", Range),
    ("MinLength", "MaxLength", Length),
)


def _cfn_constraints(raw: Mapping[str, Any], path: Path) -> list[Constraint]:
    """CFN's constraint keys as constraints, each carrying ConstraintDescription."""
    description = _text_or_none(raw.get("ConstraintDescription"))
    constraints: list[Constraint] = []
    try:
        for low_key, high_key, bounded in _CFN_BOUNDS:
            if low_key in raw or high_key in raw:
                low = _cfn_number(raw, low_key, path)
                high = _cfn_number(raw, high_key, path)
                constraints.append(bounded(low, high, description=description))
        if "AllowedValues" in raw:
            constraints.append(AllowedValues(raw["AllowedValues"], description=description))
        if "AllowedPattern" in raw:
            constraints.append(AllowedPattern(raw["AllowedPattern"], description=description))
    except InvalidSchemaError as err:
        if not err.path:
            err.path = path
        raise
    return constraints


def _to_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if not isinstance(value, str):
        raise ValueError(
            "Value must be a comma-delimited list string: "
            f"'{type(value).__name__}' object has no attribute 'split'"
        )
    # No stripping: "a, b" is ["a", " b"], as in Heat.
    return [] if value == "" else value.split(",")


def _to_json(value: Any) -> Any:
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        # Heat passes an empty string through unparsed.
        return json.loads(text) if text else value
    except (ValueError, TypeError) as err:
        raise ValueError(f"Value must be valid JSON: {err}") from err


def parse_parameters_section(
    section: Any, version: TemplateVersion, path: Path | None = None
) -> dict[str, ParameterSchema]:
    """Every declaration of a ``parameters`` (HOT) or ``Parameters`` (CFN) section."""
    if path is None:
        path = ("parameters",) if version.format == "hot" else ("Parameters",)
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        raise InvalidSchemaError(f"Invalid {path[-1]} section, expected a mapping", path=path)
    schemas: dict[str, ParameterSchema] = {}
    for raw_name, raw in section.items():
        name = str(raw_name)
        where = (*path, name)
        if version.format == "hot":
            schemas[name] = ParameterSchema.from_hot(name, raw, version, where)
        else:
            schemas[name] = ParameterSchema.from_cfn(name, raw, where)
    return schemas


# -- a stack's values --------------------------------------------------------


class Parameters(Mapping[str, Any]):
    """A stack's parameter values, converted to their types, pseudo parameters included.

    A value comes from the user, else from the environment's
    ``parameter_defaults``, else from the template's default; ``None``
    anywhere counts as absent. Reading a required parameter that has no
    value raises UserParameterMissing; :meth:`validate` reports every
    problem at once.
    """

    def __init__(
        self,
        schemas: Mapping[str, ParameterSchema],
        user_values: Mapping[str, Any] | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
        pseudo: Mapping[str, Any] | None = None,
        checker: CustomConstraintChecker | None = None,
    ) -> None:
        self.schemas = dict(schemas)
        self.user_values = {k: v for k, v in (user_values or {}).items() if v is not None}
        unknown = [
            UnknownUserParameter(name, path=("parameters", name))
            for name in (user_values or {})
            if name not in self.schemas
        ]
        if len(unknown) == 1:
            raise unknown[0]
        if unknown:
            raise ValidationErrors(unknown)
        # parameter_defaults for names the template lacks are ignored, as in Heat.
        self.parameter_defaults = {
            k: v for k, v in (defaults or {}).items() if k in self.schemas and v is not None
        }
        self.pseudo = {k: v for k, v in (pseudo or {}).items() if k not in self.schemas}
        self.checker = checker
        self._converted: dict[str, Any] = {}

    def raw_value(self, name: str) -> Any:
        """The value before conversion, or MISSING."""
        if name in self.user_values:
            return self.user_values[name]
        return self.default(name)

    def default(self, name: str) -> Any:
        """The effective default: ``parameter_defaults`` over the template's, or MISSING."""
        if name in self.parameter_defaults:
            return self.parameter_defaults[name]
        return self.schemas[name].default

    def has_value(self, name: str) -> bool:
        return name in self.pseudo or self.raw_value(name) is not MISSING

    def __getitem__(self, name: str) -> Any:
        if name in self.schemas:
            if name not in self._converted:
                raw = self.raw_value(name)
                if raw is MISSING:
                    raise UserParameterMissing(name, path=("parameters", name))
                self._converted[name] = self.schemas[name].convert(raw)
            return self._converted[name]
        return self.pseudo[name]

    def __iter__(self) -> Iterator[str]:
        yield from self.pseudo
        yield from self.schemas

    def __len__(self) -> int:
        return len(self.pseudo) + len(self.schemas)

    def __contains__(self, name: object) -> bool:
        return name in self.schemas or name in self.pseudo

    def validate(self, check_values: bool = True) -> list[TemplateError]:
        """Every missing, unconvertible or constraint-breaking value (none when
        ``check_values`` is false: declarations are checked when they load)."""
        if not check_values:
            return []
        problems: list[TemplateError] = []
        for name, schema in self.schemas.items():
            raw = self.raw_value(name)
            try:
                if raw is MISSING:
                    raise UserParameterMissing(name, path=("parameters", name))
                schema.check(raw, self.checker)
            except StackValidationFailed as err:
                problems.append(err)
        return problems

    def masked(self) -> dict[str, str]:
        """Every value as ``stack show`` prints it, hidden ones as ``******``.

        Parameters without a value are left out.
        """
        shown: dict[str, str] = {name: str(value) for name, value in self.pseudo.items()}
        for name, schema in self.schemas.items():
            if self.raw_value(name) is MISSING:
                continue
            shown[name] = schema.as_text(self[name])
        return shown

    def validate_entries(self) -> dict[str, dict[str, Any]]:
        """The ``Parameters`` part of Heat's validate answer (pseudo parameters left out)."""
        # Imported here: the entries module builds on this one.
        from calor.template.parameter_entries import validate_entry

        return {
            name: validate_entry(
                schema,
                self.user_values.get(name, MISSING),
                parameter_default=self.parameter_defaults.get(name, MISSING),
            )
            for name, schema in self.schemas.items()
        }


def pseudo_parameters(
    version: TemplateVersion,
    stack_name: str | None,
    stack_id: str | None,
    project_id: str | None,
    region: str | None = None,
) -> dict[str, str]:
    """The pseudo parameters a stack offers, with Heat's placeholders for unknowns.

    Before a stack is stored its id is unknown and Heat shows ``'None'``.
    HOT declares ``OS::region`` but Heat never provides it; Calor provides it
    when a region is given.
    """
    project = "" if project_id is None else str(project_id)
    if version.format == "hot":
        values = {"OS::stack_id": str(stack_id), "OS::project_id": project}
        if stack_name:
            values["OS::stack_name"] = stack_name
        if region is not None:
            values["OS::region"] = region
        return values
    arn = (
        f"arn:openstack:heat::{quote(project, safe='')}:stacks/"
        f"{quote(stack_name or '', safe='')}/{quote(str(stack_id), safe='')}"
    )
    values = {"AWS::StackId": arn}
    if stack_name:
        values["AWS::StackName"] = stack_name
        values["AWS::Region"] = region or DEFAULT_REGION
    return values


__all__ = [
    "DEFAULT_REGION",
    "HIDDEN_VALUE",
    "MISSING",
    "ParameterSchema",
    "ParameterType",
    "Parameters",
    "parse_boolean",
    "parse_parameters_section",
    "pseudo_parameters",
]
