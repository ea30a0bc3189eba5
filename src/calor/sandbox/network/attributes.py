"""Neutron's attribute maps: which fields a resource takes, their checks and defaults.

A resource declares its attributes once (as Neutron's ``RESOURCE_ATTRIBUTE_MAP``
does); :func:`for_create` and :func:`for_update` check a request body against
them with Neutron's own messages ("Unrecognized attribute(s) 'x'",
"Invalid input for name. Reason: ...").
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from calor.identity.context import RequestContext
from calor.sandbox.bodies import parse_bool
from calor.sandbox.errors import BadRequest, Forbidden

Check = Callable[[Any], Any]

_REQUIRED = object()


class Invalid(ValueError):
    """A value that fails a check; the message is Neutron's reason."""


@dataclass(frozen=True)
class Attribute:
    """One field: its check, its default (none: required), who may set it and when."""

    check: Check
    default: Any = None
    required: bool = False
    allow_post: bool = True
    allow_put: bool = True
    admin_only: bool = False


def attribute(check: Check, default: Any = None, *, required: bool = False,
              allow_post: bool = True, allow_put: bool = True,
              admin_only: bool = False) -> Attribute:
    return Attribute(check, default, required, allow_post, allow_put, admin_only)


def _invalid(name: str, reason: str) -> BadRequest:
    return BadRequest(f"Invalid input for {name}. Reason: {reason}.", code="HTTPBadRequest")


def _check_unknown(body: Mapping[str, Any], attributes: Mapping[str, Attribute]) -> None:
    unknown = [key for key in body if key not in attributes]
    if unknown:
        names = ", ".join(sorted(unknown))
        raise BadRequest(f"Unrecognized attribute(s) '{names}'", code="HTTPBadRequest")


def _checked(name: str, spec: Attribute, value: Any, context: RequestContext,
             kind: str, verb: str) -> Any:
    if spec.admin_only and not context.is_admin:
        raise Forbidden(f"(rule:{verb}_{kind}:{name}) is disallowed by policy",
                        code="PolicyNotAuthorized")
    try:
        return spec.check(value)
    except Invalid as error:
        raise _invalid(name, str(error)) from None


def for_create(kind: str, body: Mapping[str, Any], attributes: Mapping[str, Attribute],
               context: RequestContext) -> dict[str, Any]:
    """Every attribute of a new ``kind``: given ones checked, others defaulted."""
    _check_unknown(body, attributes)
    values: dict[str, Any] = {}
    for name, spec in attributes.items():
        if name in body:
            if not spec.allow_post:
                raise BadRequest(f"Attribute '{name}' not allowed in POST",
                                 code="HTTPBadRequest")
            values[name] = _checked(name, spec, body[name], context, "create", kind)
        elif spec.required:
            raise BadRequest(f"Failed to parse request. Required attribute '{name}' not "
                             "specified", code="HTTPBadRequest")
        elif spec.allow_post:
            default = spec.default
            values[name] = default() if callable(default) else default
    return values


def for_update(kind: str, body: Mapping[str, Any], attributes: Mapping[str, Attribute],
               context: RequestContext) -> dict[str, Any]:
    """The checked changes of an update."""
    _check_unknown(body, attributes)
    changes: dict[str, Any] = {}
    for name, value in body.items():
        spec = attributes[name]
        if not spec.allow_put:
            raise BadRequest(f"Cannot update read-only attribute {name}",
                             code="HTTPBadRequest")
        changes[name] = _checked(name, spec, value, context, "update", kind)
    return changes


# -- checks -------------------------------------------------------------------

def anything(value: Any) -> Any:
    return value


def string(max_length: int = 255, *, nullable: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            raise Invalid(f"'{value}' is not a valid string")
        if len(value) > max_length:
            raise Invalid(f"'{value}' exceeds maximum length of {max_length}")
        return value
    return check


def boolean(value: Any) -> bool:
    parsed = parse_bool(value) if isinstance(value, (bool, str)) else None
    if parsed is None:
        raise Invalid(f"'{value}' is not a valid boolean value")
    return parsed


def integer(minimum: int | None = None, maximum: int | None = None, *,
            nullable: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        try:
            number = int(value)
            if isinstance(value, bool) or (isinstance(value, float) and value != number):
                raise ValueError
        except (TypeError, ValueError):
            raise Invalid(f"'{value}' is not an integer") from None
        if minimum is not None and number < minimum:
            raise Invalid(f"'{number}' is too small - must be at least '{minimum}'")
        if maximum is not None and number > maximum:
            raise Invalid(f"'{number}' is too large - must be no larger than '{maximum}'")
        return number
    return check


def uuid_text(*, nullable: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        try:
            uuid.UUID(str(value))
        except ValueError:
            raise Invalid(f"'{value}' is not a valid UUID") from None
        return str(value)
    return check


def list_of(item: Check) -> Check:
    def check(value: Any) -> Any:
        if not isinstance(value, list):
            raise Invalid(f"'{value}' is not a list")
        return [item(entry) for entry in value]
    return check


def mapping(value: Any) -> Any:
    if not isinstance(value, dict):
        raise Invalid(f"'{value}' is not a dictionary")
    return value


def nullable_mapping(value: Any) -> Any:
    return None if value is None else mapping(value)


def ip_address(*, nullable: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        try:
            return str(ipaddress.ip_address(str(value)))
        except ValueError:
            raise Invalid(f"'{value}' is not a valid IP address") from None
    return check


def cidr(*, nullable: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        try:
            ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            raise Invalid(f"'{value}' is not a valid IP subnet") from None
        return str(value)
    return check


def one_of(*choices: Any, nullable: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        if value not in choices:
            raise Invalid(f"'{value}' is not in {list(choices)}")
        return value
    return check


_MAC = re.compile(r"^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$")


def mac_address(value: Any) -> Any:
    if not isinstance(value, str) or not _MAC.match(value):
        raise Invalid(f"'{value}' is not a valid MAC address")
    return value.lower().replace("-", ":")


def list_of_strings(value: Any) -> Any:
    return list_of(string())(value)


def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[str, Any]:
    return {}
