"""Who may do what: Keystone's default rules, reduced to Calor's project-only roles.

Admin (the ``admin`` role on the token's project) may manage everything;
a user may read themselves, change their own password and manage their own
application credentials; anything else is 403 with the rule's name.
"""

from __future__ import annotations

from calor.identity.errors import Forbidden
from calor.identity.tokens import Token


def require_admin(caller: Token, action: str) -> None:
    if not caller.is_admin:
        raise Forbidden.action(action)


def require_admin_or_user(caller: Token, user_id: str, action: str) -> None:
    if not (caller.is_admin or caller.user.id == user_id):
        raise Forbidden.action(action)


def require_admin_or_project(caller: Token, project_id: str, action: str) -> None:
    scoped = caller.project is not None and caller.project.id == project_id
    if not (caller.is_admin or scoped):
        raise Forbidden.action(action)
