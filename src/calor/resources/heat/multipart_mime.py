"""OS::Heat::MultipartMime: software configs assembled as one multi-part MIME message."""

from __future__ import annotations

from calor.resources.heat.software_config import SoftwareConfig
from calor.template.constraints import AllowedValues
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: What a part's content is.
PART_TYPES = ("text", "multipart")


class MultipartMime(SoftwareConfig):
    """Joins configs into one multi-part MIME message, typically for cloud-init.

    A part is inline content or another config's ID; a part that is itself
    a multi-part message is split into its parts.
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
