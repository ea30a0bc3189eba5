"""A server's user data, as ``user_data_format`` says it is given to the server.

RAW sends ``user_data`` as it is. HEAT_CFNTOOLS and SOFTWARE_CONFIG send a
multi-part MIME message holding the user data (for SOFTWARE_CONFIG, each
part of a multi-part user data on its own) and, when the resource has
metadata, that metadata as JSON (``cfn-init-data``), which is how Heat hands
both to the tools on the server. Heat's own cloud-init helper scripts (the
heat-cfntools boot hook and part handler) are not included.
"""

from __future__ import annotations

import base64
import email
import json
from collections.abc import Mapping
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any


def _part(content: str, filename: str, subtype: str) -> MIMEText:
    try:
        content.encode("us-ascii")
        charset = "us-ascii"
    except UnicodeEncodeError:
        charset = "utf-8"
    part = MIMEText(content, subtype, charset)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def build_user_data(user_data: str, user_data_format: str,
                    metadata: Mapping[str, Any] | None = None) -> str:
    """The user data to send to Nova (before its base64 encoding)."""
    if user_data_format == "RAW":
        return user_data
    parts: list[MIMEText] = []
    if user_data_format == "SOFTWARE_CONFIG":
        message = email.message_from_string(user_data) if user_data else None
        if message is not None and message.is_multipart():
            for index, part in enumerate(message.get_payload()):
                payload = part.get_payload(decode=True)
                text = payload.decode() if isinstance(payload, bytes) else str(payload)
                parts.append(_part(text, part.get_filename() or f"part-{index}",
                                   part.get_content_subtype()))
        else:
            parts.append(_part(user_data, "userdata", "x-shellscript"
                               if user_data.startswith("#!") else "plain"))
    else:
        parts.append(_part(user_data, "cfn-userdata", "x-cfninitdata"))
    if metadata:
        parts.append(_part(json.dumps(dict(metadata)), "cfn-init-data", "x-cfninitdata"))
    return MIMEMultipart(_subparts=parts).as_string()


def encoded(user_data: str) -> str:
    """Base64, as the compute API takes user data."""
    return base64.b64encode(user_data.encode()).decode()
