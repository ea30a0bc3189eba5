"""Deciding how a resource follows a stack update: leave it, update it in place, or replace it.

Pure: it compares the stored (resolved) definition with the new one, using
the type's schema, as Heat's ``_needs_update`` and
``update_template_diff_properties`` do. The worker acts on the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from calor.engine.states import Action, Status
from calor.template.resource_types import ResourceTypeSchema


class UpdateKind(StrEnum):
    UNCHANGED = "unchanged"
    UPDATE = "update"
    REPLACE = "replace"


@dataclass(frozen=True)
class UpdateDecision:
    """What to do with one resource, and why (the reason goes into its event)."""

    kind: UpdateKind
    changed: frozenset[str] = frozenset()
    reason: str = ""


class UpdateNotSupported(Exception):
    """A change Heat refuses (an ``immutable`` property, a changed ``external_id``)."""


class UpdateRestricted(Exception):
    """The environment's ``restricted_actions`` forbid this update or replacement."""


@dataclass(frozen=True)
class StoredState:
    """What the store knows of the resource before the update."""

    type: str
    properties: Mapping[str, Any]
    #: Everything else of the definition that counts as a change
    #: (metadata, policies, description), in a comparable form.
    definition: Any
    action: Action
    status: Status
    external_id: str | None = None


def decide(
    name: str,
    before: StoredState,
    new_type: str,
    new_properties: Mapping[str, Any],
    new_definition: Any,
    schema: ResourceTypeSchema | None,
    *,
    new_external_id: str | None = None,
    restricted: frozenset[str] = frozenset(),
    plugin_wants_replace: bool = False,
) -> UpdateDecision:
    """How resource ``name`` follows the update from ``before`` to the new definition."""
    if new_external_id != before.external_id:
        raise UpdateNotSupported(
            f"Update to property external_id of {name} ({new_type}) is not supported."
        )
    if before.external_id is not None:
        # An adopted (external) resource is never touched by updates.
        return UpdateDecision(UpdateKind.UNCHANGED)

    replace_reason = _must_replace(before, new_type)
    changed = frozenset(
        key
        for key in set(new_properties) | set(before.properties)
        if before.properties.get(key) != new_properties.get(key)
    )
    if replace_reason is None:
        immutable = sorted(
            k for k in changed if schema is not None and k in schema.properties
            and schema.properties[k].immutable
        )
        if immutable:
            raise UpdateNotSupported(
                f"Update to properties {', '.join(immutable)} of {name} ({new_type}) "
                "is not supported."
            )
        if not changed and new_definition == before.definition:
            return UpdateDecision(UpdateKind.UNCHANGED)
        allowed = {
            k for k, prop in (schema.properties.items() if schema else ()) if prop.update_allowed
        }
        if plugin_wants_replace:
            replace_reason = "the resource type needs a new resource for this change"
        elif not changed <= allowed:
            fixed = ", ".join(sorted(changed - allowed))
            replace_reason = f"properties that cannot change in place changed: {fixed}"
    if replace_reason is not None:
        if "replace" in restricted:
            raise UpdateRestricted("replace is restricted for resource.")
        return UpdateDecision(UpdateKind.REPLACE, changed, replace_reason)
    if "update" in restricted:
        raise UpdateRestricted("update is restricted for resource.")
    return UpdateDecision(UpdateKind.UPDATE, changed)


def _must_replace(before: StoredState, new_type: str) -> str | None:
    if new_type != before.type:
        return f"the type changed from {before.type} to {new_type}"
    if before.status == Status.FAILED:
        # Heat replaces a failed resource (needs_replace_failed) and one a
        # check found broken.
        return f"the resource is {before.action}_{before.status}"
    if (before.action, before.status) in (
        (Action.DELETE, Status.COMPLETE),
        (Action.INIT, Status.COMPLETE),
    ):
        return "the resource does not exist"
    return None
