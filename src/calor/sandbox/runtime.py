"""The running sandbox cloud: its config, store, faults, quotas and token validator.

One :class:`Sandbox` lives in ``app.state.sandbox``; route handlers get it
through :data:`SandboxDep`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, cast

from fastapi import Depends, Request

from calor.identity.context import TokenValidator
from calor.sandbox.config import SandboxConfig
from calor.sandbox.faults import Faults
from calor.sandbox.quotas import Quotas
from calor.sandbox.store import SandboxStore, Transaction
from calor.sandbox.types import ServicePlug


class Sandbox:
    """Everything the services of one sandbox cloud share."""

    def __init__(self, config: SandboxConfig, store: SandboxStore, *,
                 services: tuple[ServicePlug, ...], admin_project_id: str,
                 validator: TokenValidator) -> None:
        self.config = config
        self.store = store
        self.services = services
        self.admin_project_id = admin_project_id
        self.validator = validator
        self.faults = Faults(config.faults, default_latency=config.latency)
        defaults: dict[str, dict[str, int]] = {}
        for plug in services:
            if plug.quota_service:
                limits = defaults.setdefault(plug.quota_service, {})
                limits.update(plug.quotas)
                limits.update(config.quotas.get(plug.quota_service, {}))
        self.quotas = Quotas(defaults)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self.store.transaction() as tx:
            yield tx


def sandbox_of(request: Request) -> Sandbox:
    return cast(Sandbox, request.app.state.sandbox)


async def _sandbox(request: Request) -> Sandbox:
    # async: FastAPI would run a plain function in a worker thread.
    return sandbox_of(request)


SandboxDep = Annotated[Sandbox, Depends(_sandbox)]
