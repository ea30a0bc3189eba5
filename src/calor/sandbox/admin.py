"""``/sandbox-admin``: the sandbox's own knobs, for tests of orchestration.

``GET /sandbox-admin/faults`` shows the fault rules in force;
``PUT /sandbox-admin/faults`` with ``{"faults": {"compute.server.create":
{"failure_rate": 1.0, "latency": 0}}}`` replaces them (and restarts the call
counts). Admins only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body
from calor.sandbox.config import ConfigError, fault_rule
from calor.sandbox.errors import BadRequest, Forbidden
from calor.sandbox.runtime import Sandbox, SandboxDep

PREFIX = "/sandbox-admin"


def _require_admin(context: RequestContext) -> None:
    if not context.is_admin:
        raise Forbidden("Only admins may change the sandbox's faults.")


def _faults(sandbox: Sandbox) -> dict[str, Any]:
    return {"faults": {op: rule.as_dict() for op, rule in sandbox.faults.rules.items()},
            "default_latency": sandbox.faults.default_latency}


def router() -> APIRouter:
    routes = APIRouter(prefix=PREFIX)

    @routes.get("/faults")
    async def show(context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context)
        return _faults(sandbox)

    @routes.put("/faults")
    async def replace(request: Request, context: Context,
                      sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context)
        body = await json_body(request)
        rules = body.get("faults") if isinstance(body, dict) else None
        if not isinstance(rules, dict):
            raise BadRequest('Expected {"faults": {"<operation>": {...}}}')
        try:
            parsed = {str(op): fault_rule(str(op), rule) for op, rule in rules.items()}
        except ConfigError as error:
            raise BadRequest(str(error)) from None
        sandbox.faults.replace(parsed)
        return _faults(sandbox)

    return routes
