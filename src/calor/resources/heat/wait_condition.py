"""OS::Heat::WaitCondition: waits for signals sent to a handle."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from calor.resources.base import Resource
from calor.resources.heat.wait_condition_base import (
    FAILURE,
    HANDLE_CLASSES,
    SUCCESS,
    BaseWaitConditionHandle,
    HeatValueError,
    WaitConditionFailure,
    WaitConditionTimeout,
    identity_from_arn_url,
)
from calor.template.constraints import Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: Seconds between two looks at the handle's signals.
POLL_INTERVAL = 0.1


class HeatWaitCondition(Resource):
    """Stays in CREATE_IN_PROGRESS until its handle has had enough success signals.

    It fails when a failure signal arrives or the timeout passes first.
    """

    # The wait polls the handle's stored signals every POLL_INTERVAL seconds
    # through ctx.sleep, so signals sent by another process (``calor stack
    # resource signal``, later the API) are seen as soon as they are committed.

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

    #: The property and attribute names (the CFN subclass spells them differently).
    HANDLE: ClassVar[str] = "handle"
    TIMEOUT: ClassVar[str] = "timeout"
    COUNT: ClassVar[str] = "count"
    DATA: ClassVar[str] = "data"

    def handle_reference(self) -> str:
        """What names the handle in its stack: its physical id (``get_resource``) or name."""
        reference = str(self.properties.get(self.HANDLE) or "")
        # A CFN-style handle's reference is its signed URL, which names it by ARN.
        with contextlib.suppress(HeatValueError):
            return identity_from_arn_url(reference).resource_name
        return reference

    async def find_handle(self) -> BaseWaitConditionHandle | None:
        """The handle the handle property refers to (None if it is not a handle)."""
        try:
            reference = self.handle_reference()
        except HeatValueError:
            return None
        found = await self.ctx.find_resource(reference)
        handle_class = HANDLE_CLASSES.get(found.type) if found is not None else None
        if found is None or handle_class is None:
            return None
        return handle_class(found.ctx, found.properties)

    async def _valid_handle(self) -> BaseWaitConditionHandle:
        handle = await self.find_handle()
        if handle is None:
            reference = self.handle_reference()
            found = await self.ctx.find_resource(reference)
            name = found.name if found is not None else reference
            raise HeatValueError(f"{name} is not a valid wait condition handle.")
        return handle

    async def create(self) -> None:
        handle = await self._valid_handle()
        # Heat keeps no id for a wait condition; the engine needs one to know it exists.
        await self.ctx.set_physical_resource_id(self.ctx.physical_resource_name)
        await self._wait(handle)

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        # A new count is waited for again, with a fresh timeout (as Heat).
        self.properties = properties
        await self._wait(await self._valid_handle())

    async def _wait(self, handle: BaseWaitConditionHandle) -> None:
        count = int(self.properties[self.COUNT])
        deadline = time.monotonic() + float(self.properties[self.TIMEOUT])
        while True:
            signals = await handle.signals()
            if any(status != SUCCESS for status in handle.statuses(signals)):
                raise WaitConditionFailure(";".join(handle.reasons(signals, FAILURE)))
            if len(signals) >= count:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitConditionTimeout(handle.reasons(signals, SUCCESS), count)
            await self.ctx.sleep(min(POLL_INTERVAL, remaining))

    async def delete(self) -> None:
        # As Heat: the handle forgets its signals, so a new wait starts afresh.
        handle = await self.find_handle()
        if handle is not None:
            await handle.ctx.merge_metadata(lambda _: {})

    async def resolve_attribute(self, name: str) -> Any:
        if name != self.DATA:
            return None
        handle = await self.find_handle()
        if handle is None:
            return ""
        return json.dumps(handle.signal_data(await handle.stored_signals()))
