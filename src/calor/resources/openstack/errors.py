"""How OpenStack resource types fail, as a tree (each a ResourceFailure)::

    ResourceFailure
    ├── CloudFailure               the cloud refused or failed a request
    │   ├── BadRequest, Unauthorized, Forbidden, NotFound, Conflict,
    │   │   OverLimit, InternalServerError, HttpError
    │   └── CloudUnreachable, CloudError
    ├── EntityNotFound             a name or id the template gave matches nothing
    ├── ResourceInError            the resource went to an error state
    ├── ResourceUnknownStatus      the resource reached a state Calor did not expect
    ├── ResourcePropertyConflict   properties that cannot be used together
    └── PropertyUnspecifiedError   none of a set of alternatives was given

The worker turns a failure into Heat's status reason
``<ClassName>: resources.<name>: <message>``, so the names are Heat's, and a
cloud's failure carries the cloud's own message.
"""

from __future__ import annotations

from calor import clouds
from calor.resources.lifecycle import ResourceFailure


class CloudFailure(ResourceFailure):
    """A request the cloud refused or failed; the message is the cloud's."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class HttpError(CloudFailure):
    """An error status without a more specific class."""


class BadRequest(CloudFailure):
    """400."""


class Unauthorized(CloudFailure):
    """401."""


class Forbidden(CloudFailure):
    """403."""


class NotFound(CloudFailure):
    """404."""


class Conflict(CloudFailure):
    """409."""


class OverLimit(CloudFailure):
    """413/429: a quota or rate limit."""


class InternalServerError(CloudFailure):
    """5xx."""


class CloudUnreachable(CloudFailure):
    """The cloud could not be reached."""


class CloudConfigError(CloudFailure):
    """The cloud is not configured right (no such clouds.yaml entry)."""


class CloudError(CloudFailure):
    """Any other failure of the client library."""


_FAILURES: dict[str, type[CloudFailure]] = {
    cls.__name__: cls
    for cls in (HttpError, BadRequest, Unauthorized, Forbidden, NotFound, Conflict, OverLimit,
                InternalServerError, CloudUnreachable, CloudConfigError)
}


def failure_from(error: clouds.CloudError) -> CloudFailure:
    """The ResourceFailure that reports ``error`` (same class name, same message)."""
    cls = _FAILURES.get(type(error).__name__, CloudError)
    return cls(error.message, status_code=getattr(error, "status_code", None))


class EntityNotFound(ResourceFailure):
    """A name or id that matches nothing in the cloud (also a constraint's reason)."""


class ResourceInError(ResourceFailure):
    """Heat's ResourceInError: ``Went to status ERROR due to "<reason>"``."""

    def __init__(self, status: str, reason: str = "Unknown") -> None:
        super().__init__(f'Went to status {status} due to "{reason}"')
        self.status = status


class ResourceUnknownStatus(ResourceFailure):
    """Heat's ResourceUnknownStatus: ``<result> - Unknown status <s> due to "<reason>"``."""

    def __init__(self, status: str, result: str = "Resource failed",
                 reason: str = "Unknown") -> None:
        super().__init__(f'{result} - Unknown status {status} due to "{reason}"')
        self.status = status


class ResourcePropertyConflict(ResourceFailure):
    """Properties given together that exclude each other."""

    def __init__(self, *names: str) -> None:
        super().__init__("Cannot define the following properties at the same time: "
                         f"{', '.join(names)}.")


class PropertyUnspecifiedError(ResourceFailure):
    """None of a set of alternative properties was given."""

    def __init__(self, *names: str) -> None:
        super().__init__("At least one of the following properties must be specified: "
                         f"{', '.join(names)}.")


class ResourceActionNotSupported(ResourceFailure):
    """Heat's ``<action> is not supported for resource.``"""

    def __init__(self, action: str) -> None:
        super().__init__(f"{action} is not supported for resource.")


class Error(ResourceFailure):
    """Heat's plain Error, for failures with only a message."""
