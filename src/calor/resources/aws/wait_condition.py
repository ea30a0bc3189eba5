"""AWS::CloudFormation::WaitCondition: waits for signals sent to a CFN handle."""

from __future__ import annotations

from calor.resources.heat.wait_condition import HeatWaitCondition
from calor.template.constraints import Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


class WaitCondition(HeatWaitCondition):
    """Waits until its AWS::CloudFormation::WaitConditionHandle has had enough signals.

    The handle must be the URL of a handle in the same stack. It fails when
    a failure signal arrives or the timeout passes first.
    """

    type_name = "AWS::CloudFormation::WaitCondition"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "Handle": PropertySchema(
            PropertyType.STRING,
            "Reference to the WaitConditionHandle whose signals are counted.",
            required=True,
        ),
        "Timeout": PropertySchema(
            PropertyType.INTEGER,
            "Seconds to wait for the signals.",
            required=True,
            constraints=[Range(1, 43200)],
        ),
        "Count": PropertySchema(
            PropertyType.INTEGER,
            "How many success signals complete the wait.",
            constraints=[Range(min=1)],
            default=1,
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "Data": AttributeSchema(
            "JSON map of signal id to the data sent with it.",
            cache_mode=CacheMode.NONE,
            type=AttributeType.STRING,
        ),
    }
