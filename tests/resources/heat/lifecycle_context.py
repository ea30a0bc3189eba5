"""An in-memory ResourceContext, for running resource plugins' lifecycles in tests.

A stand-in implementing :class:`calor.resources.lifecycle.ResourceContext`
(as httpx's MockTransport implements its transport): data in a dict, a
seeded random source, and a ``sleep`` that records what it was asked and
returns at once -- or, with ``block_sleeps``, waits until cancelled (or,
with ``cancel_after``, is cancelled at that many sleeps), as the engine's is
when a stack is cancelled or times out.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from typing import Any, TypeVar

from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceContext

R = TypeVar("R", bound=Resource)


class InMemoryContext:
    """One resource's context, kept in memory."""

    def __init__(
        self,
        resource_name: str = "res",
        *,
        stack_name: str = "teststack",
        physical_resource_id: str | None = None,
        data: Mapping[str, str] | None = None,
        seed: int = 0,
        block_sleeps: bool = False,
        cancel_after: int | None = None,
    ) -> None:
        self._resource_name = resource_name
        self._stack_name = stack_name
        self._physical_resource_id = physical_resource_id
        self._random = random.Random(seed)
        self.block_sleeps = block_sleeps
        #: Cancel the plugin (as the engine does) at this many sleeps.
        self.cancel_after = cancel_after
        #: The resource data, as committed.
        self.data: dict[str, str] = dict(data or {})
        #: Keys stored with ``redact=True``.
        self.redacted: set[str] = set()
        #: Every wait asked for, in seconds, in order.
        self.sleeps: list[float] = []
        #: Every physical id recorded, in order.
        self.physical_ids: list[str] = []

    @property
    def cloud(self) -> None:
        """No cloud: these plugins need none."""
        return None

    @property
    def stack_name(self) -> str:
        return self._stack_name

    @property
    def stack_id(self) -> str:
        return "6b2e1d6a-0c3b-4f0e-9d59-2a1f3e4c5b6d"

    @property
    def resource_name(self) -> str:
        return self._resource_name

    @property
    def physical_resource_name(self) -> str:
        return f"{self._stack_name}-{self._resource_name}-abcdefghijkl"

    @property
    def physical_resource_id(self) -> str | None:
        return self._physical_resource_id

    async def set_physical_resource_id(self, physical_id: str) -> None:
        self._physical_resource_id = physical_id
        self.physical_ids.append(physical_id)

    async def get_data(self) -> Mapping[str, str]:
        return dict(self.data)

    async def set_data(self, key: str, value: str, *, redact: bool = False) -> None:
        assert isinstance(value, str), f"resource data must be text, got {value!r}"
        self.data[key] = value
        if redact:
            self.redacted.add(key)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.cancel_after is not None and len(self.sleeps) >= self.cancel_after:
            raise asyncio.CancelledError
        if self.block_sleeps:
            await asyncio.Event().wait()

    def random(self) -> random.Random:
        return self._random


class ConfigLookupContext(InMemoryContext):
    """A context that can also find stored software configs by id."""

    def __init__(self, configs: Mapping[str, Mapping[str, Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.configs = dict(configs)
        #: The ids looked up, in order.
        self.lookups: list[str] = []

    async def show_software_config(self, config_id: str) -> Mapping[str, Any] | None:
        self.lookups.append(config_id)
        return self.configs.get(config_id)


def resolved(plugin: type[Resource], **values: Any) -> dict[str, Any]:
    """Property values as the engine hands them over: coerced, defaults filled in."""
    return plugin.type_schema().resolve_properties(values)


def make(plugin: type[R], ctx: ResourceContext, **values: Any) -> R:
    """An instance of ``plugin`` for ``ctx``, with these template property values."""
    return plugin(ctx, resolved(plugin, **values))
