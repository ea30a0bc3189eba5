"""Registration refuses plugins whose lifecycle overrides are not coroutines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from calor.resources import PluginValidationError, Resource, ResourceTypeRegistry, default_registry


class SyncCreate(Resource):
    type_name = "My::Sync::Create"

    def create(self) -> None:  # type: ignore[override]
        pass


class SyncAttributeAndDelete(Resource):
    type_name = "My::Sync::Several"

    def delete(self) -> None:  # type: ignore[override]
        pass

    def resolve_attribute(self, name: str) -> Any:
        return None


class AsyncEverywhere(Resource):
    type_name = "My::Async::Fine"

    async def create(self) -> None:
        pass

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        pass

    async def signal(self, details: Mapping[str, Any] | None) -> None:
        pass


class Inherited(AsyncEverywhere):
    type_name = "My::Async::Inherited"


def test_a_sync_create_is_refused_naming_the_plugin_and_type() -> None:
    with pytest.raises(PluginValidationError) as caught:
        ResourceTypeRegistry([SyncCreate])
    assert str(caught.value) == (
        f"Resource plugin {__name__}.SyncCreate (My::Sync::Create) is invalid: "
        "lifecycle method create is not a coroutine function (async def)"
    )


def test_every_sync_lifecycle_override_is_reported_at_once() -> None:
    with pytest.raises(PluginValidationError) as caught:
        ResourceTypeRegistry([SyncAttributeAndDelete])
    assert caught.value.type_name == "My::Sync::Several"
    assert caught.value.problems == (
        "lifecycle method delete is not a coroutine function (async def)",
        "lifecycle method resolve_attribute is not a coroutine function (async def)",
    )


def test_coroutine_overrides_and_inherited_ones_register() -> None:
    registry = ResourceTypeRegistry([AsyncEverywhere, Inherited])
    assert registry.get_class("My::Async::Inherited") is Inherited


def test_a_lifecycle_method_replaced_by_a_non_callable_is_refused() -> None:
    broken = type("Broken", (Resource,), {"type_name": "My::Broken::Thing", "check": None})
    with pytest.raises(PluginValidationError, match="lifecycle method check is not a coroutine"):
        ResourceTypeRegistry([broken])


def test_every_built_in_type_passes_the_lifecycle_check() -> None:
    assert "OS::Heat::TestResource" in default_registry()
