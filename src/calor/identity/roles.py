"""The default roles and what they imply: admin ⇒ member ⇒ reader.

Keystone keeps implications as rows made by ``keystone-manage bootstrap``;
Calor fixes them for its three default roles (other roles imply nothing),
and a token carries every role its assignments imply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from calor.identity.context import ADMIN, MEMBER, READER
from calor.store.identity import RoleRecord

#: The roles bootstrap creates, strongest first.
DEFAULT_ROLES = (ADMIN, MEMBER, READER)

#: Each default role and the one it directly implies.
IMPLIES: Mapping[str, str] = {ADMIN: MEMBER, MEMBER: READER}


def implied_names(name: str) -> list[str]:
    """The role itself and every role it implies, in order: admin, member, reader."""
    names = [name]
    while names[-1] in IMPLIES:
        names.append(IMPLIES[names[-1]])
    return names


def effective_roles(
    assigned_ids: Iterable[str], every_role: Iterable[RoleRecord]
) -> tuple[RoleRecord, ...]:
    """The assigned roles plus those they imply, sorted by name."""
    roles = list(every_role)
    by_id = {role.id: role for role in roles}
    by_name = {role.name: role for role in roles}
    found: dict[str, RoleRecord] = {}
    for role_id in assigned_ids:
        role = by_id.get(role_id)
        if role is None:
            continue
        for name in implied_names(role.name):
            if name in by_name:
                found[by_name[name].id] = by_name[name]
    return tuple(sorted(found.values(), key=lambda role: role.name))
