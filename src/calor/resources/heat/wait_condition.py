"""OS::Heat::WaitCondition: waits for signals sent to a handle."""

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


class HeatWaitCondition(Resource):
    """Stays in CREATE_IN_PROGRESS until its handle has had enough success signals.

    It fails when a failure signal arrives or the timeout passes first.
    """

    type_name = "OS::Heat::WaitCondition"
    support_status = SupportStatus(version="2014.2")
    properties_schema = {
        "handle": PropertySchema(
            PropertyType.STRING,
            "The OS::Heat::WaitConditionHandle whose signals are counted.",
            required=True,
        ),
        "timeout": PropertySchema(
            PropertyType.NUMBER,
            "Seconds to wait for the signals.",
            required=True,
            constraints=[Range(1, 43200)],
        ),
        "count": PropertySchema(
            PropertyType.INTEGER,
            "How many success signals complete the wait.",
            constraints=[Range(min=1)],
            default=1,
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "data": AttributeSchema(
            "JSON map of signal id to the data sent with it.",
            type=AttributeType.STRING,
            cache_mode=CacheMode.NONE,
        ),
    }
