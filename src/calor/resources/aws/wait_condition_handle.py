"""AWS::CloudFormation::WaitConditionHandle: a pre-signed URL servers signal."""

from __future__ import annotations

from calor.resources.heat.wait_condition_base import CfnWaitConditionHandle
from calor.template.schema import SupportStatus


class WaitConditionHandle(CfnWaitConditionHandle):
    """A pre-signed URL (its reference) that cfn-signal posts to.

    It depends on nothing, so a server can refer to it; an
    AWS::CloudFormation::WaitCondition counts the signals it stores. A signal
    must carry all of ``Status`` (SUCCESS or FAILURE), ``Reason``,
    ``UniqueId`` and ``Data``.
    """

    type_name = "AWS::CloudFormation::WaitConditionHandle"
    support_status = SupportStatus(version="2014.1")
