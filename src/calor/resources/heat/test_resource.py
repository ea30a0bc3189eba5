"""OS::Heat::TestResource: stores a string, with knobs for testing the engine."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import CustomConstraint
from calor.template.schema import (
    AttributeSchema,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


def _action_wait(action: str) -> PropertySchema:
    return PropertySchema(
        PropertyType.NUMBER,
        f"Seconds to wait after {action}; wait_secs when unset.",
        update_allowed=True,
    )


class TestResource(Resource):
    """Stores the string it is given; made for testing the engine.

    Properties make it fail, wait, or ask to be replaced on update.
    """

    # Not a pytest test class, despite its name.
    __test__ = False

    type_name = "OS::Heat::TestResource"
    support_status = SupportStatus(version="5.0.0")
    properties_schema = {
        "constraint_prop_secs": PropertySchema(
            PropertyType.NUMBER,
            "Seconds the test_constr custom constraint takes to check this value.",
            default=0,
            update_allowed=True,
            constraints=[CustomConstraint("test_constr")],
            support_status=SupportStatus(version="6.0.0"),
        ),
        "attr_wait_secs": PropertySchema(
            PropertyType.NUMBER,
            "Seconds to wait before the output attribute answers.",
            default=0,
            update_allowed=True,
            support_status=SupportStatus(version="6.0.0"),
        ),
        "value": PropertySchema(
            PropertyType.STRING,
            "The string to store.",
            default="test_string",
            update_allowed=True,
        ),
        "update_replace_value": PropertySchema(
            PropertyType.STRING,
            "A stored value whose change replaces the resource.",
            support_status=SupportStatus(version="7.0.0"),
        ),
        "fail": PropertySchema(
            PropertyType.BOOLEAN,
            "Make the current action fail.",
            update_allowed=True,
            default=False,
        ),
        "update_replace": PropertySchema(
            PropertyType.BOOLEAN,
            "Make an update replace the resource.",
            update_allowed=True,
            default=False,
        ),
        "wait_secs": PropertySchema(
            PropertyType.NUMBER,
            "Seconds to wait after each action (-1 waits forever).",
            update_allowed=True,
            default=0,
        ),
        "action_wait_secs": PropertySchema(
            PropertyType.MAP,
            "Seconds to wait after particular actions.",
            update_allowed=True,
            schema={
                "create": _action_wait("create"),
                "update": _action_wait("update"),
                "delete": _action_wait("delete"),
            },
        ),
        "client_name": PropertySchema(
            PropertyType.STRING,
            "The client to poll.",
            default="",
            update_allowed=True,
        ),
        "entity_name": PropertySchema(
            PropertyType.STRING,
            "The client entity to poll.",
            default="",
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "output": AttributeSchema(
            "The stored string (also the resource's reference).",
            cache_mode=CacheMode.NONE,
        ),
    }
