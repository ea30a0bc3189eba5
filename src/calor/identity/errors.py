"""The errors identity raises on purpose, each with the HTTP status and title Keystone gives it.

Hierarchy::

    IdentityError
    ├── ValidationError    400 Bad Request: a request Keystone's schema would refuse
    ├── Unauthorized       401: bad credentials, or a token that is unknown, expired or revoked
    ├── Forbidden          403: authenticated, but policy says no
    ├── NotFound           404: no such project, user, role, token, ...
    ├── MethodNotAllowed   405
    └── Conflict           409: a name already taken
"""

from __future__ import annotations

from typing import ClassVar


class IdentityError(Exception):
    """Base class: ``code``, ``title`` and ``message`` make Keystone's error body."""

    code: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ValidationError(IdentityError):
    code = 400
    title = "Bad Request"


class Unauthorized(IdentityError):
    code = 401
    title = "Unauthorized"

    #: What Keystone says for every failed authentication, so nothing leaks.
    MESSAGE = "The request you have made requires authentication."

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class Forbidden(IdentityError):
    code = 403
    title = "Forbidden"

    @classmethod
    def action(cls, action: str) -> Forbidden:
        """Keystone's refusal of a policy rule, e.g. ``identity:create_project``."""
        return cls(f"You are not authorized to perform the requested action: {action}.")


class NotFound(IdentityError):
    code = 404
    title = "Not Found"

    @classmethod
    def of(cls, target: str, target_id: str) -> NotFound:
        return cls(f"Could not find {target}: {target_id}.")


class MethodNotAllowed(IdentityError):
    code = 405
    title = "Method Not Allowed"


class Conflict(IdentityError):
    code = 409
    title = "Conflict"

    @classmethod
    def storing(cls, kind: str, details: str) -> Conflict:
        return cls(f"Conflict occurred attempting to store {kind} - {details}")
