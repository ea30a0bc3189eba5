"""What wait condition handles share: signals kept in the handle's metadata.

A handle stores each signal it takes in its metadata, under the signal's id,
as Heat keeps them: ``{id: {data, reason, status}}`` for
OS::Heat::WaitConditionHandle, ``{UniqueId: {Data, Reason, Status}}`` for the
CFN-style handles. So ``calor stack resource metadata STACK HANDLE`` shows
what has arrived, and a wait condition polls that metadata (through
:meth:`~calor.resources.lifecycle.ResourceContext.find_resource`) until it
has enough.

The URLs handles hand out point at the API ``calor serve`` answers on
(:data:`ORCHESTRATION_URL`, :data:`CFN_URL`). In embedded mode nothing
listens there: ``calor stack resource signal STACK HANDLE --data ...`` is
the way to signal, from any process sharing the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlencode, urlparse

from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceContext, ResourceFailure

SUCCESS = "SUCCESS"
FAILURE = "FAILURE"
#: The statuses a signal may carry.
WAIT_STATUSES = (FAILURE, SUCCESS)

#: The orchestration API root (``.../v1``) that ``calor serve`` answers on.
ORCHESTRATION_URL = "http://127.0.0.1:8004/v1"
#: The CFN-compatible API root; wait condition URLs are ``<CFN_URL>/waitcondition/<ARN>``.
CFN_URL = "http://127.0.0.1:8000/v1"

#: Path and HTTP verb of the two kinds of CFN signal URL (Heat's WAITCONDITION, SIGNAL).
WAITCONDITION = ("/waitcondition", "PUT")
SIGNAL = ("/signal", "POST")


class HeatValueError(ResourceFailure):
    """A bad handle or signal; Heat raises a plain ValueError, so reasons say ``ValueError``."""


# The worker names the error class in the status reason ("ValueError: resources.x: ...").
HeatValueError.__name__ = HeatValueError.__qualname__ = "ValueError"


class WaitConditionFailure(ResourceFailure):
    """A FAILURE signal arrived; the message joins the failure reasons with ``;``."""


class WaitConditionTimeout(ResourceFailure):
    """The timeout passed before enough SUCCESS signals arrived."""

    def __init__(self, success_reasons: list[str], count: int) -> None:
        received = f"{len(success_reasons)} of {count} received"
        if success_reasons:
            received += " - " + ";".join(success_reasons)
        super().__init__(received)


@dataclass(frozen=True)
class SignalKeys:
    """The names a handle's signals use for their fields."""

    data: str
    reason: str
    status: str
    unique_id: str

    def all(self) -> frozenset[str]:
        return frozenset((self.data, self.reason, self.status, self.unique_id))


#: Every handle type by name (filled as the handle classes are defined).
HANDLE_CLASSES: dict[str, type[BaseWaitConditionHandle]] = {}


class BaseWaitConditionHandle(Resource):
    """Takes signals and keeps them in its metadata (not a type of its own)."""

    keys: ClassVar[SignalKeys]
    supports_signal = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        type_name = cls.__dict__.get("type_name")
        if isinstance(type_name, str):
            HANDLE_CLASSES[type_name] = cls

    def normalise_signal(
        self, details: Mapping[str, Any] | None, received: Mapping[str, Any]
    ) -> Any:
        """The signal as it will be checked and stored (CFN handles take it as sent)."""
        return details

    async def create(self) -> None:
        # Heat's physical id is the id of the stack user that may signal; the
        # embedded mode has no users, so a fresh id of the same shape.
        await self.ctx.set_physical_resource_id(uuid.uuid4().hex)

    async def signal(self, details: Mapping[str, Any] | None) -> str | None:
        keys = self.keys
        written: list[Mapping[str, Any]] = []

        def merge(current: Mapping[str, Any]) -> Mapping[str, Any]:
            entry = self.normalise_signal(details, current)
            if not self._format_ok(entry):
                raise HeatValueError("Metadata format invalid")
            stored = dict(entry)
            unique_id = str(stored.pop(keys.unique_id))
            written.append(entry)
            # A second signal with the same id overwrites the first, in place.
            return {**current, unique_id: stored}

        await self.ctx.merge_metadata(merge)
        last = written[-1]
        return f"status:{last[keys.status]} reason:{last[keys.reason]}"

    def _format_ok(self, entry: Any) -> bool:
        return (
            isinstance(entry, Mapping)
            and set(entry) == self.keys.all()
            and entry[self.keys.status] in WAIT_STATUSES
        )

    async def stored_signals(self) -> Mapping[str, Mapping[str, Any]]:
        """Every signal received, by id, as stored."""
        metadata = await self.ctx.get_metadata()
        return {k: v for k, v in metadata.items() if isinstance(v, Mapping)}

    async def signals(self) -> Mapping[str, Mapping[str, Any]]:
        """The signals, once any the handle must fetch itself are in (what a wait polls)."""
        return await self.stored_signals()

    def statuses(self, signals: Mapping[str, Mapping[str, Any]]) -> list[str]:
        return [str(v.get(self.keys.status)) for v in signals.values()]

    def reasons(self, signals: Mapping[str, Mapping[str, Any]], status: str) -> list[str]:
        """The reasons of the signals with ``status``, in arrival order."""
        return [
            str(v.get(self.keys.reason)) for v in signals.values()
            if v.get(self.keys.status) == status
        ]

    def signal_data(self, signals: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """``{id: data}``: what a wait condition's ``data`` attribute shows."""
        return {k: v.get(self.keys.data) for k, v in signals.items()}


class CfnWaitConditionHandle(BaseWaitConditionHandle):
    """A handle whose reference is a pre-signed CFN wait condition URL (not a type of its own)."""

    keys = SignalKeys(data="Data", reason="Reason", status="Status", unique_id="UniqueId")

    async def create(self) -> None:
        await super().create()
        url = await signed_url(self.ctx, WAITCONDITION)
        await self.ctx.set_data("ec2_signed_url", url)

    async def reference_id(self) -> str:
        if self.ctx.physical_resource_id:
            url = (await self.ctx.get_data()).get("ec2_signed_url")
            if url:
                return url
        return self.ctx.resource_name

    async def signal(self, details: Mapping[str, Any] | None) -> str | None:
        # As Heat: an empty signal is recorded as an event and changes nothing.
        if details is None:
            return None
        return await super().signal(details)


# -- URLs and ARNs -----------------------------------------------------------


def resource_url_path(ctx: ResourceContext) -> str:
    """``<project>/stacks/<stack>/<stack id>/resources/<name>``, quoted as Heat quotes it."""
    return (
        f"{quote(ctx.project_id, '')}/stacks/{quote(ctx.stack_name, '')}/"
        f"{quote(ctx.stack_id, '')}/resources/{quote(ctx.resource_name)}"
    )


def signal_endpoint(ctx: ResourceContext) -> str:
    """The native API URL that signals this resource (HEAT_SIGNAL, TOKEN_SIGNAL)."""
    return f"{ORCHESTRATION_URL}/{resource_url_path(ctx)}/signal"


def resource_arn(ctx: ResourceContext) -> str:
    """``arn:openstack:heat::<project>:stacks/<stack>/<id>/resources/<name>``."""
    path = resource_url_path(ctx)
    project, _, rest = path.partition("/")
    return f"arn:openstack:heat::{project}:{rest}"


async def signed_url(ctx: ResourceContext, kind: tuple[str, str]) -> str:
    """A CFN URL for this resource, signed (EC2 signature v2) with a key pair of its own.

    The key pair is kept in the resource data (the secret redacted), so the
    CFN API can check the signature when it comes.
    """
    base, verb = kind
    data = await ctx.get_data()
    access_key = data.get("access_key")
    secret_key = data.get("secret_key")
    if not access_key or not secret_key:
        rng = ctx.random()
        access_key = f"{rng.getrandbits(128):032x}"
        secret_key = f"{rng.getrandbits(256):064x}"
        await ctx.set_data("access_key", access_key)
        await ctx.set_data("secret_key", secret_key, redact=True)
    signal_url = CFN_URL + base
    host = urlparse(signal_url)
    path = "/" + quote(resource_arn(ctx))
    params = {
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "SignatureMethod": "HmacSHA256",
        "AWSAccessKeyId": access_key,
        "SignatureVersion": "2",
    }
    # The CFN API sees the path unquoted, so the signature is over that form.
    params["Signature"] = _ec2_signature_v2(
        secret_key, verb, host.netloc.lower(), unquote(host.path + path), params
    )
    return f"{signal_url.lower()}{path}?{urlencode(params)}"


def _ec2_signature_v2(
    secret: str, verb: str, host: str, path: str, params: Mapping[str, str]
) -> str:
    canonical = "&".join(
        f"{quote(k, safe='-_~')}={quote(params[k], safe='-_~')}" for k in sorted(params)
    )
    text = "\n".join((verb, host, path, canonical))
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class ResourceIdentity:
    """The parts of a resource ARN."""

    tenant: str
    stack_name: str
    stack_id: str
    path: str

    @property
    def resource_name(self) -> str:
        return self.path.lstrip("/").split("/")[-1]


_ARN_PATH = re.compile(r"stacks/([^/]+)/([^/]+)(.*)")
_ARN_URL_PREFIX = re.compile("/arn%3Aopenstack%3Aheat%3A%3A", re.IGNORECASE)


def identity_from_arn_url(url: str) -> ResourceIdentity:
    """The ARN in a signal URL (``.../waitcondition/<quoted ARN>?...``), or HeatValueError."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.path:
        raise HeatValueError(f'"{url}" is not a valid URL')
    match = _ARN_URL_PREFIX.search(parts.path)
    if match is None:
        raise HeatValueError(f'"{url}" is not a valid ARN URL')
    arn = unquote(parts.path[match.start() + 1:])
    fields = arn.split(":")
    if len(fields) < 6 or fields[0].lower() != "arn":
        raise HeatValueError(f'"{arn}" is not a valid ARN')
    path = _ARN_PATH.match(":".join(fields[5:]))
    if fields[1] != "openstack" or fields[2] != "heat" or not path:
        raise HeatValueError(f'"{arn}" is not a valid Heat ARN')
    return ResourceIdentity(unquote(fields[4]), unquote(path.group(1)),
                            unquote(path.group(2)), unquote(path.group(3)))
