"""OS::Heat::MultipartMime: software configs assembled as one multi-part MIME message."""

from __future__ import annotations

import email
import os
import sys
import uuid
from collections.abc import Mapping, Sequence
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any

from calor.resources.heat.software_config import SoftwareConfig, SoftwareConfigLookup
from calor.resources.lifecycle import ResourceFailure
from calor.template.constraints import AllowedValues
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: What a part's content is.
PART_TYPES = ("text", "multipart")

# The digits of a boundary token, as the email package draws them.
_BOUNDARY_WIDTH = len(repr(sys.maxsize - 1))


def is_uuid_like(value: str) -> bool:
    """oslo's test: a UUID in any of its spellings (braces, ``urn:uuid:``, no dashes)."""
    try:
        canonical = str(uuid.UUID(value)).replace("-", "")
    except (TypeError, ValueError, AttributeError):
        return False
    plain = value.replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    return canonical == plain.lower()


def make_boundary(rng: Any) -> str:
    """A boundary shaped as the email package makes one, drawn from ``rng``."""
    return "=" * 15 + f"{rng.randrange(sys.maxsize):0{_BOUNDARY_WIDTH}d}" + "=="


def _text_part(content: str, subtype: str | None, filename: str | None) -> MIMEText:
    # As Heat: with no subtype, a filename's root becomes the subtype.
    if not subtype and filename:
        subtype = os.path.splitext(filename)[0]
    try:
        content.encode("us-ascii")
        charset = "us-ascii"
    except UnicodeEncodeError:
        charset = "utf-8"
    part = MIMEText(content, subtype, charset) if subtype else MIMEText(content, _charset=charset)
    if filename:
        part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _split_multipart(content: str) -> list[MIMEText]:
    # A part that is not a multi-part message contributes nothing (as Heat).
    message = email.message_from_string(content)
    if not message.is_multipart():
        return []
    parts: list[MIMEText] = []
    inner: list[Message] = message.get_payload()  # type: ignore[assignment]
    for sub in inner:
        payload = sub.get_payload()
        if not isinstance(payload, str):
            raise ResourceFailure("A multipart part may not itself hold a multipart message")
        parts.append(_text_part(payload, sub.get_content_subtype(), sub.get_filename()))
    return parts


def assemble_message(parts: Sequence[Mapping[str, Any]], boundary: str) -> str:
    """The multi-part message of ``parts`` (each ``config`` already its content)."""
    subparts: list[MIMEText] = []
    for item in parts:
        content = item["config"]
        if not isinstance(content, str):
            raise ResourceFailure(f"The config of a part must be text, not {content!r}")
        if (item.get("type") or "text") == "multipart":
            subparts.extend(_split_multipart(content))
        else:
            subparts.append(_text_part(content, item.get("subtype"), item.get("filename")))
    return MIMEMultipart(boundary=boundary, _subparts=subparts).as_string()


class MultipartMime(SoftwareConfig):
    """Joins configs into one multi-part MIME message, typically for cloud-init.

    A part is inline content or another config's ID; a part that is itself
    a multi-part message is split into its parts. An ID is looked up only
    when the context offers :class:`SoftwareConfigLookup`; otherwise (and
    when no config has that ID, as in Heat) the ID itself is the content.
    """

    type_name = "OS::Heat::MultipartMime"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "group": PropertySchema(
            PropertyType.STRING,
            "The group the message is delivered under, which tells servers which tool applies it.",
            support_status=SupportStatus(version="14.0.0"),
            default="Heat::Ungrouped",
        ),
        "parts": PropertySchema(
            PropertyType.LIST,
            "The parts of the message.",
            default=[],
            schema=PropertySchema(
                PropertyType.MAP,
                schema={
                    "config": PropertySchema(
                        PropertyType.STRING,
                        "The part's content, inline or as the ID of another config.",
                        required=True,
                    ),
                    "filename": PropertySchema(
                        PropertyType.STRING, "A file name to give the part."
                    ),
                    "type": PropertySchema(
                        PropertyType.STRING,
                        "Whether the content is text or a multi-part message.",
                        default="text",
                        constraints=[AllowedValues(PART_TYPES)],
                    ),
                    "subtype": PropertySchema(
                        PropertyType.STRING, "The MIME subtype to give the part."
                    ),
                },
            ),
        ),
    }

    async def _content(self, config: str) -> Any:
        if is_uuid_like(config) and isinstance(self.ctx, SoftwareConfigLookup):
            found = await self.ctx.show_software_config(config)
            if found is not None:
                return found["config"]
        return config

    async def message(self) -> str:
        """The assembled message, with referenced configs looked up."""
        parts: Sequence[Mapping[str, Any]] = self.properties.get("parts") or []
        resolved = [{**item, "config": await self._content(item["config"])} for item in parts]
        rng = self.ctx.random()
        boundary = make_boundary(rng)
        # The email package redraws a boundary found in the text; so does this.
        while any(boundary in str(item["config"]) for item in resolved):
            boundary = make_boundary(rng)
        return assemble_message(resolved, boundary)

    async def build_record(self) -> dict[str, Any]:
        return {
            "group": self.config_group(),
            "config": await self.message(),
            "inputs": [],
            "outputs": [],
            "options": {},
        }
