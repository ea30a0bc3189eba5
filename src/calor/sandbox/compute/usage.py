"""Nova's quota defaults, what a project uses, and the over-quota refusal (403)."""

from __future__ import annotations

from calor.sandbox.compute.common import QUOTA_SERVICE, SERVER, SERVER_GROUP
from calor.sandbox.errors import Forbidden
from calor.sandbox.runtime import Sandbox
from calor.sandbox.store import Transaction

#: Nova's default quotas.
DEFAULTS = {"instances": 10, "cores": 20, "ram": 51200, "metadata_items": 128,
            "key_pairs": 100, "server_groups": 10, "server_group_members": 10,
            "injected_files": 5, "injected_file_content_bytes": 10240,
            "injected_file_path_bytes": 255}


def usage(tx: Transaction, project_id: str) -> dict[str, int]:
    servers = tx.list(SERVER, project_id=project_id)
    return {
        "instances": len(servers),
        "cores": sum(int(s["flavor"]["vcpus"]) for s in servers),
        "ram": sum(int(s["flavor"]["ram"]) for s in servers),
        "server_groups": tx.count(SERVER_GROUP, project_id=project_id),
    }


def ensure_room(sandbox: Sandbox, tx: Transaction, project_id: str,
                wanted: dict[str, int]) -> None:
    """Refuse with Nova's 403 when ``wanted`` (resource: amount) does not fit."""
    used = usage(tx, project_id)
    for resource, amount in wanted.items():
        exceeded = sandbox.quotas.check(tx, QUOTA_SERVICE, project_id, resource,
                                        in_use=used.get(resource, 0), requested=amount)
        if exceeded is not None:
            raise Forbidden(f"Quota exceeded for {resource}: Requested {amount}, but already "
                            f"used {exceeded.in_use} of {exceeded.limit} {resource}")
