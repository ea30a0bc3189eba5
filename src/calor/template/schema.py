"""Declarative schemas of resource types: properties, attributes, support status.

A resource type declares its properties and attributes once, as
:class:`PropertySchema` and :class:`AttributeSchema` values. The same
declaration drives validation and coercion of property values
(:class:`Properties`), and a whole type's schema
(:mod:`calor.template.resource_types`) builds on them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from calor.template.constraints import (
    Coerce,
    Constraint,
    ConstraintError,
    CustomConstraint,
    CustomConstraintChecker,
    to_number,
)
from calor.template.errors import StackValidationFailed, TemplateError, ValidationErrors
from calor.template.function import OMITTED
from calor.template.types import Path


class PropertyType(StrEnum):
    """The data type of a property, spelled as plugins declare it."""

    STRING = "String"
    INTEGER = "Integer"
    NUMBER = "Number"
    BOOLEAN = "Boolean"
    LIST = "List"
    MAP = "Map"
    ANY = "Any"


class AttributeType(StrEnum):
    """The declared type of an attribute value (rendered lower-case)."""

    STRING = "String"
    INTEGER = "Integer"
    NUMBER = "Number"
    BOOLEAN = "Boolean"
    LIST = "List"
    MAP = "Map"


class CacheMode(StrEnum):
    """Whether the engine may keep an attribute value once read."""

    LOCAL = "cache_local"
    NONE = "cache_none"


class Support(StrEnum):
    """The support status values Heat knows."""

    UNKNOWN = "UNKNOWN"
    SUPPORTED = "SUPPORTED"
    DEPRECATED = "DEPRECATED"
    UNSUPPORTED = "UNSUPPORTED"
    HIDDEN = "HIDDEN"


@dataclass(frozen=True)
class SupportStatus:
    """Since when (``version``) a type, property or attribute has had ``status``.

    HIDDEN things still work in templates; listings and schema views leave
    them out.
    """

    status: Support = Support.SUPPORTED
    version: str | None = None
    message: str | None = None
    previous_status: SupportStatus | None = None

    def __post_init__(self) -> None:
        if self.status not in Support.__members__.values():
            raise ValueError(f"Invalid support status {self.status!r}")
        object.__setattr__(self, "status", Support(self.status))

    @property
    def hidden(self) -> bool:
        return self.status is Support.HIDDEN

    def to_dict(self) -> dict[str, Any]:
        previous = self.previous_status
        return {
            "status": str(self.status),
            "message": self.message,
            "version": self.version,
            "previous_status": previous.to_dict() if previous is not None else None,
        }


@dataclass(frozen=True)
class PropertySchema:
    """One property (or update-policy key) of a resource type.

    ``schema`` describes the contents: for a List, the schema of every item
    (``{"*": item}`` is accepted too); for a Map, the schema of each key.
    ``allow_conversion`` lets a List take a comma-separated string and a Map
    take a string or a list (what provider templates need for ``json``
    parameters).
    """

    type: PropertyType
    description: str | None = None
    default: Any = None
    required: bool = False
    constraints: Sequence[Constraint] = ()
    update_allowed: bool = False
    immutable: bool = False
    schema: PropertySchema | Mapping[str, PropertySchema] | None = None
    support_status: SupportStatus = SupportStatus()
    allow_conversion: bool = False

    def __post_init__(self) -> None:
        if self.type in PropertyType.__members__.values():
            object.__setattr__(self, "type", PropertyType(self.type))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        nested = self.schema
        if isinstance(nested, Mapping):
            if set(nested) == {"*"} and self.type == PropertyType.LIST:
                object.__setattr__(self, "schema", nested["*"])
            else:
                object.__setattr__(self, "schema", MappingProxyType(dict(nested)))

    @property
    def item_schema(self) -> PropertySchema | None:
        """The schema of each item of a List (None when items are free)."""
        return self.schema if isinstance(self.schema, PropertySchema) else None

    @property
    def key_schemas(self) -> Mapping[str, PropertySchema] | None:
        """The schemas of a Map's keys (None when the map is free-form)."""
        return self.schema if isinstance(self.schema, Mapping) else None

    def to_dict(self) -> dict[str, Any]:
        """Heat's rendering in ``resource type show``."""
        out: dict[str, Any] = {"type": str(self.type).lower()}
        if self.description is not None:
            out["description"] = self.description
        if self.default is not None:
            out["default"] = copy.deepcopy(self.default)
        if self.item_schema is not None:
            out["schema"] = {"*": self.item_schema.to_dict()}
        elif self.key_schemas is not None:
            out["schema"] = {k: s.to_dict() for k, s in self.key_schemas.items()}
        out["required"] = self.required
        if self.constraints:
            out["constraints"] = [c.to_dict() for c in self.constraints]
        out["update_allowed"] = self.update_allowed
        out["immutable"] = self.immutable
        return out

    def problems(self, name: str) -> list[str]:
        """What is wrong with this declaration itself, each naming ``name``."""
        found: list[str] = []
        if self.type not in PropertyType.__members__.values():
            return [f"{name}: Invalid type ({self.type})"]
        if self.schema is not None:
            if self.type not in (PropertyType.LIST, PropertyType.MAP):
                found.append(f"{name}: Schema valid only for List or Map, not {self.type}")
            elif self.item_schema is not None and self.type != PropertyType.LIST:
                found.append(f"{name}: Single schema valid only for List, not {self.type}")
            elif self.key_schemas is not None and self.type == PropertyType.LIST:
                found.append(f"{name}: a List's schema must be one schema for every item")
        for constraint in self.constraints:
            if not isinstance(constraint, Constraint):
                found.append(f"{name}: {constraint!r} is not a constraint")
            elif str(self.type).lower() not in constraint.valid_types:
                found.append(
                    f"{name}: {type(constraint).__name__} constraint invalid for {self.type}"
                )
        if self.update_allowed and self.immutable:
            found.append(f"{name}: Options update_allowed and immutable cannot both be True")
        if self.required and self.default is not None:
            found.append(
                f"{name}: Option 'required=True' should not be used with any "
                f"'default' value ({self.default})"
            )
        if self.default is not None and not found:
            errors: list[TemplateError] = []
            _coerce(self, self.default, (), errors, None, validate=True, custom=False)
            if errors:
                found.append(f"{name}: Invalid default {self.default} ({errors[0].message})")
        if self.item_schema is not None:
            found.extend(self.item_schema.problems(f"{name}.*"))
        for key, nested in (self.key_schemas or {}).items():
            found.extend(nested.problems(f"{name}.{key}"))
        return found


@dataclass(frozen=True)
class AttributeSchema:
    """One attribute a resource type offers to ``get_attr``."""

    description: str | None = None
    type: AttributeType | None = None
    support_status: SupportStatus = SupportStatus()
    cache_mode: CacheMode = CacheMode.LOCAL

    def to_dict(self) -> dict[str, Any]:
        """Heat's rendering in ``resource type show``."""
        out: dict[str, Any] = {}
        if self.description is not None:
            out["description"] = self.description
        if self.type is not None:
            out["type"] = str(self.type).lower()
        return out

    def problems(self, name: str) -> list[str]:
        if self.type is not None and self.type not in AttributeType.__members__.values():
            return [f"attribute {name}: Invalid type ({self.type})"]
        return []


#: The attribute every resource type has.
SHOW_ATTRIBUTE = AttributeSchema(
    "Everything the backend reports about the resource.",
    type=AttributeType.MAP,
    cache_mode=CacheMode.NONE,
)


class PropertyError(StackValidationFailed):
    """A property (or update policy) value that breaks its schema.

    Heat tags these ``Property error``; the tag leads the rendered message.
    """

    def __str__(self) -> str:
        return f"Property error: {super().__str__()}"

    def describe(self) -> str:
        return f"Property error: {super().describe()}"


# -- coercion (Heat's Property.get_value) ----------------------------------

#: Marks a value that failed coercion (its error is already recorded).
_INVALID: Any = object()


_TRUE_WORDS = frozenset({"1", "t", "true", "on", "y", "yes"})
_FALSE_WORDS = frozenset({"0", "f", "false", "off", "n", "no"})


def _schema_coercion(kind: PropertyType) -> Coerce:
    """How ``allowed_values`` compares a value of ``kind`` (Heat's ``to_schema_type``)."""

    def coerce(value: Any) -> Any:
        try:
            if kind == PropertyType.INTEGER:
                number = to_number(value)
                if isinstance(number, float):
                    raise ValueError(f"{number} is not an integer.")
                return number
            if kind == PropertyType.NUMBER:
                return to_number(value)
            if kind == PropertyType.STRING:
                return str(value)
            if kind == PropertyType.BOOLEAN:
                word = str(value).strip().lower()
                if word not in _TRUE_WORDS | _FALSE_WORDS:
                    raise ValueError(word)
                return word in _TRUE_WORDS
        except ValueError:
            raise ValueError(f'Value "{value}" is invalid for data type "{kind}".') from None
        return value

    return coerce


def _get_integer(schema: PropertySchema, value: Any) -> Any:
    if value is None:
        value = schema.default or 0
    try:
        return int(value)
    except ValueError:
        # A non-number (a list, say) keeps Python's own TypeError message.
        raise TypeError(f"Value '{value}' is not an integer") from None


def _get_number(schema: PropertySchema, value: Any) -> Any:
    if value is None:
        value = schema.default or 0
    return to_number(value)


def _get_string(schema: PropertySchema, value: Any) -> Any:
    if value is None:
        value = schema.default or ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int)):
        return str(value)
    raise ValueError(f"Value must be a string; got {value!r}")


def _get_boolean(schema: PropertySchema, value: Any) -> Any:
    if value is None:
        value = schema.default or False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise ValueError(f'"{lowered}" is not a valid boolean')
        return lowered == "true"
    raise TypeError(f'"{value}" is not a valid boolean')


def _coerce(
    schema: PropertySchema,
    value: Any,
    path: Path,
    errors: list[TemplateError],
    checker: CustomConstraintChecker | None,
    *,
    validate: bool,
    custom: bool = True,
) -> Any:
    """The value in the schema's type (None = use the default), recording errors.

    With ``validate`` the constraints are checked too (``custom`` False skips
    custom constraints, which need a cloud: defaults are checked that way).
    """
    try:
        kind = schema.type
        if kind == PropertyType.STRING:
            result = _get_string(schema, value)
        elif kind == PropertyType.INTEGER:
            result = _get_integer(schema, value)
        elif kind == PropertyType.NUMBER:
            result = _get_number(schema, value)
        elif kind == PropertyType.BOOLEAN:
            result = _get_boolean(schema, value)
        elif kind == PropertyType.LIST:
            result = _get_list(schema, value, path, errors, checker, validate, custom)
        elif kind == PropertyType.MAP:
            result = _get_map(schema, value, path, errors, checker, validate, custom)
        else:
            # Any passes through untouched: even a declared default is not used.
            result = value
    except (TypeError, ValueError) as exc:
        errors.append(PropertyError(str(exc), path=path))
        return _INVALID
    if result is _INVALID or not validate:
        return result
    for constraint in schema.constraints:
        if isinstance(constraint, CustomConstraint) and not custom:
            continue
        try:
            constraint.validate(result, checker, coerce=_schema_coercion(schema.type))
        except ConstraintError as exc:
            errors.append(PropertyError(exc.message, path=path))
            return _INVALID
    return result


def _get_list(
    schema: PropertySchema,
    value: Any,
    path: Path,
    errors: list[TemplateError],
    checker: CustomConstraintChecker | None,
    validate: bool,
    custom: bool,
) -> Any:
    if value is None:
        value = schema.default or []
    if schema.allow_conversion and isinstance(value, str):
        value = value.split(",") if value else []
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f'"{value!r}" is not a list')
    item = schema.item_schema
    if item is None:
        return list(value)
    items = [
        _coerce(item, v, (*path, i), errors, checker, validate=validate, custom=custom)
        for i, v in enumerate(value)
    ]
    return _INVALID if _INVALID in items else items


def _get_map(
    schema: PropertySchema,
    value: Any,
    path: Path,
    errors: list[TemplateError],
    checker: CustomConstraintChecker | None,
    validate: bool,
    custom: bool,
) -> Any:
    if value is None:
        value = {} if schema.default is None else schema.default
    if not isinstance(value, Mapping):
        if schema.allow_conversion:
            # A provider template's json parameter takes strings and lists as they are.
            if isinstance(value, str):
                return value
            if isinstance(value, Sequence):
                return json.dumps(value)
        raise TypeError(f'"{value}" is not a map')
    keys = schema.key_schemas
    if keys is None:
        return dict(value)
    return _coerce_members(keys, value, path, errors, checker, validate=validate, custom=custom)


def _coerce_members(
    schemas: Mapping[str, PropertySchema],
    data: Mapping[str, Any],
    path: Path,
    errors: list[TemplateError],
    checker: CustomConstraintChecker | None,
    *,
    validate: bool,
    custom: bool = True,
    skip: Callable[[str], bool] | None = None,
    check_defaults: bool = True,
) -> Any:
    """Every key of ``schemas`` with its coerced value (Heat's ``Properties``).

    ``check_defaults=False`` takes the defaults of absent keys as they are:
    the registry checked them when the type registered.
    """
    before = len(errors)
    if validate:
        for key in data:
            if key not in schemas:
                errors.append(PropertyError(f"Unknown Property {key}", path=path))
    out: dict[str, Any] = {}
    for key, member in schemas.items():
        present = key in data and data[key] is not OMITTED
        if present and skip is not None and skip(key):
            # Still waiting on another resource: Heat does not check it yet.
            out[key] = data[key]
        elif present:
            out[key] = _coerce(
                member,
                data[key],
                (*path, key),
                errors,
                checker,
                validate=validate,
                custom=custom,
            )
        elif member.default is not None and not check_defaults:
            out[key] = member.default
        elif member.default is not None:
            out[key] = _coerce(
                member, None, (*path, key), errors, checker, validate=validate, custom=custom
            )
        elif member.required:
            errors.append(PropertyError(f"Property {key} not assigned", path=path))
        else:
            out[key] = None
    return _INVALID if len(errors) > before else out


class Properties:
    """Checks and coerces a map of resolved property values against a schema.

    The rules are Heat's (``heat/engine/properties.py``): an absent property
    takes its default (or None), an explicit null takes the default or the
    type's zero value, and each value is converted to its declared type.
    """

    def __init__(self, schema: Mapping[str, PropertySchema]) -> None:
        self.schema = schema

    def validate(
        self,
        data: Mapping[str, Any],
        *,
        path: Path = (),
        skip: Callable[[str], bool] | None = None,
        checker: CustomConstraintChecker | None = None,
        check_defaults: bool = True,
    ) -> list[TemplateError]:
        """Every problem of ``data``; ``skip`` names values not known yet.

        ``check_defaults=False`` trusts the defaults of absent properties, as
        a caller may when the registry already checked them.
        """
        errors: list[TemplateError] = []
        _coerce_members(
            self.schema, data, tuple(path), errors, checker,
            validate=True, skip=skip, check_defaults=check_defaults,
        )
        return errors

    def resolve(self, data: Mapping[str, Any], *, path: Path = ()) -> dict[str, Any]:
        """The coerced values, defaults filled in (constraints are not checked)."""
        errors: list[TemplateError] = []
        out = _coerce_members(self.schema, data, tuple(path), errors, None, validate=False)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ValidationErrors(errors)
        return dict(out)
