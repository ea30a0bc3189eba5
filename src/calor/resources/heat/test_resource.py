"""OS::Heat::TestResource: stores a string, with knobs for testing the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceFailure, UpdateReplace
from calor.template.constraints import CustomConstraint
from calor.template.schema import (
    AttributeSchema,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: A wait of ``wait_secs: -1`` is this many seconds at a time, for ever.
FOREVER_STEP = 3600.0

#: The resource data key the stored string is kept under (as in Heat).
VALUE_KEY = "value"


def _action_wait(action: str) -> PropertySchema:
    return PropertySchema(
        PropertyType.NUMBER,
        f"Seconds to wait after {action}; wait_secs when unset.",
        update_allowed=True,
    )


class TestResource(Resource):
    """Stores the string it is given; made for testing the engine.

    Properties make it fail, wait, or ask to be replaced on update. Each
    action waits (``action_wait_secs`` for that action, else ``wait_secs``)
    and then, with ``fail``, fails -- except delete, which never fails.
    ``constraint_prop_secs`` acts during validation only; ``client_name``
    and ``entity_name`` (polling a real client while waiting) are ignored.
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

    supports_check = True

    #: The value this instance stored during its action, if it stored one.
    _stored: str | None = None

    def wait_secs(self, action: str) -> float:
        """How long ``action`` (create, update, delete) waits; negative is for ever."""
        per_action: Mapping[str, Any] = self.properties.get("action_wait_secs") or {}
        secs = per_action.get(action)
        if secs is None:
            secs = self.properties.get("wait_secs") or 0
        return float(secs)

    async def _wait(self, action: str) -> None:
        secs = self.wait_secs(action)
        if secs < 0:
            # The engine ends this wait by cancelling it (stack cancel, timeout).
            while True:
                await self.ctx.sleep(FOREVER_STEP)
        if secs > 0:
            await self.ctx.sleep(secs)

    def _fail_if_asked(self) -> None:
        if self.properties.get("fail"):
            raise ResourceFailure(f"Test Resource failed {self.ctx.resource_name}")

    async def create(self) -> None:
        # A failing create keeps no value and gets no physical id (as Heat).
        if not self.properties.get("fail"):
            await self.ctx.set_data(VALUE_KEY, self.properties["value"])
            self._stored = self.properties["value"]
            await self.ctx.set_physical_resource_id(self.ctx.physical_resource_name)
        await self._wait("create")
        self._fail_if_asked()

    def needs_replace(self, properties: Mapping[str, Any], changed: frozenset[str]) -> bool:
        # Heat asks for replacement only when the value changes too.
        return "value" in changed and bool(properties.get("update_replace"))

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        if self.needs_replace(properties, changed):
            raise UpdateReplace(self.ctx.resource_name)
        self.properties = properties
        value = properties.get("value") if "value" in changed else None
        # As Heat: only a new (non-empty) value is stored and waited for;
        # ``fail`` fails the update whatever changed.
        if value:
            if not properties.get("fail"):
                await self.ctx.set_data(VALUE_KEY, value)
                self._stored = value
            await self._wait("update")
        self._fail_if_asked()

    async def delete(self) -> None:
        await self._wait("delete")

    async def check(self) -> None:
        if not self.ctx.physical_resource_id:
            raise ResourceFailure("Resource not created")

    async def resolve_attribute(self, name: str) -> Any:
        secs = self.properties.get("attr_wait_secs") or 0
        if secs > 0:
            await self.ctx.sleep(float(secs))
        if name != "output":
            return None
        if self._stored is not None:
            return self._stored  # what this action just stored: no need to read it back
        return (await self.ctx.get_data()).get(VALUE_KEY)
