"""The base of every resource type that lives in an OpenStack cloud.

What it gives a plugin:

- :meth:`OpenStackResource.api`: a REST call on the stack's cloud (through
  openstacksdk, on the cloud's thread pool), whose errors become
  ResourceFailures carrying the cloud's own message;
- :meth:`OpenStackResource.wait_until`: a poll that waits with ``ctx.sleep``
  (so a waiting resource gives its action slot back) at an interval that
  grows with the time already waited;
- an idempotent :meth:`~OpenStackResource.delete` that treats a 404 as done
  and waits until the resource is gone;
- attributes (``show`` included) read from one GET of the resource, kept for
  the rest of the action.

A subclass names its service and where the resource lives (``path``,
``body_key``), makes the resource with :meth:`~OpenStackResource.create_call`
(which stores the physical id the moment the cloud returns it, cancelled or
not), and overrides what its type does differently.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, TypeVar

from calor import clouds
from calor.clouds import ApiResponse, Cloud
from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceContext, ResourceFailure
from calor.resources.openstack.errors import failure_from
from calor.template.schema import SHOW_ATTRIBUTE, AttributeSchema, PropertySchema

T = TypeVar("T")

#: The first wait between two polls, the share of the time already waited
#: that each later wait is (so a poll overshoots by at most that share), and
#: the longest wait.
POLL_FIRST = 0.05
POLL_SHARE = 0.3
POLL_LONGEST = 5.0


class NoCloud(ResourceFailure):
    """The engine runs without a cloud, so a cloud resource cannot act."""

    def __init__(self) -> None:
        super().__init__("No cloud is configured for this engine.")


def with_show(attributes: Mapping[str, AttributeSchema]) -> dict[str, AttributeSchema]:
    """A type's attributes plus ``show`` (everything the cloud reports about it)."""
    return {**attributes, "show": SHOW_ATTRIBUTE}


class OpenStackResource(Resource):
    """A resource in the stack's cloud, driven over its REST API.

    ``path`` is where one resource of the type lives, with ``{id}`` for its
    physical id (``/networks/{id}``); ``body_key`` is the key its JSON body
    comes under (``network``), None when the body is bare.
    """

    #: The catalog service type (``network``, ``compute``, ``volume``, ``image``, ...).
    service: ClassVar[str]
    #: Where one resource lives, ``{id}`` standing for its physical id.
    path: ClassVar[str]
    #: The key its body comes under in the service's answers.
    body_key: ClassVar[str | None] = None
    #: The newest microversion this type's requests are written for.
    max_microversion: ClassVar[str | None] = None

    supports_check = True

    #: Deprecated property -> the property that replaced it (Heat's translation
    #: rules): a template may still give the old name, which then stands in for
    #: the new one, required or not.
    replaced_properties: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("replaced_properties"):
            cls.refines_properties = True

    @classmethod
    def refine_properties(cls, values: Mapping[str, Any]) -> Mapping[str, PropertySchema]:
        """A required property is not, when its deprecated name gives the value instead."""
        schema = dict(cls.properties_schema)
        for old, new in cls.replaced_properties.items():
            # A key present with None is a value not known yet (get_resource, ...).
            if old in values and values.get(new) is None and new in schema:
                schema[new] = dataclasses.replace(schema[new], required=False)
        return schema

    def prop(self, name: str) -> Any:
        """Property ``name``, or the deprecated property it replaced when only that is set."""
        value = self.properties.get(name)
        if value is None:
            for old, new in self.replaced_properties.items():
                if new == name and self.properties.get(old) is not None:
                    return self.properties[old]
        return value

    def __init__(self, ctx: ResourceContext, properties: Mapping[str, Any]) -> None:
        super().__init__(ctx, properties)
        #: The resource's body as last fetched during this action (None: not yet).
        self._body: dict[str, Any] | None = None

    # -- the cloud -----------------------------------------------------------

    @property
    def cloud(self) -> Cloud:
        cloud = self.ctx.cloud
        if cloud is None:
            raise NoCloud()
        return cloud

    async def api(
        self, method: str, path: str, *, service: str | None = None, json: Any = None,
        params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
        data: bytes | None = None, max_microversion: str | None = None,
        missing_ok: bool = False,
    ) -> ApiResponse | None:
        """One REST call on the cloud; None for a 404 when ``missing_ok``.

        The cloud's errors become ResourceFailures named as Heat names them
        (``BadRequest``, ``Conflict``, ...), with the cloud's own message.
        """
        try:
            return await self.cloud.request(
                service or self.service, method, path, json=json, params=params,
                headers=headers, data=data,
                max_microversion=max_microversion or self.max_microversion,
            )
        except clouds.NotFound as exc:
            if missing_ok:
                return None
            raise failure_from(exc) from None
        except clouds.CloudError as exc:
            raise failure_from(exc) from None

    async def call(self, method: str, path: str, **kwargs: Any) -> ApiResponse:
        """:meth:`api` for a call whose 404 is a failure too."""
        found = await self.api(method, path, **kwargs)
        assert found is not None  # only missing_ok answers None
        return found

    async def lookup(self, finder: Callable[..., Awaitable[T]], *args: Any,
                     **kwargs: Any) -> T:
        """``finder(cloud, *args, **kwargs)`` (see :mod:`~calor.resources.openstack.finders`);
        its cloud errors fail the action like :meth:`api`'s."""
        try:
            return await finder(self.cloud, *args, **kwargs)
        except clouds.CloudError as exc:
            raise failure_from(exc) from None

    async def create_call(self, method: str, path: str, *,
                          id_of: Callable[[ApiResponse], str], **kwargs: Any) -> ApiResponse:
        """The request that makes the resource; its id is stored the moment it answers.

        Even when the action is cancelled (stack cancel, timeout) while the
        request is in flight, the answer is awaited and its id stored before
        the cancellation goes on: the cloud made the resource, and Calor must
        know about it to delete it.
        """
        request = asyncio.ensure_future(self.call(method, path, **kwargs))
        try:
            answer = await asyncio.shield(request)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                made = await request
                await self.ctx.set_physical_resource_id(id_of(made))
            raise
        await self.ctx.set_physical_resource_id(id_of(answer))
        return answer

    def resource_path(self, physical_id: str | None = None) -> str:
        """The path of this resource (or of ``physical_id``)."""
        found = physical_id or self.ctx.physical_resource_id
        if found is None:
            raise ResourceFailure(f"{self.ctx.resource_name} has no physical resource id yet")
        return self.path.format(id=found)

    async def fetch(self) -> dict[str, Any] | None:
        """GET the resource now (None when it is gone); kept as its current body."""
        if self.ctx.physical_resource_id is None:
            return None
        answer = await self.api("GET", self.resource_path(), missing_ok=True)
        self._body = None if answer is None else self.body_of(answer)
        return self._body

    async def body(self) -> dict[str, Any] | None:
        """The resource's body: the one already fetched in this action, else a GET."""
        if self._body is None:
            return await self.fetch()
        return self._body

    def body_of(self, answer: ApiResponse) -> dict[str, Any]:
        """The resource's own body in an answer about it."""
        if self.body_key is None:
            return dict(answer.body) if isinstance(answer.body, Mapping) else {}
        return answer.member(self.body_key)

    def remember(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Keep ``body`` (from a create or update answer) as the current body."""
        self._body = dict(body)
        return self._body

    def forget(self) -> None:
        """Drop the kept body: the next attribute read fetches it again."""
        self._body = None

    # -- waiting -------------------------------------------------------------

    async def wait_until(self, done: Callable[[], Awaitable[bool]]) -> None:
        """Call ``done`` now and then until it is true (it raises to fail the wait).

        The waits grow with the time already waited (at most ``POLL_SHARE`` of
        it, at most ``POLL_LONGEST``) and go through ``ctx.sleep``: the engine
        may cancel them, and the action slot is free meanwhile.
        """
        started = time.monotonic()
        while not await done():
            waited = time.monotonic() - started
            await self.ctx.sleep(min(max(POLL_FIRST, waited * POLL_SHARE), POLL_LONGEST))

    async def wait_gone(self, path: str | None = None) -> None:
        """Wait until GET of the resource (or ``path``) answers 404."""
        where = path or self.resource_path()

        async def gone() -> bool:
            return await self.api("GET", where, missing_ok=True) is None

        await self.wait_until(gone)

    # -- lifecycle -----------------------------------------------------------

    async def delete(self) -> None:
        """DELETE the resource (already gone counts as deleted), then wait until it is."""
        if self.ctx.physical_resource_id is None:
            return
        if await self.api("DELETE", self.resource_path(), missing_ok=True) is None:
            return
        await self.wait_gone()

    async def check(self) -> None:
        if await self.fetch() is None:
            raise ResourceFailure(f"The resource {self.ctx.resource_name} "
                                  f"({self.ctx.physical_resource_id}) could not be found.")

    async def reference_id(self) -> str:
        return self.ctx.physical_resource_id or self.ctx.resource_name

    async def resolve_attribute(self, name: str) -> Any:
        """``show`` is the whole body; other names come from :meth:`attribute`.

        An attribute the cloud cannot answer for is None (as in Heat, where a
        failed lookup is logged and the attribute is empty): reading
        attributes never fails the action.
        """
        if self.ctx.physical_resource_id is None:
            return None
        try:
            body = await self.body()
            if body is None:
                return None
            if name == "show":
                return body
            return await self.attribute(name, body)
        except (ResourceFailure, clouds.CloudError):
            return None

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        """Attribute ``name`` of a resource whose body is ``body`` (its field by default)."""
        return body.get(name)


def present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The entries whose value is not None (what Heat sends to a create call)."""
    return {k: v for k, v in values.items() if v is not None}
