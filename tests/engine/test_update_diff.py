"""How a resource follows an update: unchanged, in place, or replaced."""

from __future__ import annotations

from typing import Any

import pytest

from calor.engine.states import Action, Status
from calor.engine.update_diff import (
    StoredState,
    UpdateKind,
    UpdateNotSupported,
    UpdateRestricted,
    decide,
)
from calor.template.resource_types import ResourceTypeSchema
from calor.template.schema import PropertySchema, PropertyType

SCHEMA = ResourceTypeSchema(
    "My::Box",
    properties={
        "size": PropertySchema(PropertyType.INTEGER, update_allowed=True),
        "zone": PropertySchema(PropertyType.STRING),
        "serial": PropertySchema(PropertyType.STRING, immutable=True),
    },
)


def before(**changes: Any) -> StoredState:
    fields: dict[str, Any] = dict(
        type="My::Box", properties={"size": 1, "zone": "a", "serial": "x"},
        definition=None, action=Action.CREATE, status=Status.COMPLETE,
    )
    fields.update(changes)
    return StoredState(**fields)


def test_nothing_changed_means_unchanged() -> None:
    decision = decide("box", before(), "My::Box", {"size": 1, "zone": "a", "serial": "x"},
                      None, SCHEMA)
    assert decision.kind is UpdateKind.UNCHANGED


def test_update_allowed_changes_update_in_place() -> None:
    decision = decide("box", before(), "My::Box", {"size": 2, "zone": "a", "serial": "x"},
                      None, SCHEMA)
    assert (decision.kind, decision.changed) == (UpdateKind.UPDATE, frozenset({"size"}))


def test_other_changes_replace() -> None:
    decision = decide("box", before(), "My::Box", {"size": 2, "zone": "b", "serial": "x"},
                      None, SCHEMA)
    assert decision.kind is UpdateKind.REPLACE
    assert "zone" in decision.reason


def test_immutable_changes_are_refused_with_heats_message() -> None:
    with pytest.raises(UpdateNotSupported) as info:
        decide("box", before(), "My::Box", {"size": 1, "zone": "a", "serial": "y"}, None,
               SCHEMA)
    assert str(info.value) == "Update to properties serial of box (My::Box) is not supported."


def test_a_new_type_replaces() -> None:
    decision = decide("box", before(), "Other::Box", {"size": 1}, None, None)
    assert decision.kind is UpdateKind.REPLACE


def test_a_failed_resource_is_replaced_even_unchanged() -> None:
    decision = decide("box", before(status=Status.FAILED), "My::Box",
                      {"size": 1, "zone": "a", "serial": "x"}, None, SCHEMA)
    assert decision.kind is UpdateKind.REPLACE


def test_a_changed_definition_alone_updates_in_place() -> None:
    decision = decide("box", before(), "My::Box", {"size": 1, "zone": "a", "serial": "x"},
                      {"metadata": {"k": "v"}}, SCHEMA)
    assert (decision.kind, decision.changed) == (UpdateKind.UPDATE, frozenset())


def test_restricted_replace_is_refused() -> None:
    with pytest.raises(UpdateRestricted, match="replace is restricted"):
        decide("box", before(), "My::Box", {"size": 1, "zone": "b", "serial": "x"}, None,
               SCHEMA, restricted=frozenset({"replace"}))


def test_restricted_update_is_refused() -> None:
    with pytest.raises(UpdateRestricted, match="update is restricted"):
        decide("box", before(), "My::Box", {"size": 5, "zone": "a", "serial": "x"}, None,
               SCHEMA, restricted=frozenset({"update"}))


def test_an_external_resource_is_never_updated() -> None:
    decision = decide("box", before(external_id="ext-1"), "My::Box", {"size": 9}, None, SCHEMA,
                      new_external_id="ext-1")
    assert decision.kind is UpdateKind.UNCHANGED


def test_changing_external_id_is_refused() -> None:
    with pytest.raises(UpdateNotSupported, match="external_id"):
        decide("box", before(external_id="ext-1"), "My::Box", {}, None, SCHEMA,
               new_external_id="ext-2")


def test_the_plugin_may_ask_for_replacement() -> None:
    decision = decide("box", before(), "My::Box", {"size": 2, "zone": "a", "serial": "x"},
                      None, SCHEMA, plugin_wants_replace=True)
    assert decision.kind is UpdateKind.REPLACE
