"""Quotas: per project and service, a limit for each resource; -1 means unlimited.

Defaults come from each service (Nova's, Neutron's, ...) overlaid with the
config's ``[sandbox.quotas.<service>]``; a project's own limits (set through
the service's quota API) are stored as a ``quota`` record. Counting what is
in use is the service's business: it knows which records count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from calor.sandbox.store import Transaction

UNLIMITED = -1
_KIND = "quota"


@dataclass(frozen=True)
class Exceeded:
    """A refused request: which resource, and the numbers the error message quotes."""

    resource: str
    limit: int
    in_use: int
    requested: int


class Quotas:
    """The quota book of one sandbox cloud."""

    def __init__(self, defaults: Mapping[str, Mapping[str, int]]) -> None:
        self._defaults = {service: dict(limits) for service, limits in defaults.items()}

    def defaults(self, service: str) -> dict[str, int]:
        return dict(self._defaults.get(service, {}))

    def limits(self, tx: Transaction, service: str, project_id: str) -> dict[str, int]:
        limits = self.defaults(service)
        stored = tx.get(_KIND, f"{service}:{project_id}")
        if stored is not None:
            limits.update(stored["limits"])
        return limits

    def limit(self, tx: Transaction, service: str, project_id: str, resource: str) -> int:
        return self.limits(tx, service, project_id).get(resource, UNLIMITED)

    def update(self, tx: Transaction, service: str, project_id: str,
               changes: Mapping[str, int]) -> dict[str, int]:
        key = f"{service}:{project_id}"
        stored = tx.get(_KIND, key)
        if stored is None:
            stored = tx.insert(_KIND, {"id": key, "limits": {}}, project_id=project_id)
        stored["limits"].update(changes)
        tx.save(_KIND, stored)
        return self.limits(tx, service, project_id)

    def reset(self, tx: Transaction, service: str, project_id: str) -> None:
        tx.delete(_KIND, f"{service}:{project_id}")

    def projects_with_limits(self, tx: Transaction, service: str) -> list[str]:
        prefix = f"{service}:"
        return [record["id"][len(prefix):] for record in tx.list(_KIND)
                if record["id"].startswith(prefix)]

    def check(self, tx: Transaction, service: str, project_id: str, resource: str,
              *, in_use: int, requested: int = 1) -> Exceeded | None:
        """``None`` when ``requested`` more fit; else what was exceeded."""
        limit = self.limit(tx, service, project_id, resource)
        if limit == UNLIMITED or in_use + requested <= limit:
            return None
        return Exceeded(resource, limit, in_use, requested)
