"""``POST /servers/{id}/action``: stop, start, reboot, suspend, resume, rebuild, resize, ...

Each action checks the server's vm_state the way Nova does (409 otherwise)
and then moves it through its real states (:func:`server_states.move`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body
from calor.sandbox.compute.common import (
    SERVER,
    Version,
    base_url,
    check_metadata,
    require_admin,
)
from calor.sandbox.compute.flavors import find_flavor
from calor.sandbox.compute.server_ports import security_group_ids
from calor.sandbox.compute.server_states import busy_with, move, state
from calor.sandbox.compute.servers import check_unlocked, delete, get_server, show
from calor.sandbox.compute.usage import ensure_room
from calor.sandbox.errors import BadRequest, Conflict
from calor.sandbox.image import records as images
from calor.sandbox.microversions import Microversion
from calor.sandbox.network.common import PORT
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body, Step, schedule
from calor.sandbox.store import Transaction


@dataclass
class Act:
    """One action call: the server, the action's arguments and who asks."""

    name: str
    sandbox: Sandbox
    tx: Transaction
    server: Body
    args: Any
    context: RequestContext
    request: Request
    version: Microversion

    def require(self, *vm_states: str) -> None:
        busy = busy_with(self.server)
        if busy is not None:
            raise Conflict(f"Cannot '{self.name}' instance {self.server['id']} while it is in "
                           f"task_state {busy}")
        current = self.server["OS-EXT-STS:vm_state"]
        if vm_states and current not in vm_states:
            raise Conflict(f"Cannot '{self.name}' instance {self.server['id']} while it is in "
                           f"vm_state {current}")

    def move(self, operation: str, during: dict[str, Any], after: dict[str, Any], *,
             quick: bool = False) -> None:
        move(self.sandbox, self.tx, self.server, f"compute.server.{operation}", during, after,
             quick=quick)


Answer = Response | None


def _stop(act: Act) -> Answer:
    act.require("active", "error", "rescued")
    act.move("stop", {"OS-EXT-STS:task_state": "powering-off"}, state("SHUTOFF"))
    return None


def _start(act: Act) -> Answer:
    act.require("stopped")
    act.move("start", {"OS-EXT-STS:task_state": "powering-on"}, state("ACTIVE"))
    return None


def _reboot(act: Act) -> Answer:
    kind = act.args.get("type") if isinstance(act.args, dict) else None
    if not isinstance(kind, str) or kind.upper() not in {"SOFT", "HARD"}:
        raise BadRequest(f"Invalid input for field/attribute type. Value: {kind}. "
                         f"{kind!r} is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', "
                         "'soft']")
    if kind.upper() == "SOFT":
        act.require("active")
        act.move("reboot", state("REBOOT", "reboot_started"), state("ACTIVE"))
    else:
        act.require("active", "stopped", "paused", "suspended", "error")
        act.move("reboot", state("HARD_REBOOT", "reboot_started_hard"), state("ACTIVE"))
    return None


def _suspend(act: Act) -> Answer:
    act.require("active")
    act.move("suspend", {"OS-EXT-STS:task_state": "suspending"}, state("SUSPENDED"))
    return None


def _resume(act: Act) -> Answer:
    act.require("suspended")
    act.move("resume", {"OS-EXT-STS:task_state": "resuming"}, state("ACTIVE"))
    return None


def _pause(act: Act) -> Answer:
    act.require("active")
    act.move("pause", {"OS-EXT-STS:task_state": "pausing"}, state("PAUSED"))
    return None


def _unpause(act: Act) -> Answer:
    act.require("paused")
    act.move("unpause", {"OS-EXT-STS:task_state": "unpausing"}, state("ACTIVE"))
    return None


def _rebuild(act: Act) -> Answer:
    args = act.args if isinstance(act.args, dict) else {}
    ref = args.get("imageRef")
    if not isinstance(ref, str) or not ref:
        raise BadRequest("Invalid input for field/attribute rebuild. Value: "
                         f"{args}. 'imageRef' is a required property")
    act.require("active", "stopped", "error")
    image_id = ref.rstrip("/").rsplit("/", 1)[-1]
    image = images.find(act.tx, image_id, act.context)
    if image is None:
        raise BadRequest(f"Image {image_id} could not be found.")
    if image["status"] != "active":
        raise BadRequest(f"Image {image_id} is not active.")
    if "name" in args:
        act.server["name"] = str(args["name"])
    if "metadata" in args:
        act.server["metadata"] = check_metadata("metadata", args["metadata"])
    if "description" in args:
        act.server["description"] = args["description"]
    act.server["image"] = image["id"]
    act.server["_admin_pass"] = str(args.get("adminPass") or secrets.token_urlsafe(9))
    final = state("SHUTOFF") if act.server["status"] == "SHUTOFF" else state("ACTIVE")
    act.move("rebuild", state("REBUILD", "rebuilding"), final)
    shown = show(act.tx, act.server, act.version, act.request, act.context)
    shown["adminPass"] = act.server["_admin_pass"]
    return JSONResponse({"server": shown}, status_code=202)


def _resize(act: Act) -> Answer:
    args = act.args if isinstance(act.args, dict) else {}
    ref = args.get("flavorRef")
    if ref is None or ref == "":
        raise BadRequest("Invalid input for field/attribute resize. Value: "
                         f"{args}. 'flavorRef' is a required property")
    act.require("active", "stopped")
    flavor = find_flavor(act.tx, str(ref), act.context)
    if flavor is None:
        raise BadRequest(f"Flavor {ref} could not be found.")
    old = act.server["flavor"]
    if flavor["id"] == old["id"]:
        raise BadRequest("When resizing, instances must change flavor!")
    ensure_room(act.sandbox, act.tx, act.server["tenant_id"], {
        "cores": max(0, int(flavor["vcpus"]) - int(old["vcpus"])),
        "ram": max(0, int(flavor["ram"]) - int(old["ram"]))})
    act.server["_previous_flavor"] = old
    act.server["_resize_status"] = act.server["status"]
    act.server["flavor"] = {
        "id": flavor["id"], "vcpus": flavor["vcpus"], "ram": flavor["ram"],
        "disk": flavor["disk"], "ephemeral": flavor["OS-FLV-EXT-DATA:ephemeral"],
        "swap": flavor["swap"], "original_name": flavor["name"],
        "extra_specs": dict(flavor["extra_specs"])}
    act.move("resize", state("RESIZE", "resize_prep"), state("VERIFY_RESIZE"))
    return None


def _confirm_resize(act: Act) -> Answer:
    act.require("resized")
    if act.server["status"] != "VERIFY_RESIZE":
        raise Conflict(f"Cannot 'confirmResize' instance {act.server['id']} while it is in "
                       f"status {act.server['status']}")
    final = state(act.server.pop("_resize_status", "ACTIVE"))
    act.server.pop("_previous_flavor", None)
    act.move("confirm_resize", {"OS-EXT-STS:task_state": None}, final, quick=True)
    return Response(status_code=204)


def _revert_resize(act: Act) -> Answer:
    act.require("resized")
    final = state(act.server.pop("_resize_status", "ACTIVE"))
    previous = act.server.pop("_previous_flavor", None)
    if previous is not None:
        act.server["flavor"] = previous
    act.move("revert_resize", state("REVERT_RESIZE", "resize_reverting"), final)
    return None


def _lock(act: Act) -> Answer:
    reason = act.args.get("locked_reason") if isinstance(act.args, dict) else None
    act.server.update({"locked": True, "locked_reason": reason})
    act.tx.save(SERVER, act.server)
    return None


def _unlock(act: Act) -> Answer:
    act.server.update({"locked": False, "locked_reason": None})
    act.tx.save(SERVER, act.server)
    return None


def _security_group(act: Act, add: bool) -> Answer:
    name = act.args.get("name") if isinstance(act.args, dict) else None
    if not isinstance(name, str) or not name:
        raise BadRequest("Security group name cannot be empty")
    (group,) = security_group_ids(act.tx, [name], act.context)
    for port in act.tx.list(PORT):
        if port["device_id"] == act.server["id"]:
            groups = [g for g in port["security_groups"] if g != group["id"]]
            port["security_groups"] = groups + ([group["id"]] if add else [])
            act.tx.save(PORT, port)
    names = [g["name"] for g in act.server["security_groups"] if g["name"] != group["name"]]
    act.server["security_groups"] = [{"name": n}
                                     for n in names + ([group["name"]] if add else [])]
    act.tx.save(SERVER, act.server)
    return None


def _console_output(act: Act) -> Answer:
    lines = [f"[    0.000000] Linux version 6.1 (sandbox) booting {act.server['name']}",
             f"{act.server['hostname']} login: "]
    return JSONResponse({"output": "\n".join(lines) + "\n"})


def _vnc_console(act: Act) -> Answer:
    kind = act.args.get("type", "novnc") if isinstance(act.args, dict) else "novnc"
    url = f"{base_url(act.request)}/compute/vnc_auto.html?token={secrets.token_hex(16)}"
    return JSONResponse({"console": {"type": kind, "url": url}})


def _create_image(act: Act) -> Answer:
    args = act.args if isinstance(act.args, dict) else {}
    name = args.get("name")
    if not isinstance(name, str) or not name:
        raise BadRequest("Invalid input for field/attribute createImage. Value: "
                         f"{args}. 'name' is a required property")
    act.require("active", "stopped", "paused", "suspended")
    base = act.tx.get(images.KIND, act.server["image"]) if act.server["image"] else None
    properties = {str(k): str(v) for k, v in check_metadata(
        "metadata", args.get("metadata", {})).items()}
    image = images.new_image(act.tx, act.server["tenant_id"], {
        "name": name, "visibility": "private", "disk_format": (base or {}).get(
            "disk_format") or "qcow2", "container_format": "bare",
        "min_disk": int(act.server["flavor"]["disk"]), "image_type": "snapshot",
        "instance_uuid": act.server["id"], "base_image_ref": act.server["image"],
        "owner_project_name": act.context.project_name, **properties})
    data = act.tx.get_blob(images.data_key(base["id"])) if base else None
    images.store_data(act.tx, image, data or b"")
    decision = act.sandbox.faults.decide("compute.server.create_image", asynchronous=True)
    final = {"status": "killed"} if decision.fails else {"status": "active"}
    image["status"] = "saving"
    schedule(image, act.tx.now, [Step(decision.latency, final)], stamp=("updated_at",))
    act.tx.save(images.KIND, image)
    location = f"{base_url(act.request)}/image/v2/images/{image['id']}"
    return JSONResponse({"image_id": image["id"]}, status_code=202,
                        headers={"Location": location})


def _reset_state(act: Act) -> Answer:
    require_admin(act.context.is_admin, "os_compute_api:os-admin-actions:reset_state")
    wanted = act.args.get("state") if isinstance(act.args, dict) else None
    if wanted not in {"active", "error"}:
        raise BadRequest(f"Invalid input for field/attribute state. Value: {wanted}.")
    act.server.pop("_pending", None)
    act.server.update(state("ACTIVE" if wanted == "active" else "ERROR"))
    act.tx.save(SERVER, act.server)
    return None


def _force_delete(act: Act) -> Answer:
    delete(act.sandbox, act.tx, act.server)
    return None


def _change_password(act: Act) -> Answer:
    act.require("active")
    password = act.args.get("adminPass") if isinstance(act.args, dict) else None
    if not isinstance(password, str):
        raise BadRequest("Invalid input for field/attribute adminPass.")
    act.server["_admin_pass"] = password
    act.tx.save(SERVER, act.server)
    return None


ACTIONS: dict[str, Callable[[Act], Answer]] = {
    "os-stop": _stop, "os-start": _start, "reboot": _reboot, "suspend": _suspend,
    "resume": _resume, "pause": _pause, "unpause": _unpause, "rebuild": _rebuild,
    "resize": _resize, "confirmResize": _confirm_resize, "revertResize": _revert_resize,
    "lock": _lock, "unlock": _unlock,
    "addSecurityGroup": lambda act: _security_group(act, True),
    "removeSecurityGroup": lambda act: _security_group(act, False),
    "os-getConsoleOutput": _console_output, "os-getVNCConsole": _vnc_console,
    "createImage": _create_image, "os-resetState": _reset_state,
    "forceDelete": _force_delete, "changePassword": _change_password,
}
#: Actions a locked server still takes.
_WHEN_LOCKED = {"lock", "unlock", "os-getConsoleOutput", "os-getVNCConsole", "os-resetState"}


def routes(router: APIRouter) -> None:
    @router.post("/servers/{server_id}/action")
    async def server_action(server_id: str, request: Request, context: Context,
                            version: Version, sandbox: SandboxDep) -> Response:
        body = await json_body(request)
        if not isinstance(body, dict) or not body:
            raise BadRequest("Malformed request body")
        name = next((key for key in body if key in ACTIONS), None)
        if name is None:
            raise BadRequest(f"There is no such action: {next(iter(body))}")
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            if name not in _WHEN_LOCKED:
                check_unlocked(server, context)
            act = Act(name, sandbox, tx, server, body[name], context, request, version)
            answer = ACTIONS[name](act)
        return answer if answer is not None else Response(status_code=202)
