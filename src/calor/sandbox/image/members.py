"""Glance image members (sharing a ``shared`` image with projects) and (de)activation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body
from calor.sandbox.errors import BadRequest, Conflict, Forbidden, NotFound
from calor.sandbox.image import records
from calor.sandbox.image.routes import get_image, get_owned_image
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body, iso8601

_STATUSES = ("pending", "accepted", "rejected")


def _view(image_id: str, member_id: str, member: Body) -> Body:
    return {"image_id": image_id, "member_id": member_id, "status": member["status"],
            "created_at": member["created_at"], "updated_at": member["updated_at"],
            "schema": "/v2/schemas/member"}


def routes(router: APIRouter) -> None:
    @router.get("/image/v2/images/{image_id}/members")
    async def list_members(image_id: str, context: Context,
                           sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            image = get_image(tx, image_id, context)
        members = image.get("_members", {})
        if image["owner"] != context.project_id and not context.is_admin:
            members = {k: v for k, v in members.items() if k == context.project_id}
        return {"members": [_view(image_id, k, v) for k, v in members.items()],
                "schema": "/v2/schemas/members"}

    @router.post("/image/v2/images/{image_id}/members")
    async def add_member(image_id: str, request: Request, context: Context,
                         sandbox: SandboxDep) -> Body:
        body = await json_body(request)
        member_id = body.get("member") if isinstance(body, dict) else None
        if not isinstance(member_id, str) or not member_id:
            raise BadRequest("Member to be added not specified")
        with sandbox.transaction() as tx:
            image = get_owned_image(tx, image_id, context)
            if image["visibility"] != "shared":
                raise Forbidden(f"Image {image_id} could not be shared: only shared images "
                                "have members.")
            members = image.setdefault("_members", {})
            if member_id in members:
                raise Conflict(f"Member {member_id} already exists on image {image_id}.")
            stamp = iso8601(tx.now)
            members[member_id] = {"status": "pending", "created_at": stamp,
                                  "updated_at": stamp}
            tx.save(records.KIND, image)
        return _view(image_id, member_id, members[member_id])

    @router.get("/image/v2/images/{image_id}/members/{member_id}")
    async def show_member(image_id: str, member_id: str, context: Context,
                          sandbox: SandboxDep) -> Body:
        with sandbox.transaction() as tx:
            image = get_image(tx, image_id, context)
        member = image.get("_members", {}).get(member_id)
        if member is None:
            raise NotFound(f"Member {member_id} not found on image {image_id}.")
        return _view(image_id, member_id, member)

    @router.put("/image/v2/images/{image_id}/members/{member_id}")
    async def update_member(image_id: str, member_id: str, request: Request,
                            context: Context, sandbox: SandboxDep) -> Body:
        body = await json_body(request)
        wanted = body.get("status") if isinstance(body, dict) else None
        if wanted not in _STATUSES:
            raise BadRequest(f"Invalid status {wanted}: must be one of {list(_STATUSES)}")
        if member_id != context.project_id and not context.is_admin:
            raise Forbidden("Only the member itself may accept or reject an image.")
        with sandbox.transaction() as tx:
            image = get_image(tx, image_id, context)
            member = image.get("_members", {}).get(member_id)
            if member is None:
                raise NotFound(f"Member {member_id} not found on image {image_id}.")
            member.update({"status": wanted, "updated_at": iso8601(tx.now)})
            tx.save(records.KIND, image)
        return _view(image_id, member_id, member)

    @router.delete("/image/v2/images/{image_id}/members/{member_id}")
    async def remove_member(image_id: str, member_id: str, context: Context,
                            sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            image = get_owned_image(tx, image_id, context)
            if member_id not in image.get("_members", {}):
                raise NotFound(f"Member {member_id} not found on image {image_id}.")
            del image["_members"][member_id]
            tx.save(records.KIND, image)
        return Response(status_code=204)

    def _set_status(image_id: str, context: RequestContext, sandbox: Sandbox, *,
                    active: bool) -> None:
        with sandbox.transaction() as tx:
            image = get_owned_image(tx, image_id, context)
            if image["status"] not in {"active", "deactivated"}:
                raise Conflict(f"Not allowed to {'reactivate' if active else 'deactivate'} an "
                               f"image in status '{image['status']}'")
            image.update({"status": "active" if active else "deactivated",
                          "updated_at": iso8601(tx.now)})
            tx.save(records.KIND, image)

    @router.post("/image/v2/images/{image_id}/actions/deactivate")
    async def deactivate(image_id: str, context: Context, sandbox: SandboxDep) -> Response:
        _set_status(image_id, context, sandbox, active=False)
        return Response(status_code=204)

    @router.post("/image/v2/images/{image_id}/actions/reactivate")
    async def reactivate(image_id: str, context: Context, sandbox: SandboxDep) -> Response:
        _set_status(image_id, context, sandbox, active=True)
        return Response(status_code=204)
