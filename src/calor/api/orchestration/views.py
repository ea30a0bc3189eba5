"""Heat's response bodies for stacks, resources and events, with links from the request's URL.

Heat's views join each ``action`` and ``status`` into one ``*_status``
(``CREATE_COMPLETE``), name resources twice (``resource_name`` and
``logical_resource_id``) and give every object ``links`` to itself and its
stack, absolute URLs on the host the client called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from calor.engine.states import joined
from calor.service.signals import event_body
from calor.store.records import EventRecord, ResourceRecord, StackRecord

#: The fields of an event in a listing (Heat's ``summary_keys``), in its order.
EVENT_SUMMARY_KEYS = ("id", "links", "event_time", "resource_name", "logical_resource_id",
                      "resource_status", "resource_status_reason", "physical_resource_id")


def time_text(value: Any) -> str | None:
    return None if value is None else str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))


def stack_path(base: str, stack: StackRecord) -> str:
    return f"{base}/{stack.project_id}/stacks/{quote(stack.name)}/{stack.id}"


def self_link(href: str) -> dict[str, str]:
    return {"href": href, "rel": "self"}


def template_description(template: Mapping[str, Any]) -> str:
    """A stored template's description, as Heat's stack list shows it."""
    for key in ("description", "Description"):
        value = template.get(key)
        if value is not None:
            return str(value)
    return "No description" if "heat_template_version" in template else ""


def stack_summary(
    base: str, stack: StackRecord, *, description: str, include_project: bool = False
) -> dict[str, Any]:
    """A stack in a listing (Heat's ``basic_keys``)."""
    body: dict[str, Any] = {"id": stack.id, "links": [self_link(stack_path(base, stack))]}
    if include_project:
        body["project"] = stack.project_id
    body.update({
        "stack_name": stack.name,
        "description": description,
        "stack_status": joined(stack.action, stack.status),
        "stack_status_reason": stack.status_reason,
        "creation_time": time_text(stack.created_at),
        "deletion_time": time_text(stack.deleted_at),
        "updated_time": time_text(stack.updated_at),
        "stack_owner": None,
        "parent": stack.owner_id,
        "stack_user_project_id": None,
        "tags": list(stack.tags) or None,
    })
    return body


def stack_detail(base: str, stack: StackRecord, shown: Mapping[str, Any]) -> dict[str, Any]:
    """The service's show body as Heat's API gives it: links and the fields it adds."""
    body: dict[str, Any] = {"id": stack.id, "links": [self_link(stack_path(base, stack))]}
    body.update({k: v for k, v in shown.items() if k != "id"})
    body.setdefault("capabilities", [])
    body.setdefault("notification_topics", [])
    body.setdefault("stack_user_project_id", None)
    return body


def resource_links(
    base: str, stack: StackRecord, name: str, nested: StackRecord | None = None
) -> list[dict[str, str]]:
    stack_href = stack_path(base, stack)
    links = [self_link(f"{stack_href}/resources/{quote(name)}"),
             {"href": stack_href, "rel": "stack"}]
    if nested is not None:
        links.append({"href": stack_path(base, nested), "rel": "nested"})
    return links


def resource_summary(
    base: str, stack: StackRecord, row: ResourceRecord, *, required_by: list[str],
    nested: StackRecord | None = None,
) -> dict[str, Any]:
    """A resource in a listing (Heat's ``format_stack_resource`` without detail)."""
    body: dict[str, Any] = {
        "resource_name": row.name,
        "logical_resource_id": row.name,
        "links": resource_links(base, stack, row.name, nested),
        "physical_resource_id": row.physical_resource_id or "",
        "resource_status": joined(row.action, row.status),
        "resource_status_reason": row.status_reason,
        "resource_type": row.type,
        "creation_time": time_text(row.created_at),
        "updated_time": time_text(row.updated_at or row.created_at),
        "required_by": required_by,
    }
    if stack.parent_resource_name:
        body["parent_resource"] = stack.parent_resource_name
    return body


def event_view(
    base: str, stack: StackRecord, event: EventRecord, *, detail: bool = True,
    root: StackRecord | None = None,
) -> dict[str, Any]:
    """An event: every field (show), or Heat's summary keys (listings); ``root`` adds
    the ``root_stack`` link of nested listings."""
    body = event_body(stack, event, base_url=base)
    links = [{**link, "href": _quoted_links(link["href"])} for link in body["links"]]
    if root is not None:
        links.append({"href": stack_path(base, root), "rel": "root_stack"})
    body["links"] = links
    if detail:
        return body
    return {key: body[key] for key in EVENT_SUMMARY_KEYS}


def _quoted_links(href: str) -> str:
    # Names in the path as a URL has them (a resource name may hold spaces).
    scheme, sep, rest = href.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}{sep}{host}{slash}{quote(path)}"
