"""AWS::CloudFormation::WaitConditionHandle: a pre-signed URL servers signal."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import SupportStatus


class WaitConditionHandle(Resource):
    """A pre-signed URL (its reference) that cfn-signal posts to.

    It depends on nothing, so a server can refer to it; an
    AWS::CloudFormation::WaitCondition counts the signals it stores.
    """

    type_name = "AWS::CloudFormation::WaitConditionHandle"
    support_status = SupportStatus(version="2014.1")
