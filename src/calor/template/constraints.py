"""Constraints on values, shared by template parameters and resource properties.

A constraint is a small frozen value: :class:`Length`, :class:`Range`,
:class:`Modulo`, :class:`AllowedValues`, :class:`AllowedPattern` or
:class:`CustomConstraint`. ``validate`` raises :class:`ConstraintError` with
Heat's message (or the constraint's ``description`` when it has one), and
``to_dict`` gives the form Heat's API shows (``{"length": {"min": 1}}``).

Custom constraints name a check (``nova.flavor``, ``ip_addr``) that a
:class:`CustomConstraintChecker` performs. :class:`LocalConstraints` performs
the ones that need no cloud and accepts the cloud-backed ones, since the
template language cannot ask a cloud.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from calor.template._local_constraints import local_checks
from calor.template.errors import InvalidSchemaError
from calor.template.types import Path

#: Converts a value (and each allowed value) to a schema's type before
#: ``allowed_values`` compares them; raises ValueError with the reason.
Coerce = Callable[[Any], Any]


class ConstraintError(Exception):
    """A value breaks a constraint; ``message`` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CustomConstraintChecker(Protocol):
    """Performs the checks that ``custom_constraint: <name>`` refers to."""

    def check(self, name: str, value: Any) -> str | None:
        """None when ``value`` passes check ``name``, else the error message."""

    def knows(self, name: str) -> bool:
        """Whether a check called ``name`` exists."""


def to_number(value: Any) -> Any:
    """A number as Heat reads one: numbers as they are, else int, else float.

    ``"1.0"`` becomes ``1.0`` (not ``1``); a non-numeric string raises
    Python's own ValueError (``could not convert string to float: 'abc'``).
    """
    if isinstance(value, numbers.Number):
        return value
    try:
        return int(value)
    except ValueError:
        return float(value)


@dataclass(frozen=True)
class Constraint:
    """Base of every constraint."""

    #: The key naming the constraint in templates and in Heat's API.
    kind: ClassVar[str] = ""
    #: The value types the constraint makes sense for, in Heat's vocabulary
    #: (string, integer, number, boolean, list, map).
    valid_types: ClassVar[frozenset[str]] = frozenset()

    description: str | None = field(default=None, kw_only=True)

    def validate(
        self,
        value: Any,
        checker: CustomConstraintChecker | None = None,
        *,
        coerce: Coerce | None = None,
    ) -> None:
        """Raise ConstraintError unless ``value`` satisfies the constraint.

        ``coerce`` is the schema's type conversion, which ``allowed_values``
        applies to both sides before comparing.
        """
        try:
            problem = self._problem(value, checker, coerce)
        except (ValueError, TypeError) as err:
            # A value of the wrong shape (len() of a number, a word for a range).
            raise ConstraintError(str(err)) from err
        if problem is not None:
            raise ConstraintError(self.description or problem)

    def to_dict(self) -> dict[str, Any]:
        """Heat's API form: ``{"description": ..., "<kind>": ...}``."""
        out: dict[str, Any] = {}
        if self.description is not None:
            out["description"] = self.description
        out[self.kind] = self._rendered()
        return out

    def describe(self) -> str:
        """A sentence saying what the constraint allows (for documentation)."""
        if self.description:
            return f"{self.description}\n{self._summary()}"
        return self._summary()

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        raise NotImplementedError

    def _rendered(self) -> Any:
        raise NotImplementedError

    def _summary(self) -> str:
        raise NotImplementedError


def _bounds_summary(noun: str, low: Any, high: Any) -> str:
    if high is None:
        return f"The {noun} must be at least {low}."
    if low is None:
        return f"The {noun} must be no greater than {high}."
    return f"The {noun} must be in the range {low} to {high}."


def _is_numeric(value: Any) -> bool:
    return value is None or isinstance(value, int | float)


@dataclass(frozen=True)
class Range(Constraint):
    """``range: {min, max}``: a number between two bounds, inclusive."""

    kind: ClassVar[str] = "range"
    valid_types: ClassVar[frozenset[str]] = frozenset({"integer", "number"})

    min: int | float | None = None
    max: int | float | None = None

    def __post_init__(self) -> None:
        if not (_is_numeric(self.min) and _is_numeric(self.max)):
            raise InvalidSchemaError("min/max must be numeric")
        if self.min is None and self.max is None:
            raise InvalidSchemaError(
                "A range constraint must have a min value and/or a max value specified."
            )

    def _in_bounds(self, number: Any) -> bool:
        if self.min is not None and number < self.min:
            return False
        return not (self.max is not None and number > self.max)

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        if self._in_bounds(to_number(value)):
            return None
        return f"{value} is out of range (min: {self.min}, max: {self.max})"

    def _rendered(self) -> dict[str, Any]:
        bounds = {"min": self.min, "max": self.max}
        return {k: v for k, v in bounds.items() if v is not None}

    def _summary(self) -> str:
        return _bounds_summary("value", self.min, self.max)


@dataclass(frozen=True)
class Length(Constraint):
    """``length: {min, max}``: the length of a string, list or map."""

    kind: ClassVar[str] = "length"
    valid_types: ClassVar[frozenset[str]] = frozenset({"string", "list", "map"})

    min: int | None = None
    max: int | None = None

    def __post_init__(self) -> None:
        if self.min is None and self.max is None:
            raise InvalidSchemaError(
                "A length constraint must have a min value and/or a max value specified."
            )
        if not (_is_numeric(self.min) and _is_numeric(self.max)):
            raise InvalidSchemaError("min/max must be numeric")
        if any(isinstance(b, float) for b in (self.min, self.max)):
            raise InvalidSchemaError("min/max length must be integral")

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        length = len(value)
        if (self.min is None or length >= self.min) and (self.max is None or length <= self.max):
            return None
        return f"length ({length}) is out of range (min: {self.min}, max: {self.max})"

    def _rendered(self) -> dict[str, Any]:
        bounds = {"min": self.min, "max": self.max}
        return {k: v for k, v in bounds.items() if v is not None}

    def _summary(self) -> str:
        return _bounds_summary("length", self.min, self.max)


@dataclass(frozen=True)
class Modulo(Constraint):
    """``modulo: {step, offset}``: ``value % step == offset`` (HOT 2017-02-24+)."""

    kind: ClassVar[str] = "modulo"
    valid_types: ClassVar[frozenset[str]] = frozenset({"integer", "number"})

    step: int
    offset: int

    def __post_init__(self) -> None:
        step: Any = self.step
        offset: Any = self.offset
        if step is None or offset is None:
            raise InvalidSchemaError(
                "A modulo constraint must have a step value and an offset value specified."
            )
        if not (_is_numeric(step) and _is_numeric(offset)):
            raise InvalidSchemaError("step/offset must be numeric")
        if int(step) != step or int(offset) != offset:
            raise InvalidSchemaError("step/offset must be integer")
        if step == 0:
            raise InvalidSchemaError("step cannot be 0.")
        if abs(offset) >= abs(step):
            raise InvalidSchemaError("offset must be smaller (by absolute value) than step.")
        if step * offset < 0:
            raise InvalidSchemaError("step and offset must be both positive or both negative.")

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        if to_number(value) % self.step == self.offset:
            return None
        return f"{value} is not a multiple of {self.step} with an offset of {self.offset}"

    def _rendered(self) -> dict[str, Any]:
        return {"step": self.step, "offset": self.offset}

    def _summary(self) -> str:
        return f"The value must be a multiple of {self.step} with an offset of {self.offset}."


def _as_json(value: Any) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True)
class AllowedValues(Constraint):
    """``allowed_values: [...]``: one of a list (every item, for a list value)."""

    kind: ClassVar[str] = "allowed_values"
    valid_types: ClassVar[frozenset[str]] = frozenset(
        {"string", "integer", "number", "boolean", "list"}
    )

    #: Stored as a tuple whatever sequence was given.
    values: Sequence[Any]

    def __post_init__(self) -> None:
        values: Any = self.values
        if not isinstance(values, Sequence) or isinstance(values, str):
            raise InvalidSchemaError("AllowedValues must be a list")
        object.__setattr__(self, "values", tuple(values))

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        if isinstance(value, list):
            # Heat compares list items as they are, without the schema's conversion.
            allowed = all(item in self.values for item in value)
        elif coerce is not None:
            try:
                allowed = coerce(value) in tuple(coerce(v) for v in self.values)
            except ValueError as err:
                raise ConstraintError(str(err)) from err
        else:
            allowed = value in self.values
        if allowed:
            return None
        listed = ", ".join(_as_json(v) for v in self.values)
        return f"{_as_json(value)} is not an allowed value [{listed}]"

    def _rendered(self) -> list[Any]:
        return list(self.values)

    def _summary(self) -> str:
        return "Allowed values: " + ", ".join(_as_json(v) for v in self.values)


@dataclass(frozen=True)
class AllowedPattern(Constraint):
    """``allowed_pattern: <regex>``: the regular expression matches the whole value."""

    kind: ClassVar[str] = "allowed_pattern"
    valid_types: ClassVar[frozenset[str]] = frozenset({"string"})

    pattern: str

    def __post_init__(self) -> None:
        pattern: Any = self.pattern
        if not isinstance(pattern, str):
            raise InvalidSchemaError("AllowedPattern must be a string")
        try:
            re.compile(pattern)
        except re.error as err:
            raise InvalidSchemaError(f"Invalid allowed_pattern {pattern!r}: {err}") from err

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        if re.fullmatch(self.pattern, value):
            return None
        return f'"{value}" does not match pattern "{self.pattern}"'

    def _rendered(self) -> str:
        return self.pattern

    def _summary(self) -> str:
        return f"Value must match pattern: {self.pattern}"


@dataclass(frozen=True)
class CustomConstraint(Constraint):
    """``custom_constraint: <name>``: a named check (``nova.flavor``, ``ip_addr``)."""

    kind: ClassVar[str] = "custom_constraint"
    valid_types: ClassVar[frozenset[str]] = frozenset(
        {"string", "integer", "number", "boolean", "list"}
    )

    name: str

    def _problem(
        self, value: Any, checker: CustomConstraintChecker | None, coerce: Coerce | None
    ) -> str | None:
        checker = checker if checker is not None else LocalConstraints()
        if not checker.knows(self.name):
            return f'"{value}" does not validate {self.name} (constraint not found)'
        return checker.check(self.name, value)

    def _rendered(self) -> str:
        return self.name

    def _summary(self) -> str:
        return f"Value must be of type {self.name}"


# -- HOT constraint entries --------------------------------------------------

#: Every key a HOT constraint entry may carry (the version decides which
#: kinds it understands; an unknown kind elsewhere is "No constraint expressed").
CONSTRAINT_ENTRY_KEYS = frozenset(
    {"description", "length", "range", "modulo", "allowed_values", "allowed_pattern",
     "custom_constraint"}
)
# When an entry names several kinds, Heat takes the first of this order.
_KIND_ORDER = (
    "modulo", "range", "length", "allowed_values", "allowed_pattern", "custom_constraint"
)


def _check_mapping(raw: Any, allowed_keys: frozenset[str], entity: str, path: Path) -> None:
    if not isinstance(raw, Mapping):
        raise InvalidSchemaError(f"Invalid {entity}, expected a mapping", path=path)
    for key in raw:
        if key not in allowed_keys:
            raise InvalidSchemaError(f"Invalid key '{key}' for {entity}", path=path)


def _number_or_none(raw: Mapping[str, Any], key: str, complaint: str, path: Path) -> Any:
    value = raw.get(key)
    if value is None:
        return None
    try:
        return to_number(value)
    except (ValueError, TypeError) as err:
        raise InvalidSchemaError(complaint, path=(*path, key)) from err


def _build(kind: str, spec: Any, description: str | None, path: Path) -> Constraint:
    here = (*path, kind)
    if kind in ("range", "length"):
        _check_mapping(spec, frozenset({"min", "max"}), f"{kind} constraint", here)
        low = _number_or_none(spec, "min", "min/max must be numeric", here)
        high = _number_or_none(spec, "max", "min/max must be numeric", here)
        cls: type[Range | Length] = Range if kind == "range" else Length
        return cls(low, high, description=description)
    if kind == "modulo":
        _check_mapping(spec, frozenset({"step", "offset"}), "modulo constraint", here)
        step = _number_or_none(spec, "step", "step/offset must be numeric", here)
        offset = _number_or_none(spec, "offset", "step/offset must be numeric", here)
        return Modulo(step, offset, description=description)
    if kind == "allowed_values":
        return AllowedValues(spec, description=description)
    if kind == "allowed_pattern":
        return AllowedPattern(spec, description=description)
    return CustomConstraint(spec, description=description)


def constraint_from_hot(
    raw: Mapping[str, Any], *, allowed: frozenset[str], path: Path
) -> Constraint:
    """Parse one HOT constraint entry, e.g. ``{length: {min: 1}, description: ...}``.

    ``allowed`` holds the constraint kinds the template version understands
    (``modulo`` only from 2017-02-24).
    """
    _check_mapping(raw, CONSTRAINT_ENTRY_KEYS, "parameter constraints", path)
    description = raw.get("description")
    if description is not None:
        description = str(description)
    for kind in _KIND_ORDER:
        if kind in allowed and kind in raw:
            try:
                return _build(kind, raw[kind], description, path)
            except InvalidSchemaError as err:
                if not err.path:
                    err.path = (*path, kind)
                raise
    raise InvalidSchemaError("No constraint expressed", path=path)


# -- Custom constraints ------------------------------------------------------

#: Every custom constraint Heat 27 registers (its ``heat.constraints`` entry points).
KNOWN_CUSTOM_CONSTRAINTS: frozenset[str] = frozenset({
    "barbican.container", "barbican.secret", "blazar.reservation",
    "cinder.backup", "cinder.qos_specs", "cinder.snapshot", "cinder.volume", "cinder.vtype",
    "cron_expression", "designate.zone", "dns_domain", "dns_name", "expiration",
    "glance.image", "ip_addr", "ip_or_cidr", "ironic.node", "ironic.portgroup", "iso_8601",
    "json_string",
    "keystone.domain", "keystone.group", "keystone.project", "keystone.region",
    "keystone.role", "keystone.service", "keystone.user",
    "mac_addr", "magnum.cluster_template",
    "manila.share_network", "manila.share_snapshot", "manila.share_type",
    "mistral.workflow", "net_cidr",
    "neutron.address_scope", "neutron.flow_classifier", "neutron.lbaas.listener",
    "neutron.lbaas.loadbalancer", "neutron.lbaas.pool", "neutron.lbaas.provider",
    "neutron.network", "neutron.port", "neutron.port_pair", "neutron.port_pair_group",
    "neutron.qos_policy", "neutron.router", "neutron.security_group", "neutron.segment",
    "neutron.subnet", "neutron.subnetpool", "neutron.taas.tap_flow",
    "neutron.taas.tap_service",
    "nova.flavor", "nova.host", "nova.keypair", "nova.network", "nova.server",
    "octavia.availabilityzone", "octavia.availabilityzoneprofile", "octavia.flavor",
    "octavia.flavorprofile", "octavia.l7policy", "octavia.listener", "octavia.loadbalancer",
    "octavia.pool",
    "rel_dns_name", "test_constr", "timezone", "trove.flavor", "zaqar.queue",
})


class LocalConstraints:
    """A :class:`CustomConstraintChecker` for a template with no cloud to ask.

    It performs the checks that need none (``ip_addr``, ``dns_name``,
    ``cron_expression``, ...) and accepts every value for the cloud-backed
    ones (``nova.flavor``, ``glance.image``, ...). ``now`` is a clock for
    ``expiration``; without one only the date's form is checked, since the
    template language does not read the clock.
    """

    def __init__(self, *, now: Callable[[], datetime] | None = None) -> None:
        self._checks = local_checks(now)

    def knows(self, name: str) -> bool:
        return name in KNOWN_CUSTOM_CONSTRAINTS

    def check(self, name: str, value: Any) -> str | None:
        check = self._checks.get(name)
        if check is None:
            return None
        reason = check(value)
        if reason is None:
            return None
        if reason:
            return f"Error validating value '{value}': {reason}"
        return f"Error validating value '{value}'"
