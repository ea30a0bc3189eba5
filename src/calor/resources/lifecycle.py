"""The contract between the engine and a resource plugin's lifecycle.

A plugin's lifecycle methods are coroutines that do the backend work and
return; the engine owns everything else (retries, timeouts, events,
persistence, locks). What a plugin may ask of the engine while it works is
the :class:`ResourceContext`: who it is, a place to keep small pieces of
data that survive a crash, the physical id it must report the moment it
has one, and a clock to wait on.

Errors a plugin raises, as a tree::

    ResourceFailure            the action failed; the message is the status reason
    ├── UpdateReplace          an update cannot be done in place: replace the resource
    └── NotSupported           the action (or this change) is not possible for the type
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from calor.clouds import Cloud


class ResourceFailure(Exception):
    """The action failed; ``str(exc)`` becomes the resource's status reason."""


class UpdateReplace(ResourceFailure):
    """Raised by ``update`` when the change needs a new resource instead."""

    def __init__(self, resource_name: str = "") -> None:
        super().__init__(f"The Resource {resource_name} requires replacement.")
        self.resource_name = resource_name


class NotSupported(ResourceFailure):
    """The action is not possible for this type (Heat's wording: "... not supported")."""


class ResourceContext(Protocol):
    """What the engine gives a plugin while one of its actions runs."""

    @property
    def stack_name(self) -> str: ...

    @property
    def stack_id(self) -> str: ...

    @property
    def resource_name(self) -> str:
        """The logical name in the template."""

    @property
    def physical_resource_name(self) -> str:
        """``<stack>-<resource>-<short id>``, the name a backend object should get."""

    @property
    def physical_resource_id(self) -> str | None:
        """The id already recorded for this resource (None before create)."""

    async def set_physical_resource_id(self, physical_id: str) -> None:
        """Record the backend's id now: it is committed before this returns."""

    async def get_data(self) -> Mapping[str, str]:
        """The resource's own small key/value data (Heat's resource data)."""

    async def set_data(self, key: str, value: str, *, redact: bool = False) -> None:
        """Keep ``value`` under ``key``; committed before this returns.

        ``redact`` marks a secret (a generated password): it is stored
        encrypted where the store can, and never shown in listings.
        """

    async def sleep(self, seconds: float) -> None:
        """Wait; the engine may cancel the wait (stack cancel or timeout)."""

    def random(self) -> Any:
        """A ``random.Random``-like source (``secrets.SystemRandom`` by default)."""

    @property
    def project_id(self) -> str:
        """The project (tenant) the stack belongs to, as URLs and ARNs name it."""

    async def get_metadata(self) -> Mapping[str, Any]:
        """The resource's metadata (Heat's rsrc_metadata: ``stack resource metadata``)."""

    async def merge_metadata(
        self, merge: Callable[[Mapping[str, Any]], Mapping[str, Any]]
    ) -> Mapping[str, Any]:
        """Store ``merge(current metadata)`` and return it, atomically.

        Concurrent writers (two signals at once) do not lose each other's
        change: ``merge`` is called again on the newer metadata until one
        write wins, so it must not have side effects.
        """

    @property
    def cloud(self) -> Cloud | None:
        """The cloud the stack's resources are built in (None where the engine has none)."""

    async def find_resource(self, reference: str) -> ResourceView | None:
        """Another resource of this stack, by physical id, else by logical name.

        What a plugin uses to look at the resource a property refers to (a
        wait condition at its handle); None when the stack has no such resource.
        """


@dataclass(frozen=True)
class ResourceView:
    """Another resource of the same stack, as :meth:`ResourceContext.find_resource` finds it."""

    name: str
    #: The type it was created as (a registered type name).
    type: str
    #: Its property values as last stored.
    properties: Mapping[str, Any]
    #: Its own context: its data and metadata are read and merged through it.
    ctx: ResourceContext


__all__ = [
    "NotSupported",
    "ResourceContext",
    "ResourceFailure",
    "ResourceView",
    "UpdateReplace",
]
