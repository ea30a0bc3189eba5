"""What can go wrong talking to a cloud, as a tree::

    CloudError                 any failure; ``str(exc)`` is the cloud's own message
    ├── CloudConfigError       no such cloud in clouds.yaml, a bad setting
    ├── CloudUnreachable       the connection failed (refused, timed out, no endpoint)
    └── HttpError              the cloud answered with an error status
        ├── BadRequest             400
        ├── Unauthorized           401 (also a refused authentication)
        ├── Forbidden              403
        ├── NotFound               404
        ├── Conflict               409
        ├── OverLimit              413 and 429 (quota and rate limits)
        └── InternalServerError    5xx

The class names are the ones Heat's clients raise, so a failed resource
reads as it does in Heat: ``BadRequest: resources.net: <the cloud's message>``.
"""

from __future__ import annotations


class CloudError(Exception):
    """A cloud operation failed; the message is what the cloud (or the connection) said."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class CloudConfigError(CloudError):
    """The cloud cannot be chosen or configured (an unknown name, a bad setting)."""


class CloudUnreachable(CloudError):
    """No answer: the endpoint is down, refused the connection, or is not in the catalog."""


class HttpError(CloudError):
    """The cloud answered with an error status."""

    def __init__(self, message: str, *, status_code: int, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request_id = request_id


class BadRequest(HttpError):
    """400: the cloud refused the request as invalid."""


class Unauthorized(HttpError):
    """401: the credentials were refused."""


class Forbidden(HttpError):
    """403: the caller may not do this."""


class NotFound(HttpError):
    """404: no such thing (for a delete, the thing is already gone)."""


class Conflict(HttpError):
    """409: the thing is in a state that does not allow this (in use, a duplicate)."""


class OverLimit(HttpError):
    """413 or 429: a quota or rate limit was reached."""


class InternalServerError(HttpError):
    """5xx: the cloud failed."""


_BY_STATUS: dict[int, type[HttpError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: OverLimit,
    429: OverLimit,
}


def error_for_status(status_code: int, message: str, *,
                     request_id: str | None = None) -> HttpError:
    """The :class:`HttpError` subclass for ``status_code``."""
    if status_code >= 500:
        cls: type[HttpError] = InternalServerError
    else:
        cls = _BY_STATUS.get(status_code, HttpError)
    return cls(message, status_code=status_code, request_id=request_id)


__all__ = [
    "BadRequest",
    "CloudConfigError",
    "CloudError",
    "CloudUnreachable",
    "Conflict",
    "Forbidden",
    "HttpError",
    "InternalServerError",
    "NotFound",
    "OverLimit",
    "Unauthorized",
    "error_for_status",
]
