"""OS::Swift::Container: an object storage container."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlparse

from calor.resources.openstack.base import OpenStackResource, with_show
from calor.resources.openstack.errors import ResourceActionNotSupported
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


def _meta_headers(kind: str, values: Mapping[str, Any] | None) -> dict[str, str]:
    """``{"web": "yes"}`` as ``X-Container-Meta-web: yes`` (or ``X-Account-Meta-``)."""
    return {f"X-{kind.title()}-Meta-{key}": str(value)
            for key, value in (values or {}).items()}


class SwiftContainer(OpenStackResource):
    """A Swift container: a namespace for objects (the same name in two containers
    is two objects).

    Deleting a container that still holds objects fails unless
    ``PurgeOnDelete`` is true, which deletes the objects first. Any change
    replaces it.
    """

    type_name = "OS::Swift::Container"
    service = "object-store"
    path = "/{id}"

    properties_schema = {
        "name": PropertySchema(PropertyType.STRING,
                               "The container's name (unset: a unique name is made)."),
        "X-Container-Read": PropertySchema(PropertyType.STRING,
                                           "The ACL of who may read the container's objects."),
        "X-Container-Write": PropertySchema(
            PropertyType.STRING, "The ACL of who may write objects to the container."),
        "X-Container-Meta": PropertySchema(
            PropertyType.MAP, "Metadata for the container: each key becomes an "
            "X-Container-Meta-<key> header.", default={}),
        "X-Account-Meta": PropertySchema(
            PropertyType.MAP, "Metadata for the account: each key becomes an "
            "X-Account-Meta-<key> header.", default={}),
        "PurgeOnDelete": PropertySchema(
            PropertyType.BOOLEAN, "Delete the container's objects when it is deleted "
            "(otherwise deleting a container that holds objects fails).", default=False,
            support_status=SupportStatus(version="2015.1")),
    }
    attributes_schema = with_show({
        "DomainName": AttributeSchema("The host of the container's URL.",
                                      type=AttributeType.STRING),
        "WebsiteURL": AttributeSchema("The container's URL.", type=AttributeType.STRING),
        "RootURL": AttributeSchema("The URL the container lives under (its account's).",
                                   type=AttributeType.STRING),
        "ObjectCount": AttributeSchema("How many objects the container holds.",
                                       type=AttributeType.INTEGER),
        "BytesUsed": AttributeSchema("How many bytes the container's objects take.",
                                     type=AttributeType.INTEGER),
        "HeadContainer": AttributeSchema("Every header of the container.",
                                         type=AttributeType.MAP),
    })

    def container_name(self) -> str:
        return self.properties.get("name") or self.ctx.physical_resource_name

    def resource_path(self, physical_id: str | None = None) -> str:
        return "/" + quote(physical_id or self.ctx.physical_resource_id or "", safe="")

    async def create(self) -> None:
        name = self.container_name()
        headers = _meta_headers("container", self.properties.get("X-Container-Meta"))
        for key in ("X-Container-Read", "X-Container-Write"):
            if self.properties.get(key) is not None:
                headers[key] = str(self.properties[key])
        await self.call("PUT", self.resource_path(name), headers=headers)
        account = _meta_headers("account", self.properties.get("X-Account-Meta"))
        if account:
            await self.call("POST", "", headers=account)
        await self.ctx.set_physical_resource_id(name)

    async def _objects(self) -> list[dict[str, Any]] | None:
        answer = await self.api("GET", self.resource_path(), params={"format": "json"},
                                missing_ok=True)
        if answer is None:
            return None
        return list(answer.body or [])

    async def delete(self) -> None:
        if self.ctx.physical_resource_id is None:
            return
        objects = await self._objects()
        if objects is None:
            return  # gone already
        if objects and not self.properties.get("PurgeOnDelete"):
            raise ResourceActionNotSupported(
                f"Deleting non-empty container ({self.ctx.physical_resource_id}) when "
                "PurgeOnDelete is False")
        while objects:
            for item in objects:
                await self.api("DELETE", f"{self.resource_path()}/"
                               f"{quote(str(item['name']), safe='/')}", missing_ok=True)
            objects = await self._objects()
        await self.api("DELETE", self.resource_path(), missing_ok=True)

    async def fetch(self) -> dict[str, Any] | None:
        """The container's headers (what Heat's ``show`` gives for a container)."""
        if self.ctx.physical_resource_id is None:
            return None
        answer = await self.api("HEAD", self.resource_path(), missing_ok=True)
        self._body = None if answer is None else dict(answer.headers)
        return self._body

    async def reference_id(self) -> str:
        return str(self.ctx.physical_resource_id or self.ctx.resource_name)

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        account = await self.cloud.endpoint(self.service)
        parsed = urlparse(account.rstrip("/"))
        if name == "DomainName":
            return parsed.hostname
        if name == "RootURL":
            return f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
        if name == "WebsiteURL":
            return f"{parsed.scheme}://{parsed.netloc}{parsed.path}/" \
                   f"{self.ctx.physical_resource_id}"
        if name == "ObjectCount":
            return _integer(body.get("x-container-object-count"))
        if name == "BytesUsed":
            return _integer(body.get("x-container-bytes-used"))
        if name == "HeadContainer":
            return dict(body)
        return None


def _integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
