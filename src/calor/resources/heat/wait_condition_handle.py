"""OS::Heat::WaitConditionHandle: where servers send wait-condition signals."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The ways a handle can be signalled.
SIGNAL_TRANSPORTS = (
    "CFN_SIGNAL",
    "TEMP_URL_SIGNAL",
    "HEAT_SIGNAL",
    "NO_SIGNAL",
    "ZAQAR_SIGNAL",
    "TOKEN_SIGNAL",
)


def _signal_detail(description: str) -> AttributeSchema:
    return AttributeSchema(description, type=AttributeType.STRING, cache_mode=CacheMode.NONE)


class HeatWaitConditionHandle(Resource):
    """Receives the signals an OS::Heat::WaitCondition counts.

    It makes the credentials a server needs to signal, and stores what
    each signal says.
    """

    type_name = "OS::Heat::WaitConditionHandle"
    support_status = SupportStatus(version="2014.2")
    properties_schema = {
        "signal_transport": PropertySchema(
            PropertyType.STRING,
            "How signals reach the handle: TOKEN_SIGNAL (POST to the orchestration "
            "API with a token), HEAT_SIGNAL (resource signal with keystone "
            "credentials), CFN_SIGNAL (POST to a signed CFN URL), TEMP_URL_SIGNAL "
            "(PUT to a Swift TempURL), ZAQAR_SIGNAL (a Zaqar queue), or NO_SIGNAL "
            "(signalled at once).",
            default="TOKEN_SIGNAL",
            constraints=[AllowedValues(SIGNAL_TRANSPORTS)],
            support_status=SupportStatus(version="6.0.0"),
        ),
    }
    attributes_schema = {
        "token": _signal_detail("The token to signal with (TOKEN_SIGNAL only, else None)."),
        "endpoint": _signal_detail("The URL to signal (TOKEN_SIGNAL only, else None)."),
        "curl_cli": _signal_detail(
            "A curl command line that signals the handle; add "
            '--data-binary \'{"status": "SUCCESS"}\' (or "FAILURE"). '
            "TOKEN_SIGNAL only, else None."
        ),
        "signal": _signal_detail(
            "JSON map of what a client needs to signal, which depends on signal_transport."
        ),
    }
