"""Where other services join a server's life (the volume service attaches volumes here).

A :class:`ServerHook` is told when a server is being created (with its
``block_device_mapping_v2``; it may refuse with an ``ApiError``, and the
whole create rolls back) and when it is deleted. Hooks register at import,
as the volume package does with ``register(...)``.
"""

from __future__ import annotations

from typing import Any, Protocol

from calor.identity.context import RequestContext
from calor.sandbox.runtime import Sandbox
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction


class ServerHook(Protocol):
    """Another service's part in creating and deleting servers."""

    def on_create(self, sandbox: Sandbox, tx: Transaction, server: Body,
                  block_devices: list[dict[str, Any]], context: RequestContext) -> None: ...

    def on_delete(self, sandbox: Sandbox, tx: Transaction, server: Body) -> None: ...


_HOOKS: list[ServerHook] = []


def register(hook: ServerHook) -> None:
    """Add a hook (at import time; the registry is filled once)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def hooks() -> tuple[ServerHook, ...]:
    return tuple(_HOOKS)
