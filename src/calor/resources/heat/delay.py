"""OS::Heat::Delay: waits a while during chosen actions."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues, Range
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: The stack actions a delay may take place in.
DELAY_ACTIONS = ("CREATE", "DELETE", "SUSPEND", "RESUME")


class Delay(Resource):
    """Pauses for a set time, plus optional random jitter, during chosen actions.

    Placed in the dependency graph, it holds back the resources that depend
    on it (CREATE, SUSPEND) or those it depends on (DELETE, RESUME).
    """

    type_name = "OS::Heat::Delay"
    support_status = SupportStatus(version="11.0.0")
    properties_schema = {
        "min_wait": PropertySchema(
            PropertyType.NUMBER,
            "The least number of seconds to wait.",
            update_allowed=True,
            default=0,
            constraints=[Range(min=0)],
        ),
        "max_jitter": PropertySchema(
            PropertyType.NUMBER,
            "The most random extra wait, in units of jitter_multiplier.",
            update_allowed=True,
            default=0,
            constraints=[Range(min=0)],
        ),
        "jitter_multiplier": PropertySchema(
            PropertyType.NUMBER,
            "Seconds per unit of max_jitter.",
            update_allowed=True,
            default=1.0,
            constraints=[Range(min=0)],
        ),
        "actions": PropertySchema(
            PropertyType.LIST,
            "The actions during which to wait.",
            update_allowed=True,
            default=["CREATE"],
            constraints=[AllowedValues(DELAY_ACTIONS)],
        ),
    }
