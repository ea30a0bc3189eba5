"""What the compute (Nova) routes share: kinds, the microversion range, links, checks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from calor.sandbox.errors import BadRequest, Forbidden
from calor.sandbox.microversions import Microversion, VersionRange

SERVER = "server"
FLAVOR = "flavor"
KEYPAIR = "keypair"
SERVER_GROUP = "server_group"
QUOTA_SERVER_GROUPS = "server_groups"

PREFIX = "/compute/v2.1"
QUOTA_SERVICE = "compute"

#: Nova's microversions, as a 2024-era Nova advertises them (§2.3 of the API minimums).
VERSIONS = VersionRange("compute", Microversion(2, 1), Microversion(2, 96),
                        legacy_header="X-OpenStack-Nova-API-Version")

Version = Annotated[Microversion, Depends(VERSIONS.dependency())]


def at_least(version: Microversion, text: str) -> bool:
    return version >= Microversion.parse(text)


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def links(request: Request, collection: str, resource_id: str) -> list[dict[str, str]]:
    base = base_url(request)
    return [{"rel": "self", "href": f"{base}{PREFIX}/{collection}/{resource_id}"},
            {"rel": "bookmark", "href": f"{base}/compute/{collection}/{resource_id}"}]


def invalid(field: str, value: Any, reason: str) -> BadRequest:
    """Nova's JSON-schema refusal."""
    return BadRequest(f"Invalid input for field/attribute {field}. Value: {value}. {reason}")


def policy_refusal(rule: str) -> Forbidden:
    return Forbidden(f"Policy doesn't allow {rule} to be performed.")


def require_admin(is_admin: bool, rule: str) -> None:
    if not is_admin:
        raise policy_refusal(rule)


def check_string(field: str, value: Any, *, minimum: int = 0, maximum: int = 255) -> str:
    if not isinstance(value, str):
        raise invalid(field, value, f"{value!r} is not of type 'string'")
    if len(value) < minimum:
        raise invalid(field, value, f"{value!r} is too short")
    if len(value) > maximum:
        raise invalid(field, value, f"{value!r} is too long")
    return value


def check_int(field: str, value: Any, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    if isinstance(value, bool):
        raise invalid(field, value, f"{value!r} is not of type 'integer', 'string'")
    try:
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError):
        raise invalid(field, value, f"{value!r} is not of type 'integer', 'string'") from None
    if minimum is not None and number < minimum:
        raise invalid(field, value, f"{number} is less than the minimum of {minimum}")
    if maximum is not None and number > maximum:
        raise invalid(field, value, f"{number} is greater than the maximum of {maximum}")
    return number


def check_metadata(field: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise invalid(field, value, f"{value!r} is not of type 'object'")
    for key, item in value.items():
        if not 1 <= len(key) <= 255:
            raise invalid(field, value, f"metadata key {key!r} must be 1 to 255 characters")
        if not isinstance(item, str) or len(item) > 255:
            raise invalid(field, value, f"{item!r} is not a string of at most 255 characters")
    return dict(value)
