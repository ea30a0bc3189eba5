"""Cinder volume types: ``/types`` with extra specs; ``__DEFAULT__`` and ``lvmdriver-1`` seeded.

New volumes without a type get ``lvmdriver-1``, devstack's default type.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, parse_bool
from calor.sandbox.errors import BadRequest, Conflict, Forbidden, NotFound
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, public
from calor.sandbox.store import Transaction
from calor.sandbox.types import SeedContext
from calor.sandbox.volume.common import (
    VOLUME,
    VOLUME_TYPE,
    Version,
    at_least,
    metadata_field,
    new_id,
    string_field,
)

DEFAULT_TYPE = "lvmdriver-1"
_ACCESS = "os-volume-type-access:is_public"


def _new_type(name: str, description: str | None, extra_specs: dict[str, str],
              is_public: bool = True) -> Body:
    return {"id": new_id(), "name": name, "description": description, "is_public": is_public,
            _ACCESS: is_public, "extra_specs": extra_specs, "qos_specs_id": None}


def seed(tx: Transaction, _context: SeedContext) -> None:
    """The types a devstack Cinder has: the mandatory ``__DEFAULT__`` and the LVM backend's."""
    tx.insert(VOLUME_TYPE, _new_type("__DEFAULT__", "Default Volume Type", {}))
    tx.insert(VOLUME_TYPE, _new_type(DEFAULT_TYPE, None,
                                     {"volume_backend_name": DEFAULT_TYPE}))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def find_type(tx: Transaction, reference: str) -> Body:
    """A type by id (a UUID) or by name, as Cinder looks them up, else its 404."""
    if _is_uuid(reference):
        found = tx.get(VOLUME_TYPE, reference)
        if found is None:
            raise NotFound(f"Volume type {reference} could not be found.")
        return found
    for body in tx.list(VOLUME_TYPE, name=reference):
        return body
    raise NotFound(f"Volume type with name {reference} could not be found.")


def default_type(tx: Transaction) -> Body | None:
    for name in (DEFAULT_TYPE, "__DEFAULT__"):
        for body in tx.list(VOLUME_TYPE, name=name):
            return body
    return None


def _visible(context: RequestContext, body: Body) -> bool:
    return context.is_admin or bool(body.get("is_public", True))


def _require_admin(context: RequestContext, action: str) -> None:
    if not context.is_admin:
        raise Forbidden(f"Policy doesn't allow volume_extension:types_manage:{action} to be "
                        "performed." if action != "extra_specs" else
                        "Policy doesn't allow volume_extension:types_extra_specs:create to "
                        "be performed.")


def _get(tx: Transaction, type_id: str, context: RequestContext) -> Body:
    body = tx.get(VOLUME_TYPE, type_id)
    if body is None or not _visible(context, body):
        raise NotFound(f"Volume type {type_id} could not be found.")
    return body


def _view(body: Body, context: RequestContext) -> Body:
    shown = public(body)
    if not context.is_admin:
        shown.pop("qos_specs_id", None)
    return shown


def routes(router: APIRouter) -> None:
    @router.get("/types")
    async def list_types(context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = [b for b in tx.list(VOLUME_TYPE) if _visible(context, b)]
        return {"volume_types": [_view(b, context) for b in found]}

    @router.get("/types/default")
    async def show_default(context: Context, sandbox: SandboxDep,
                           version: Version) -> dict[str, Any]:
        if not at_least(version, 3, 62):
            raise NotFound("Volume type default could not be found.")
        with sandbox.transaction() as tx:
            found = default_type(tx)
        if found is None:
            raise NotFound("Default volume type can not be found.")
        return {"volume_type": _view(found, context)}

    @router.get("/types/{type_id}")
    async def show_type(type_id: str, context: Context,
                        sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"volume_type": _view(_get(tx, type_id, context), context)}

    @router.post("/types")
    async def create_type(request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context, "create")
        values = member(await json_body(request), "volume_type")
        name = string_field(values, "name")
        if not name or not name.strip():
            raise BadRequest("Volume type name can not be empty.")
        description = string_field(values, "description")
        is_public = parse_bool(values.get(_ACCESS, values.get("is_public", True)))
        specs = metadata_field(values.get("extra_specs"), "extra_specs")
        with sandbox.transaction() as tx:
            if tx.list(VOLUME_TYPE, name=name):
                raise Conflict(f"Volume Type {name} already exists.")
            body = tx.insert(VOLUME_TYPE, _new_type(name, description, specs,
                                                    is_public is not False))
        return {"volume_type": _view(body, context)}

    @router.put("/types/{type_id}")
    async def update_type(type_id: str, request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context, "update")
        values = member(await json_body(request), "volume_type")
        with sandbox.transaction() as tx:
            body = _get(tx, type_id, context)
            if "name" in values:
                name = string_field(values, "name")
                if not name:
                    raise BadRequest("Volume type name can not be empty.")
                if any(t["id"] != type_id for t in tx.list(VOLUME_TYPE, name=name)):
                    raise Conflict(f"Volume Type {name} already exists.")
                body["name"] = name
            if "description" in values:
                body["description"] = string_field(values, "description")
            if "is_public" in values:
                body["is_public"] = body[_ACCESS] = parse_bool(values["is_public"]) is True
            tx.save(VOLUME_TYPE, body)
        return {"volume_type": _view(body, context)}

    @router.delete("/types/{type_id}")
    async def delete_type(type_id: str, context: Context, sandbox: SandboxDep) -> Response:
        _require_admin(context, "delete")
        with sandbox.transaction() as tx:
            body = _get(tx, type_id, context)
            if body["name"] == "__DEFAULT__":
                raise BadRequest("Default volume type can not be deleted.")
            if any(v.get("volume_type") == body["name"] for v in tx.list(VOLUME)):
                raise BadRequest(f"Volume Type {type_id} deletion is not allowed with volumes "
                                 "present with the type.")
            tx.delete(VOLUME_TYPE, type_id)
        return Response(status_code=202)

    @router.get("/types/{type_id}/extra_specs")
    async def extra_specs(type_id: str, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"extra_specs": _get(tx, type_id, context)["extra_specs"]}

    @router.post("/types/{type_id}/extra_specs")
    async def set_extra_specs(type_id: str, request: Request, context: Context,
                              sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context, "extra_specs")
        body = await json_body(request)
        specs = metadata_field(body.get("extra_specs") if isinstance(body, dict) else None,
                               "extra_specs")
        with sandbox.transaction() as tx:
            found = _get(tx, type_id, context)
            found["extra_specs"].update(specs)
            tx.save(VOLUME_TYPE, found)
        return {"extra_specs": specs}

    @router.delete("/types/{type_id}/extra_specs/{key}")
    async def delete_extra_spec(type_id: str, key: str, context: Context,
                                sandbox: SandboxDep) -> Response:
        _require_admin(context, "extra_specs")
        with sandbox.transaction() as tx:
            found = _get(tx, type_id, context)
            if key not in found["extra_specs"]:
                raise NotFound(f"Volume Type {type_id} has no extra specs with key {key}.")
            del found["extra_specs"][key]
            tx.save(VOLUME_TYPE, found)
        return Response(status_code=202)
