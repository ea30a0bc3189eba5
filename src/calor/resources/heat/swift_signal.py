"""OS::Heat::SwiftSignal and OS::Heat::SwiftSignalHandle: wait conditions over Swift."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


def _handle_detail(description: str) -> AttributeSchema:
    return AttributeSchema(description, type=AttributeType.STRING, cache_mode=CacheMode.NONE)


class SwiftSignalHandle(Resource):
    """A Swift TempURL that servers PUT their signals to.

    Its reference is the URL; an OS::Heat::SwiftSignal counts what arrives.
    """

    type_name = "OS::Heat::SwiftSignalHandle"
    support_status = SupportStatus(version="2014.2")
    attributes_schema = {
        "token": _handle_detail(
            "Always empty: a TempURL needs no token (kept to match OS::Heat::WaitConditionHandle)."
        ),
        "endpoint": _handle_detail("The URL to signal."),
        "curl_cli": _handle_detail(
            "A curl command line that signals the handle; add "
            '--data-binary \'{"status": "SUCCESS"}\' (or "FAILURE").'
        ),
    }


class SwiftSignal(Resource):
    """Waits until enough success signals have arrived at an OS::Heat::SwiftSignalHandle.

    It fails when a failure signal arrives or the timeout passes first,
    as OS::Heat::WaitCondition does.
    """

    type_name = "OS::Heat::SwiftSignal"
    support_status = SupportStatus(version="2014.2")
    properties_schema = {
        "handle": PropertySchema(
            PropertyType.STRING,
            "The TempURL (a SwiftSignalHandle's reference) signals are written to.",
            required=True,
        ),
        "timeout": PropertySchema(
            PropertyType.NUMBER,
            "Seconds to wait for the signals before failing.",
            required=True,
            constraints=[Range(1, 43200)],
        ),
        "count": PropertySchema(
            PropertyType.INTEGER,
            "How many success signals complete the wait.",
            default=1,
            constraints=[Range(1, 1000)],
        ),
    }
    attributes_schema = {
        "data": AttributeSchema(
            "JSON map of signal id to the data sent with it.", type=AttributeType.STRING
        ),
    }
