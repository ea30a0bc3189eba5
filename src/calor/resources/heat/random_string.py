"""OS::Heat::RandomString: a random string, e.g. for passwords."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceContext, ResourceFailure, UpdateReplace
from calor.template.constraints import AllowedValues, Range
from calor.template.errors import StackValidationFailed
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

#: The named character classes a string may be drawn from.
CHARACTER_CLASSES = (
    "lettersdigits",
    "letters",
    "lowercase",
    "uppercase",
    "digits",
    "hexdigits",
    "octdigits",
)

#: The characters of each named class (hexdigits are upper-case, as in Heat).
CLASS_MEMBERS: Mapping[str, str] = MappingProxyType(
    {
        "lettersdigits": string.ascii_letters + string.digits,
        "letters": string.ascii_letters,
        "lowercase": string.ascii_lowercase,
        "uppercase": string.ascii_uppercase,
        "digits": string.digits,
        "hexdigits": string.digits + "ABCDEF",
        "octdigits": string.octdigits,
    }
)

#: Heat's validation message when the minimums cannot fit in the length.
LENGTH_TOO_SMALL = (
    "Length property cannot be smaller than combined "
    "character class and character sequence minimums"
)

#: What Heat's generator fails with when it has no character to draw.
NO_CHARACTERS = "Cannot choose from an empty sequence"

_DEFAULT_CLASSES = [{"class": "lettersdigits", "min": 1}]

#: The resource data key the string is kept under (as in Heat).
VALUE_KEY = "value"


@dataclass(frozen=True)
class CharacterPool:
    """Characters to draw from, and how many of the string must come from them."""

    characters: str
    min_count: int

    @classmethod
    def of(cls, characters: str, min_count: int) -> CharacterPool:
        # Sorted, so a seeded random source gives the same string every run
        # (Heat draws from a frozenset, whose order changes per process).
        return cls("".join(sorted(set(characters))), min_count)


def character_pools(properties: Mapping[str, Any]) -> list[CharacterPool]:
    """The pools a string is drawn from: sequences first, then classes, as in Heat.

    The hidden ``sequence`` property becomes one more class with a minimum
    of one, added to the classes the template gave, or replacing the
    default class when it gave none.
    """
    classes: Sequence[Mapping[str, Any]] = properties.get("character_classes") or []
    sequence = properties.get("sequence")
    if sequence:
        # Values arrive with defaults filled in: the default list is taken
        # as "not given" (Heat's translation tells the two apart).
        given = [] if list(classes) == _DEFAULT_CLASSES else list(classes)
        classes = [*given, {"class": sequence, "min": 1}]
    sequences: Sequence[Mapping[str, Any]] = properties.get("character_sequences") or []
    return [
        *(CharacterPool.of(s["sequence"], s["min"]) for s in sequences),
        *(CharacterPool.of(CLASS_MEMBERS[c["class"]], c["min"]) for c in classes),
    ]


def check_length(length: int, pools: Sequence[CharacterPool]) -> None:
    """Raise Heat's StackValidationFailed when the minimums exceed ``length``."""
    if sum(pool.min_count for pool in pools) > length:
        raise StackValidationFailed(LENGTH_TOO_SMALL)


def generate_random_string(rng: Any, length: int, pools: Sequence[CharacterPool]) -> str:
    """Heat's algorithm: each pool's minimum first, the rest from all pools, shuffled.

    ``rng`` is a ``random.Random``-like source. Raises ValueError when a
    character is needed from an empty pool.
    """
    chosen: list[str] = []
    for pool in pools:
        if pool.min_count and not pool.characters:
            raise ValueError(NO_CHARACTERS)
        chosen.extend(rng.choice(pool.characters) for _ in range(pool.min_count))
    combined = "".join(sorted({c for pool in pools for c in pool.characters}))
    rest = max(0, length - len(chosen))
    if rest and not combined:
        raise ValueError(NO_CHARACTERS)
    chosen.extend(rng.choice(combined) for _ in range(rest))
    return "".join(rng.sample(chosen, length))


class RandomString(Resource):
    """Generates a random string once, for passwords, secrets and names.

    Characters come from named classes and/or explicit sequences, each with
    a minimum count; the length is 32 unless set. Changing ``salt`` makes a
    new string.
    """

    type_name = "OS::Heat::RandomString"
    local_only = True
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "length": PropertySchema(
            PropertyType.INTEGER,
            "How many characters to generate.",
            default=32,
            constraints=[Range(1, 512)],
        ),
        "sequence": PropertySchema(
            PropertyType.STRING,
            "A character class to draw from (superseded by character_classes).",
            constraints=[AllowedValues(CHARACTER_CLASSES)],
            support_status=SupportStatus(
                Support.HIDDEN,
                version="5.0.0",
                previous_status=SupportStatus(
                    Support.DEPRECATED,
                    version="2014.2",
                    message="Use property character_classes.",
                ),
            ),
        ),
        "character_classes": PropertySchema(
            PropertyType.LIST,
            "Named character classes to draw from, each with a minimum count.",
            schema=PropertySchema(
                PropertyType.MAP,
                schema={
                    "class": PropertySchema(
                        PropertyType.STRING,
                        "A named class of characters; see min.",
                        default="lettersdigits",
                        constraints=[AllowedValues(CHARACTER_CLASSES)],
                    ),
                    "min": PropertySchema(
                        PropertyType.INTEGER,
                        "At least this many characters of the string come from the class.",
                        default=1,
                        constraints=[Range(1, 512)],
                    ),
                },
            ),
            default=[{"class": "lettersdigits", "min": 1}],
        ),
        "character_sequences": PropertySchema(
            PropertyType.LIST,
            "Explicit character sequences to draw from, each with a minimum count.",
            schema=PropertySchema(
                PropertyType.MAP,
                schema={
                    "sequence": PropertySchema(
                        PropertyType.STRING,
                        "The characters to draw from; see min.",
                        required=True,
                    ),
                    "min": PropertySchema(
                        PropertyType.INTEGER,
                        "At least this many characters of the string come from the sequence.",
                        default=1,
                        constraints=[Range(1, 512)],
                    ),
                },
            ),
        ),
        "salt": PropertySchema(
            PropertyType.STRING,
            "Ignored by the generator; change it on update to get a new string.",
        ),
    }
    attributes_schema = {
        "value": AttributeSchema(
            "The generated string (also the resource's reference).",
            type=AttributeType.STRING,
            cache_mode=CacheMode.NONE,
        ),
    }

    def __init__(self, ctx: ResourceContext, properties: Mapping[str, Any]) -> None:
        super().__init__(ctx, properties)
        # The stored string, once this instance has created or read it.
        self._value: str | None = None

    @classmethod
    def validate(cls, properties: Mapping[str, Any]) -> None:
        """Heat's extra check of resolved properties (raises StackValidationFailed)."""
        check_length(properties["length"], character_pools(properties))

    async def create(self) -> None:
        length = self.properties["length"]
        pools = character_pools(self.properties)
        try:
            check_length(length, pools)
            value = generate_random_string(self.ctx.random(), length, pools)
        except (StackValidationFailed, ValueError) as exc:
            raise ResourceFailure(str(exc)) from exc
        # Heat keeps it redacted; the contract's set_data has no flag for that yet.
        await self.ctx.set_data(VALUE_KEY, value, redact=True)
        self._value = value
        await self.ctx.set_physical_resource_id(self.ctx.physical_resource_name)

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        # No property is update_allowed: any change (salt above all) means a
        # new resource, hence a new string. Unchanged properties keep it.
        if changed:
            raise UpdateReplace(self.ctx.resource_name)
        self.properties = properties

    async def resolve_attribute(self, name: str) -> Any:
        if name != "value":
            return None
        self._value = (await self.ctx.get_data()).get(VALUE_KEY)
        return self._value

    async def reference_id(self) -> str:
        """The string itself once created (the name before)."""
        if self.ctx.physical_resource_id is None:
            return self.ctx.resource_name
        value = await self.resolve_attribute("value")
        return str(value) if value is not None else self.ctx.resource_name
