"""Wait condition handles: how signals are checked and kept, and what handles hand out.

The plugins run on an in-memory context that also keeps metadata and knows
the stack's other resources; the engine-level behaviour (waiting, timeouts,
signals from another process) is in tests/engine/test_wait_condition.py and
tests/cli/test_stack_resource.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

import pytest
from tests.resources.heat.lifecycle_context import InMemoryContext, make

from calor.resources.aws.wait_condition import WaitCondition
from calor.resources.aws.wait_condition_handle import WaitConditionHandle
from calor.resources.heat.update_wait_condition_handle import UpdateWaitConditionHandle
from calor.resources.heat.wait_condition import HeatWaitCondition
from calor.resources.heat.wait_condition_base import (
    HeatValueError,
    identity_from_arn_url,
)
from calor.resources.heat.wait_condition_handle import HeatWaitConditionHandle
from calor.resources.lifecycle import ResourceView

STACK_ID = "6b2e1d6a-0c3b-4f0e-9d59-2a1f3e4c5b6d"


class StackContext(InMemoryContext):
    """An in-memory context with metadata, in a stack of such contexts."""

    def __init__(self, resource_name: str, stack: dict[str, ResourceView], **kwargs: Any) -> None:
        super().__init__(resource_name, **kwargs)
        self.metadata: dict[str, Any] = {}
        self.stack = stack

    @property
    def project_id(self) -> str:
        return "proj"

    async def get_metadata(self) -> Mapping[str, Any]:
        return json.loads(json.dumps(self.metadata))

    async def merge_metadata(
        self, merge: Callable[[Mapping[str, Any]], Mapping[str, Any]]
    ) -> Mapping[str, Any]:
        self.metadata = dict(merge(await self.get_metadata()))
        return self.metadata

    async def find_resource(self, reference: str) -> ResourceView | None:
        for view in self.stack.values():
            if view.ctx.physical_resource_id == reference:
                return view
        return self.stack.get(reference)


async def created(cls: type[Any], name: str = "handle", **values: Any) -> Any:
    """A handle created in a fresh stack, registered there under ``name``."""
    stack: dict[str, ResourceView] = {}
    ctx = StackContext(name, stack)
    handle = make(cls, ctx, **values)
    await handle.create()
    stack[name] = ResourceView(name, cls.type_name, handle.properties, ctx)
    return handle


async def test_a_heat_signal_defaults_to_success_numbered_by_arrival() -> None:
    handle = await created(HeatWaitConditionHandle)
    assert await handle.signal(None) == "status:SUCCESS reason:Signal 1 received"
    assert await handle.signal({"data": [1, 2]}) == "status:SUCCESS reason:Signal 2 received"
    assert await handle.signal({"id": "web", "status": "FAILURE", "reason": "no disk"}) == (
        "status:FAILURE reason:no disk"
    )
    assert handle.ctx.metadata == {
        "1": {"data": None, "reason": "Signal 1 received", "status": "SUCCESS"},
        "2": {"data": [1, 2], "reason": "Signal 2 received", "status": "SUCCESS"},
        "web": {"data": None, "reason": "no disk", "status": "FAILURE"},
    }


async def test_a_signal_with_a_known_id_replaces_the_earlier_one_in_place() -> None:
    handle = await created(HeatWaitConditionHandle)
    await handle.signal({"id": "a", "data": "old"})
    await handle.signal({"id": "b"})
    await handle.signal({"id": "a", "data": "new"})
    signals = await handle.signals()
    assert list(signals) == ["a", "b"]
    assert handle.signal_data(signals) == {"a": "new", "b": None}


@pytest.mark.parametrize(
    "details",
    [{"status": "DONE"}, {"status": "SUCCESS", "extra": 1}],
    ids=["unknown status", "unknown key"],
)
async def test_a_malformed_heat_signal_is_refused_and_not_kept(details: dict[str, Any]) -> None:
    handle = await created(HeatWaitConditionHandle)
    with pytest.raises(HeatValueError) as refused:
        await handle.signal(details)
    assert str(refused.value) == "Metadata format invalid"
    assert type(refused.value).__name__ == "ValueError"
    assert handle.ctx.metadata == {}


async def test_a_token_handle_hands_out_the_api_signal_url_and_a_curl_line() -> None:
    handle = await created(HeatWaitConditionHandle)
    token = await handle.resolve_attribute("token")
    endpoint = await handle.resolve_attribute("endpoint")
    assert len(token) == 64
    assert "token" in handle.ctx.redacted
    assert endpoint == (
        f"http://127.0.0.1:8004/v1/proj/stacks/teststack/{STACK_ID}/resources/handle/signal"
    )
    assert await handle.resolve_attribute("curl_cli") == (
        f"curl -i -X POST -H 'X-Auth-Token: {token}' -H 'Content-Type: application/json' "
        f"-H 'Accept: application/json' {endpoint}"
    )
    assert await handle.resolve_attribute("signal") == "null"


async def test_other_transports_hand_out_no_token_but_their_signal_details() -> None:
    heat = await created(HeatWaitConditionHandle, signal_transport="HEAT_SIGNAL")
    assert await heat.resolve_attribute("token") is None
    assert await heat.resolve_attribute("curl_cli") is None
    assert json.loads(await heat.resolve_attribute("signal")) == {
        "alarm_url": (f"http://127.0.0.1:8004/v1/proj/stacks/teststack/{STACK_ID}"
                      "/resources/handle/signal")
    }
    cfn = await created(HeatWaitConditionHandle, signal_transport="CFN_SIGNAL")
    url = json.loads(await cfn.resolve_attribute("signal"))["alarm_url"]
    assert identity_from_arn_url(url).resource_name == "handle"
    none = await created(HeatWaitConditionHandle, signal_transport="NO_SIGNAL")
    assert await none.resolve_attribute("signal") == "{}"


async def test_a_no_signal_handle_counts_one_success_per_look() -> None:
    handle = await created(HeatWaitConditionHandle, signal_transport="NO_SIGNAL")
    await handle.signals()
    signals = await handle.signals()
    assert handle.statuses(signals) == ["SUCCESS", "SUCCESS"]


async def test_a_cfn_handle_reference_is_a_signed_wait_condition_url() -> None:
    handle = await created(WaitConditionHandle, name="Handle")
    url = await handle.reference_id()
    parts = urlparse(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "http://127.0.0.1:8000/v1/waitcondition/arn%3Aopenstack%3Aheat%3A%3Aproj%3Astacks/"
        f"teststack/{STACK_ID}/resources/Handle"
    )
    identity = identity_from_arn_url(url)
    assert (identity.tenant, identity.stack_name, identity.stack_id, identity.resource_name) == (
        "proj", "teststack", STACK_ID, "Handle"
    )
    # The signature is EC2 v2 over the unquoted path, with the key pair kept in
    # the resource data (the secret redacted): the CFN API can check it.
    query = dict(parse_qsl(parts.query))
    assert query["AWSAccessKeyId"] == handle.ctx.data["access_key"]
    assert "secret_key" in handle.ctx.redacted
    signed = {k: v for k, v in query.items() if k != "Signature"}
    canonical = "&".join(f"{k}={signed[k]}" for k in sorted(signed)).replace(":", "%3A")
    text = "\n".join(("PUT", "127.0.0.1:8000", unquote(parts.path), canonical))
    expected = hmac.new(handle.ctx.data["secret_key"].encode(), text.encode(),
                        hashlib.sha256).digest()
    assert query["Signature"] == base64.b64encode(expected).decode()


async def test_a_cfn_handle_needs_every_field_and_ignores_an_empty_signal() -> None:
    handle = await created(UpdateWaitConditionHandle, name="Handle")
    assert await handle.signal(None) is None
    with pytest.raises(HeatValueError):
        await handle.signal({"Status": "SUCCESS", "Reason": "r", "Data": "d"})
    full = {"Status": "SUCCESS", "Reason": "r", "Data": "d", "UniqueId": "i-1"}
    assert await handle.signal(full) == "status:SUCCESS reason:r"
    assert handle.ctx.metadata == {"i-1": {"Status": "SUCCESS", "Reason": "r", "Data": "d"}}


async def test_the_update_handle_is_replaced_by_any_update() -> None:
    handle = await created(UpdateWaitConditionHandle, name="Handle")
    assert handle.needs_replace({}, frozenset())


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://x/y", '"ftp://x/y" is not a valid URL'),
        ("http://h/v1/waitcondition/nothing", '"http://h/v1/waitcondition/nothing" is not a '
         "valid ARN URL"),
        ("http://h/arn%3Aopenstack%3Aheat%3A%3Ap%3Aother", '"arn:openstack:heat::p:other" is '
         "not a valid Heat ARN"),
    ],
)
def test_a_handle_url_that_names_no_resource_is_refused(url: str, message: str) -> None:
    with pytest.raises(HeatValueError) as refused:
        identity_from_arn_url(url)
    assert str(refused.value) == message


async def wait_condition(cls: type[Any], handle_url: str, stack: dict[str, ResourceView]) -> Any:
    ctx = StackContext("Wait", stack)
    return make(cls, ctx, Handle=handle_url, Timeout=10)


async def test_an_aws_wait_condition_refuses_a_handle_of_another_stack() -> None:
    handle = await created(WaitConditionHandle, name="Handle")
    stack = {"Handle": ResourceView("Handle", WaitConditionHandle.type_name, {}, handle.ctx)}
    url = await handle.reference_id()
    elsewhere = url.replace("stacks/teststack/", "stacks/otherstack/")
    wait = await wait_condition(WaitCondition, elsewhere, stack)
    with pytest.raises(HeatValueError) as refused:
        await wait.create()
    assert str(refused.value) == "WaitCondition invalid Handle stack otherstack"


async def test_an_aws_wait_condition_refuses_a_heat_handle() -> None:
    heat = await created(HeatWaitConditionHandle, name="Handle")
    url = await (await created(WaitConditionHandle, name="Handle")).reference_id()
    stack = {"Handle": ResourceView("Handle", HeatWaitConditionHandle.type_name, {}, heat.ctx)}
    wait = await wait_condition(WaitCondition, url, stack)
    with pytest.raises(HeatValueError) as refused:
        await wait.create()
    assert str(refused.value) == "WaitCondition invalid Handle Handle"


async def test_a_wait_condition_data_is_the_json_of_each_signal_data() -> None:
    handle = await created(HeatWaitConditionHandle)
    await handle.signal({"data": "x"})
    await handle.signal({"id": "b", "data": {"k": [1]}})
    stack = {"handle": ResourceView("handle", HeatWaitConditionHandle.type_name,
                                    handle.properties, handle.ctx)}
    wait = make(HeatWaitCondition, StackContext("wait", stack), handle=handle.ctx.
                physical_resource_id, timeout=5)
    assert await wait.resolve_attribute("data") == '{"1": "x", "b": {"k": [1]}}'
    await wait.create()  # two signals already in: no wait
    assert wait.ctx.sleeps == []
    await wait.delete()
    assert handle.ctx.metadata == {}


async def test_a_heat_wait_condition_also_counts_a_cfn_handle_named_by_its_url() -> None:
    handle = await created(WaitConditionHandle, name="Handle")
    await handle.signal({"Status": "SUCCESS", "Reason": "r", "Data": "d", "UniqueId": "u"})
    stack = {"Handle": ResourceView("Handle", WaitConditionHandle.type_name, {}, handle.ctx)}
    wait = make(HeatWaitCondition, StackContext("wait", stack),
                handle=await handle.reference_id(), timeout=5)
    await wait.create()
    assert await wait.resolve_attribute("data") == '{"u": "d"}'
