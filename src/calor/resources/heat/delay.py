"""OS::Heat::Delay: waits a while during chosen actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues, Range
from calor.template.errors import StackValidationFailed
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: The stack actions a delay may take place in.
DELAY_ACTIONS = ("CREATE", "DELETE", "SUSPEND", "RESUME")


class Delay(Resource):
    """Pauses for a set time, plus optional random jitter, during chosen actions.

    Placed in the dependency graph, it holds back the resources that depend
    on it (CREATE, SUSPEND) or those it depends on (DELETE, RESUME). The
    wait is ``min_wait`` plus up to ``max_jitter * jitter_multiplier`` more,
    drawn uniformly; other actions (update, check) do not wait.
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

    @staticmethod
    def delay_parameters(properties: Mapping[str, Any]) -> tuple[float, float]:
        """The least wait and the most jitter, in seconds."""
        # Numbers as given (Heat's message shows 5 for 3 + 2 * 1, not 5.0).
        min_wait: float = properties["min_wait"]
        return min_wait, properties["max_jitter"] * properties["jitter_multiplier"]

    @classmethod
    def check_stack_timeout(cls, properties: Mapping[str, Any], timeout_secs: float) -> None:
        """Heat's strict validation: the longest delay must fit in the stack timeout."""
        min_wait, max_jitter = cls.delay_parameters(properties)
        max_wait = min_wait + max_jitter
        if max_wait > timeout_secs:
            raise StackValidationFailed(
                f"{cls.type_name} maximum delay {max_wait}s exceeds stack timeout."
            )

    def wait_secs(self, action: str) -> float:
        """The (random) wait for ``action`` (CREATE, DELETE, ...): 0 if not listed."""
        if action not in (self.properties.get("actions") or ()):
            return 0.0
        min_wait, max_jitter = self.delay_parameters(self.properties)
        return min_wait + max_jitter * float(self.ctx.random().random())

    async def _delay(self, action: str) -> None:
        secs = self.wait_secs(action)
        if secs > 0:
            await self.ctx.sleep(secs)

    async def create(self) -> None:
        await self._delay("CREATE")

    async def delete(self) -> None:
        await self._delay("DELETE")

    async def suspend(self) -> None:
        await self._delay("SUSPEND")

    async def resume(self) -> None:
        # Heat 27's resume check calls a method Delay lacks, so RESUME fails
        # there; here it waits as the property says.
        await self._delay("RESUME")
