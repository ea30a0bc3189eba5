"""AWS::CloudFormation::WaitCondition: waits for signals sent to a CFN handle."""

from __future__ import annotations

from calor.resources.heat.wait_condition import HeatWaitCondition
from calor.resources.heat.wait_condition_base import (
    HANDLE_CLASSES,
    CfnWaitConditionHandle,
    HeatValueError,
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

    HANDLE = "Handle"
    TIMEOUT = "Timeout"
    COUNT = "Count"
    DATA = "Data"

    def handle_reference(self) -> str:
        # The handle's URL names it by ARN: the resource name is its last part.
        return identity_from_arn_url(str(self.properties.get(self.HANDLE) or "")).resource_name

    async def create(self) -> None:
        await self._validate_handle_url()
        await super().create()

    async def _validate_handle_url(self) -> None:
        handle = identity_from_arn_url(str(self.properties.get(self.HANDLE) or ""))
        if handle.tenant != self.ctx.project_id:
            raise HeatValueError(f"WaitCondition invalid Handle tenant {handle.tenant}")
        if handle.stack_name != self.ctx.stack_name:
            raise HeatValueError(f"WaitCondition invalid Handle stack {handle.stack_name}")
        if handle.stack_id != self.ctx.stack_id:
            raise HeatValueError(f"WaitCondition invalid Handle stack {handle.stack_id}")
        found = await self.ctx.find_resource(handle.resource_name)
        handle_class = HANDLE_CLASSES.get(found.type) if found is not None else None
        if handle_class is None or not issubclass(handle_class, CfnWaitConditionHandle):
            raise HeatValueError(f"WaitCondition invalid Handle {handle.resource_name}")
