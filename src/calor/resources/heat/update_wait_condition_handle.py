"""OS::Heat::UpdateWaitConditionHandle: a CFN-style handle renewed on every update."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.heat.wait_condition_base import CfnWaitConditionHandle
from calor.template.schema import SupportStatus


# Heat derives this class from AWS::CloudFormation::WaitConditionHandle's; here
# both build on CfnWaitConditionHandle, so the heat package never imports the
# aws one (no import cycle). Neither handle declares properties or attributes.
class UpdateWaitConditionHandle(CfnWaitConditionHandle):
    """A wait condition handle that is replaced by every stack update.

    It works as AWS::CloudFormation::WaitConditionHandle (its reference is a
    pre-signed URL), but an update forgets the signals received and makes a
    new URL, so senders must signal again and an UPDATE_COMPLETE means the
    new configuration has reported back.
    """

    type_name = "OS::Heat::UpdateWaitConditionHandle"
    support_status = SupportStatus(version="2014.1")

    replaced_by_every_update = True

    def needs_replace(self, properties: Mapping[str, Any], changed: frozenset[str]) -> bool:
        # Heat raises UpdateReplace whenever this handle is asked to update.
        return True
