"""OS::Heat::WaitConditionHandle: where servers send wait-condition signals."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from calor.resources.heat.wait_condition_base import (
    SUCCESS,
    WAITCONDITION,
    BaseWaitConditionHandle,
    SignalKeys,
    signal_endpoint,
    signed_url,
)
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


class HeatWaitConditionHandle(BaseWaitConditionHandle):
    """Receives the signals an OS::Heat::WaitCondition counts.

    It makes the credentials a server needs to signal, and stores what
    each signal says.
    """

    # With TOKEN_SIGNAL (the default) ``endpoint`` is the orchestration API's
    # signal URL for this handle and ``token`` a random token kept (redacted)
    # in the resource data; ``curl_cli`` puts them together as Heat does.
    # CFN_SIGNAL gets a signed CFN URL and HEAT_SIGNAL the native URL, in
    # ``signal``. TEMP_URL_SIGNAL and ZAQAR_SIGNAL need Swift and Zaqar, which
    # the embedded mode lacks: such a handle is signalled with ``calor stack
    # resource signal`` only. NO_SIGNAL counts as one success signal each
    # time a wait condition looks, as in Heat.

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

    keys = SignalKeys(data="data", reason="reason", status="status", unique_id="id")

    @property
    def transport(self) -> str:
        return str(self.properties.get("signal_transport") or "TOKEN_SIGNAL")

    async def create(self) -> None:
        await super().create()
        if self.transport == "TOKEN_SIGNAL":
            token = f"{self.ctx.random().getrandbits(256):064x}"
            await self.ctx.set_data("token", token, redact=True)
            await self.ctx.set_data("endpoint", signal_endpoint(self.ctx))
        elif self.transport == "HEAT_SIGNAL":
            await self.ctx.set_data("heat_signal_url", signal_endpoint(self.ctx))
        elif self.transport == "CFN_SIGNAL":
            await self.ctx.set_data("ec2_signed_url", await signed_url(self.ctx, WAITCONDITION))

    def normalise_signal(
        self, details: Mapping[str, Any] | None, received: Mapping[str, Any]
    ) -> Any:
        # Everything is optional: the status defaults to SUCCESS and the id
        # to the signal's number.
        number = len(received) + 1
        entry = dict(details) if details else {}
        entry.setdefault("reason", f"Signal {number} received")
        entry.setdefault("data", None)
        entry.setdefault("id", number)
        entry.setdefault("status", SUCCESS)
        return entry

    async def signals(self) -> Mapping[str, Mapping[str, Any]]:
        if self.transport == "NO_SIGNAL":
            await self.signal({})
        return await super().signals()

    async def resolve_attribute(self, name: str) -> Any:
        if not self.ctx.physical_resource_id:
            return None
        data = await self.ctx.get_data()
        if name in ("token", "endpoint"):
            return data.get(name)
        if name == "curl_cli":
            token, endpoint = data.get("token"), data.get("endpoint")
            if token is None or endpoint is None:
                return None
            return (
                f"curl -i -X POST -H 'X-Auth-Token: {token}' "
                "-H 'Content-Type: application/json' -H 'Accept: application/json' "
                f"{endpoint}"
            )
        if name == "signal":
            return json.dumps(self._signal_details(data))
        return None

    def _signal_details(self, data: Mapping[str, str]) -> dict[str, Any] | None:
        # As Heat: a map for the transports that have one, null for the others
        # (TOKEN_SIGNAL's details are the token and endpoint attributes).
        if self.transport == "CFN_SIGNAL":
            return {"alarm_url": data.get("ec2_signed_url")}
        if self.transport == "HEAT_SIGNAL":
            return {"alarm_url": data.get("heat_signal_url")}
        if self.transport == "NO_SIGNAL":
            return {}
        return None
