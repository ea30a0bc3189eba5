"""OS::Heat::UpdateWaitConditionHandle: a CFN-style handle renewed on every update."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import SupportStatus


# Heat derives this class from AWS::CloudFormation::WaitConditionHandle's. The
# aws package builds on this one, so this one never imports it (no import
# cycle); neither handle declares properties or attributes.
class UpdateWaitConditionHandle(Resource):
    """A wait condition handle that is replaced by every stack update.

    It works as AWS::CloudFormation::WaitConditionHandle (its reference is a
    pre-signed URL), but an update forgets the signals received and makes a
    new URL, so senders must signal again and an UPDATE_COMPLETE means the
    new configuration has reported back.
    """

    type_name = "OS::Heat::UpdateWaitConditionHandle"
    support_status = SupportStatus(version="2014.1")
