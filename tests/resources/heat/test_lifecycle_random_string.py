"""OS::Heat::RandomString: Heat's generator, its guarantees, and where the string lives."""

from __future__ import annotations

import random
import string
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.resources.heat.lifecycle_context import InMemoryContext, make, resolved

from calor.resources.heat import RandomString
from calor.resources.heat.random_string import (
    CHARACTER_CLASSES,
    CLASS_MEMBERS,
    LENGTH_TOO_SMALL,
    CharacterPool,
    character_pools,
    generate_random_string,
)
from calor.resources.lifecycle import ResourceFailure, UpdateReplace
from calor.template.errors import StackValidationFailed


async def created(ctx: InMemoryContext | None = None, **properties: Any) -> str:
    ctx = ctx or InMemoryContext()
    resource = make(RandomString, ctx, **properties)
    await resource.create()
    return ctx.data["value"]


# -- create ---------------------------------------------------------------------------


async def test_the_default_is_32_letters_and_digits() -> None:
    value = await created()
    assert len(value) == 32
    assert set(value) <= set(string.ascii_letters + string.digits)


async def test_create_stores_the_string_in_data_and_records_the_physical_name() -> None:
    ctx = InMemoryContext("secret", stack_name="db")
    value = await created(ctx)
    assert ctx.data == {"value": value}
    assert ctx.physical_resource_id == "db-secret-abcdefghijkl"


async def test_the_string_comes_from_the_context_random_source() -> None:
    assert await created(InMemoryContext(seed=7)) == await created(InMemoryContext(seed=7))
    assert await created(InMemoryContext(seed=7)) != await created(InMemoryContext(seed=8))


async def test_length_sets_the_number_of_characters() -> None:
    assert len(await created(length=512)) == 512
    assert len(await created(length=1)) == 1


@pytest.mark.parametrize("name", CHARACTER_CLASSES)
async def test_a_character_class_limits_the_characters(name: str) -> None:
    value = await created(length=64, character_classes=[{"class": name}])
    assert set(value) <= set(CLASS_MEMBERS[name])


async def test_hexdigits_are_upper_case() -> None:
    value = await created(length=200, character_classes=[{"class": "hexdigits"}])
    assert set(value) <= set("0123456789ABCDEF")


async def test_class_minimums_are_honoured() -> None:
    value = await created(
        length=8,
        character_classes=[{"class": "digits", "min": 4}, {"class": "uppercase", "min": 4}],
    )
    assert sum(c.isdigit() for c in value) == 4
    assert sum(c.isupper() for c in value) == 4


async def test_a_character_sequence_adds_to_the_default_class() -> None:
    # As Heat: character_classes keeps its default beside the sequences.
    value = await created(length=100, character_sequences=[{"sequence": "!", "min": 3}])
    assert value.count("!") >= 3
    assert set(value) <= set(CLASS_MEMBERS["lettersdigits"] + "!")
    assert set(value) & set(CLASS_MEMBERS["lettersdigits"])


async def test_only_sequences_when_the_classes_are_emptied() -> None:
    value = await created(
        length=20, character_classes=[], character_sequences=[{"sequence": "ab", "min": 1}]
    )
    assert set(value) <= {"a", "b"}


async def test_the_hidden_sequence_property_replaces_the_default_class() -> None:
    value = await created(length=40, sequence="octdigits")
    assert set(value) <= set(string.octdigits)


async def test_the_hidden_sequence_property_adds_to_classes_given() -> None:
    pools = character_pools(
        resolved(RandomString, sequence="digits", character_classes=[{"class": "lowercase"}])
    )
    assert pools == [
        CharacterPool(string.ascii_lowercase, 1),
        CharacterPool(string.digits, 1),
    ]


async def test_sequences_come_before_classes_and_repeats_count_once() -> None:
    pools = character_pools(
        resolved(
            RandomString,
            character_sequences=[{"sequence": "zzya", "min": 2}],
            character_classes=[{"class": "digits", "min": 3}],
        )
    )
    assert pools == [CharacterPool("ayz", 2), CharacterPool(string.digits, 3)]


# -- failures ----------------------------------------------------------------------


async def test_minimums_longer_than_the_length_fail_with_heats_message() -> None:
    properties: dict[str, Any] = {
        "length": 5,
        "character_classes": [{"class": "digits", "min": 5}],
        "character_sequences": [{"sequence": "(),[]{}", "min": 1}],
    }
    with pytest.raises(ResourceFailure) as caught:
        await created(**properties)
    assert str(caught.value) == (
        "Length property cannot be smaller than combined "
        "character class and character sequence minimums"
    )


def test_validate_raises_the_same_message_before_any_create() -> None:
    properties = resolved(RandomString, length=2, character_classes=[{"class": "digits", "min": 3}])
    with pytest.raises(StackValidationFailed) as caught:
        RandomString.validate(properties)
    assert caught.value.message == LENGTH_TOO_SMALL


def test_validate_accepts_minimums_that_fill_the_length_exactly() -> None:
    RandomString.validate(
        resolved(RandomString, length=3, character_classes=[{"class": "digits", "min": 3}])
    )


async def test_no_characters_at_all_fails_as_heat_does() -> None:
    with pytest.raises(ResourceFailure, match=r"^Cannot choose from an empty sequence$"):
        await created(character_classes=[])


async def test_an_empty_sequence_with_a_minimum_fails_as_heat_does() -> None:
    with pytest.raises(ResourceFailure, match=r"^Cannot choose from an empty sequence$"):
        await created(character_sequences=[{"sequence": ""}])


async def test_a_failed_create_stores_nothing() -> None:
    ctx = InMemoryContext()
    with pytest.raises(ResourceFailure):
        await created(ctx, length=1, character_classes=[{"class": "digits", "min": 2}])
    assert ctx.data == {}
    assert ctx.physical_resource_id is None


# -- attribute, reference, update -----------------------------------------------------


async def test_value_attribute_and_reference_are_the_string() -> None:
    ctx = InMemoryContext()
    resource = make(RandomString, ctx)
    assert (await resource.reference_id()) == "res"
    await resource.create()
    assert await resource.resolve_attribute("value") == ctx.data["value"]
    assert (await resource.reference_id()) == ctx.data["value"]


async def test_a_new_instance_reads_the_string_back_from_data() -> None:
    ctx = InMemoryContext()
    await make(RandomString, ctx).create()
    again = make(RandomString, ctx)
    assert await again.resolve_attribute("value") == ctx.data["value"]
    assert (await again.reference_id()) == ctx.data["value"]


async def test_a_new_instance_reads_its_reference_from_data() -> None:
    ctx = InMemoryContext()
    await make(RandomString, ctx).create()
    assert await make(RandomString, ctx).reference_id() == ctx.data["value"]


async def test_other_attributes_are_none() -> None:
    resource = make(RandomString, InMemoryContext())
    await resource.create()
    assert await resource.resolve_attribute("length") is None


async def test_no_property_updates_in_place_so_a_new_salt_replaces() -> None:
    assert not any(p.update_allowed for p in RandomString.properties_schema.values())
    resource = make(RandomString, InMemoryContext("pw"))
    await resource.create()
    with pytest.raises(UpdateReplace, match=r"^The Resource pw requires replacement\.$"):
        await resource.update(resolved(RandomString, salt="2"), frozenset({"salt"}))


async def test_an_update_without_changes_keeps_the_string() -> None:
    ctx = InMemoryContext()
    resource = make(RandomString, ctx)
    await resource.create()
    before = dict(ctx.data)
    await resource.update(resolved(RandomString), frozenset())
    assert ctx.data == before


# -- the generator, property-based ------------------------------------------------------

classes = st.lists(
    st.fixed_dictionaries({"class": st.sampled_from(CHARACTER_CLASSES), "min": st.integers(1, 6)}),
    max_size=4,
)
sequences = st.lists(
    st.fixed_dictionaries(
        {
            "sequence": st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
            "min": st.integers(1, 6),
        }
    ),
    max_size=3,
)


@given(
    classes=classes,
    sequences=sequences,
    extra=st.integers(0, 40),
    seed=st.integers(0, 2**32),
)
def test_every_pool_gets_its_minimum_and_nothing_else_appears(
    classes: list[dict[str, Any]], sequences: list[dict[str, Any]], extra: int, seed: int
) -> None:
    pools = character_pools({"character_classes": classes, "character_sequences": sequences})
    assume(pools)
    length = sum(p.min_count for p in pools) + extra
    value = generate_random_string(random.Random(seed), length, pools)
    assert len(value) == length
    allowed = set().union(*(set(p.characters) for p in pools))
    assert set(value) <= allowed
    for pool in pools:
        assert sum(c in pool.characters for c in value) >= pool.min_count


@given(length=st.integers(1, 512), seed=st.integers(0, 2**32))
def test_the_default_pools_give_any_length_of_letters_and_digits(length: int, seed: int) -> None:
    pools = character_pools(resolved(RandomString))
    value = generate_random_string(random.Random(seed), length, pools)
    assert len(value) == length
    assert value.isalnum() and value.isascii()


async def test_the_generated_string_is_stored_as_a_secret() -> None:
    ctx = InMemoryContext()
    await make(RandomString, ctx).create()
    assert "value" in ctx.redacted
