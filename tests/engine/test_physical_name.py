"""Physical resource names, as Heat makes them."""

from __future__ import annotations

import uuid

import pytest

from calor.engine.physical_name import physical_resource_name, reduce_name, short_id
from calor.engine.states import Action, Status, joined, split

UUID = uuid.UUID("e0c8d4b2-8d6b-4f5e-9a6f-1c2b3a4d5e6f")


def test_short_id_is_twelve_lowercase_base32_characters_and_stable() -> None:
    first = short_id(UUID)
    assert len(first) == 12
    assert first == first.lower()
    assert set(first) <= set("abcdefghijklmnopqrstuvwxyz234567")
    assert short_id(str(UUID)) == first


def test_short_id_needs_a_random_uuid() -> None:
    with pytest.raises(ValueError, match="Invalid UUID version"):
        short_id(uuid.uuid1())


def test_physical_name_joins_stack_resource_and_short_id() -> None:
    name = physical_resource_name("web*", "server", UUID)
    assert name == f"web-server-{short_id(UUID)}"


def test_long_names_keep_their_start_and_their_end() -> None:
    name = "abcdefghijklmnopqrstuvwxyz"
    reduced = reduce_name(name, 10)
    assert reduced == "ab-tuvwxyz"
    assert len(reduced) == 10
    assert reduce_name("short", 10) == "short"


def test_states_join_and_split_like_heat() -> None:
    assert joined(Action.CREATE, Status.COMPLETE) == "CREATE_COMPLETE"
    assert split("UPDATE_IN_PROGRESS") == (Action.UPDATE, Status.IN_PROGRESS)
    with pytest.raises(ValueError):
        split("SLEEPING")
