"""Nova keypairs: ``/os-keypairs``, per user; generated (ed25519) when no key is given."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, page
from calor.sandbox.compute.common import KEYPAIR, QUOTA_SERVICE, Version, at_least, invalid
from calor.sandbox.errors import BadRequest, Conflict, Forbidden, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, iso8601
from calor.sandbox.store import Transaction

_SAFE_NAME = re.compile(r"^[a-zA-Z0-9 _.@\-]+$")


def record_id(user_id: str, name: str) -> str:
    return f"{user_id}:{name}"


def find_keypair(tx: Transaction, user_id: str, name: str) -> Body | None:
    return tx.get(KEYPAIR, record_id(user_id, name))


def fingerprint(public_key: str) -> str:
    """MD5 of the key blob, colon separated, as Nova shows for SSH keys."""
    parts = public_key.split()
    if len(parts) < 2 or not parts[0].startswith(("ssh-", "ecdsa-")):
        raise BadRequest("Keypair data is invalid: failed to generate fingerprint")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("Keypair data is invalid: failed to generate fingerprint") from None
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _generate() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return private, f"{public} Generated-by-Calor-sandbox"


def view(keypair: Body, version: Microversion, *, listed: bool = False) -> Body:
    shown = {key: keypair[key] for key in ("name", "public_key", "fingerprint")}
    if at_least(version, "2.2"):
        shown["type"] = keypair["type"]
    if not listed:
        shown.update({"user_id": keypair["user_id"], "created_at": keypair["created_at"],
                      "deleted": False, "deleted_at": None, "updated_at": None,
                      "id": keypair["_number"]})
    return shown


def _user_for(context: RequestContext, wanted: str | None) -> str:
    if wanted and wanted != context.user_id:
        if not context.is_admin:
            raise Forbidden("Policy doesn't allow os_compute_api:os-keypairs:index to be "
                            "performed.")
        return wanted
    return context.user_id


def routes(router: APIRouter) -> None:
    @router.get("/os-keypairs")
    async def list_keypairs(request: Request, context: Context, version: Version,
                            sandbox: SandboxDep) -> dict[str, Any]:
        user = _user_for(context, request.query_params.get("user_id"))
        with sandbox.transaction() as tx:
            found = [k for k in tx.list(KEYPAIR) if k["user_id"] == user]
        for keypair in found:
            keypair["id"] = keypair["name"]
        shown, more = page(found, limit=request.query_params.get("limit"),
                           marker=request.query_params.get("marker"))
        answer: dict[str, Any] = {"keypairs": [{"keypair": view(k, version, listed=True)}
                                               for k in shown]}
        if more and shown:
            answer["keypairs_links"] = [{"rel": "next", "href": str(
                request.url.include_query_params(marker=shown[-1]["name"]))}]
        return answer

    @router.get("/os-keypairs/{name}")
    async def show_keypair(name: str, request: Request, context: Context, version: Version,
                           sandbox: SandboxDep) -> dict[str, Any]:
        user = _user_for(context, request.query_params.get("user_id"))
        with sandbox.transaction() as tx:
            keypair = find_keypair(tx, user, name)
        if keypair is None:
            raise NotFound(f"Keypair {name} not found for user {user}")
        return {"keypair": view(keypair, version)}

    @router.post("/os-keypairs")
    async def create_keypair(request: Request, context: Context, version: Version,
                             sandbox: SandboxDep) -> Response:
        body = member(await json_body(request), "keypair")
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 255:
            raise invalid("name", name, f"{name!r} is not a valid keypair name")
        if not _SAFE_NAME.match(name):
            raise BadRequest("Keypair data is invalid: Keypair name contains unsafe "
                             "characters")
        kind = body.get("type", "ssh")
        if kind not in {"ssh", "x509"}:
            raise invalid("type", kind, f"{kind!r} is not one of ['ssh', 'x509']")
        user = _user_for(context, body.get("user_id") if at_least(version, "2.10") else None)
        public_key = body.get("public_key")
        private_key = None
        if public_key is None:
            if at_least(version, "2.92"):
                raise invalid("keypair", body, "'public_key' is a required property")
            private_key, public_key = _generate()
        elif not isinstance(public_key, str):
            raise invalid("public_key", public_key, "is not of type 'string'")
        print_ = fingerprint(public_key)
        await sandbox.faults.gate("compute.keypair.create")
        with sandbox.transaction() as tx:
            if find_keypair(tx, user, name) is not None:
                raise Conflict(f"Key pair '{name}' already exists.")
            owned = sum(1 for k in tx.list(KEYPAIR) if k["user_id"] == user)
            exceeded = sandbox.quotas.check(tx, QUOTA_SERVICE, context.project_id,
                                            "key_pairs", in_use=owned)
            if exceeded is not None:
                raise Forbidden("Quota exceeded, too many key pairs.")
            number = int(tx.get_meta("keypair_number") or 0) + 1
            tx.set_meta("keypair_number", number)
            keypair = tx.insert(KEYPAIR, {
                "id": record_id(user, name), "name": name, "public_key": public_key,
                "fingerprint": print_, "user_id": user, "type": kind,
                "created_at": iso8601(tx.now), "_number": number,
            }, project_id=context.project_id)
        shown = view(keypair, version)
        if private_key is not None:
            shown["private_key"] = private_key
        return JSONResponse({"keypair": shown},
                            status_code=201 if at_least(version, "2.2") else 200)

    @router.delete("/os-keypairs/{name}")
    async def delete_keypair(name: str, request: Request, context: Context, version: Version,
                             sandbox: SandboxDep) -> Response:
        user = _user_for(context, request.query_params.get("user_id"))
        await sandbox.faults.gate("compute.keypair.delete")
        with sandbox.transaction() as tx:
            if find_keypair(tx, user, name) is None:
                raise NotFound(f"Keypair {name} not found for user {user}")
            tx.delete(KEYPAIR, record_id(user, name))
        return Response(status_code=204 if at_least(version, "2.2") else 202)
