"""OS::Heat::Value: its value attribute, typed as the type property says."""

from __future__ import annotations

from typing import Any

import pytest
from tests.resources.heat.lifecycle_context import InMemoryContext, make

from calor.resources.heat import Value
from calor.template.schema import PropertyError


async def value_of(**properties: Any) -> Any:
    resource = make(Value, InMemoryContext(), **properties)
    await resource.create()
    return await resource.resolve_attribute("value")


async def test_create_records_the_physical_resource_name() -> None:
    ctx = InMemoryContext("val", stack_name="web")
    resource = make(Value, ctx, value=1)
    await resource.create()
    assert ctx.physical_resource_id == "web-val-abcdefghijkl"
    assert (await resource.reference_id()) == "web-val-abcdefghijkl"


async def test_without_a_type_the_value_is_given_back_as_it_is() -> None:
    assert await value_of(value={"a": [1, "2"]}) == {"a": [1, "2"]}


@pytest.mark.parametrize(
    ("declared", "given", "expected"),
    [
        ("number", "5", 5),
        ("number", "2.5", 2.5),
        ("number", -11, -11),
        ("string", 5, "5"),
        ("string", True, "True"),
        ("boolean", "true", True),
        ("boolean", False, False),
        ("comma_delimited_list", ["a", "b"], ["a", "b"]),
        ("json", {"a": "Z"}, {"a": "Z"}),
    ],
)
async def test_value_is_converted_to_the_declared_type(
    declared: str, given: Any, expected: Any
) -> None:
    result = await value_of(value=given, type=declared)
    assert result == expected
    assert type(result) is type(expected)


async def test_a_value_that_does_not_fit_its_type_fails_as_the_property_would() -> None:
    with pytest.raises(PropertyError, match="is not a map"):
        await value_of(value="[1]", type="json")


async def test_other_attribute_names_are_none() -> None:
    resource = make(Value, InMemoryContext(), value=1)
    assert await resource.resolve_attribute("other") is None


async def test_update_in_place_takes_the_new_value_and_type() -> None:
    resource = make(Value, InMemoryContext(), value="1")
    await resource.create()
    await resource.update({"value": "7", "type": "number"}, frozenset({"value", "type"}))
    assert await resource.resolve_attribute("value") == 7
