"""The custom constraints that need no cloud: addresses, names, dates, cron.

Each check takes a value and returns ``None`` when the value is fine, or the
reason it is not, worded as Heat words it (``""`` when Heat gives no reason).
:class:`calor.template.constraints.LocalConstraints` turns a reason into
Heat's full message, ``Error validating value '<v>': <reason>``.

Heat leans on netaddr, neutron-lib, croniter and iso8601 here; these checks
use the standard library and accept what those libraries accept for the
forms templates use.
"""

from __future__ import annotations

import ipaddress
import json
import re
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

Check = Callable[[Any], "str | None"]

# -- IP addresses and networks (neutron-lib's validators) --------------------

_DOTTED_QUAD = re.compile(r"\d+\.\d+\.\d+\.\d+")
# netaddr pads abbreviated IPv4 networks ("10/8", "192.168/16") before parsing.
_ABBREVIATED_V4 = re.compile(r"\d{1,3}(\.\d{1,3}){0,2}(/\d{1,2})?")


def _has_whitespace(text: str) -> bool:
    return any(ch.isspace() for ch in text)


def _parse_ip(text: str) -> str:
    """The canonical form of an address, leading zeros of IPv4 octets dropped."""
    if _has_whitespace(text) or "%" in text:
        raise ValueError(text)
    if _DOTTED_QUAD.fullmatch(text):
        octets = [int(part) for part in text.split(".")]
        if any(octet > 255 for octet in octets):
            raise ValueError(text)
        return ".".join(str(octet) for octet in octets)
    return str(ipaddress.IPv6Address(text))


def ip_address_problem(data: Any) -> str | None:
    """neutron-lib's verdict on an IP address (None when it is one)."""
    try:
        canonical = _parse_ip(data)
    except (ValueError, TypeError):
        return f"'{data}' is not a valid IP address"
    if ":" not in data and canonical != data:
        return f"'{data}' is not an accepted IP address, '{canonical}' is recommended"
    return None


def _parse_network(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    if _has_whitespace(text) or "%" in text:
        raise ValueError(text)
    return ipaddress.ip_interface(text)


def subnet_problem(data: Any) -> str | None:
    """neutron-lib's verdict on a CIDR (None when it is one)."""
    try:
        net = _parse_network(data)
        if "/" not in data or (net.version == 4 and str(net) != data):
            raise ValueError(data)
    except (ValueError, TypeError):
        return f"'{data}' is not a valid IP subnet"
    return None


def check_ip_addr(value: Any) -> str | None:
    if not isinstance(value, str) or ip_address_problem(value) is not None:
        return "Invalid IP address"
    return None


def check_net_cidr(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"Invalid net cidr invalid IPNetwork {value} "
    if not _ABBREVIATED_V4.fullmatch(value):
        try:
            _parse_network(value)
        except ValueError:
            return f"Invalid net cidr invalid IPNetwork {value} "
    return subnet_problem(value)


def check_ip_or_cidr(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{value} is not a valid IP or CIDR"
    if "/" in value:
        return subnet_problem(value)
    return ip_address_problem(value)


# -- MAC addresses (netaddr's EUI-48 spellings) ------------------------------

_HEX = "[0-9a-f]"
_MAC_FORMATS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        ":".join([f"{_HEX}{{1,2}}"] * 6),
        "-".join([f"{_HEX}{{1,2}}"] * 6),
        ":".join([f"{_HEX}{{1,4}}"] * 3),
        "-".join([f"{_HEX}{{1,4}}"] * 3),
        r"\.".join([f"{_HEX}{{1,4}}"] * 3),
        "-".join([f"{_HEX}{{5,6}}"] * 2),
        ":".join([f"{_HEX}{{5,6}}"] * 2),
        f"{_HEX}{{11,12}}",
    )
)


def check_mac_addr(value: Any) -> str | None:
    if isinstance(value, str) and any(f.fullmatch(value) for f in _MAC_FORMATS):
        return None
    return "Invalid MAC address."


# -- DNS names ---------------------------------------------------------------

FQDN_MAX_LEN = 255
_DNS_LABEL_MAX_LEN = 63
# Heat matches lower case only: "Example.com" is rejected.
_DNS_LABEL = re.compile(f"[a-z0-9-]{{1,{_DNS_LABEL_MAX_LEN}}}$")


def dns_format_problem(data: str) -> str | None:
    """Why ``data`` is not a DNS name, as Heat's netutils words it."""
    if not data:
        return None
    trimmed = data[:-1] if data.endswith(".") else data
    if len(trimmed) > FQDN_MAX_LEN:
        return f"'{trimmed}' exceeds the {FQDN_MAX_LEN} character FQDN limit"
    labels = trimmed.split(".")
    for label in labels:
        if not label:
            return "Encountered an empty component."
        if label.startswith("-") or label.endswith("-"):
            return f"Name '{label}' must not start or end with a hyphen."
        if not _DNS_LABEL.match(label):
            return (
                f"Name '{label}' must be 1-{_DNS_LABEL_MAX_LEN} characters long, each of "
                "which can only be alphanumeric or a hyphen."
            )
    if data.endswith(".") and len(labels) > 1 and labels[-1].isdigit():
        return f"TLD '{labels[-1]}' must not be all numeric."
    return None


def check_dns_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return ""
    reason = dns_format_problem(value)
    if reason is None:
        return None
    return f"'{value}' not in valid format. Reason: {reason}"


def check_rel_dns_name(value: Any) -> str | None:
    if not value:
        return None
    if not isinstance(value, str):
        return ""
    if value.endswith("."):
        return f"'{value}' is a FQDN. It should be a relative domain name."
    if len(value) > FQDN_MAX_LEN - 3:
        return (
            f"'{value}' contains '{len(value)}' characters. Adding a domain name will "
            f"cause it to exceed the maximum length of a FQDN of '{FQDN_MAX_LEN}'."
        )
    return check_dns_name(value)


def check_dns_domain(value: Any) -> str | None:
    if not value:
        return None
    reason = check_dns_name(value)
    if reason is not None:
        return reason
    if not value.endswith("."):
        return f"'{value}' must end with '.'."
    return None


# -- Dates and times ---------------------------------------------------------

# The shapes the iso8601 library takes: a year, then optionally a month, a
# day, a time and a zone, with or without separators.
_ISO8601 = re.compile(
    r"(?P<year>\d{4})"
    r"(?:(?:-(?P<month_dash>\d{1,2})|(?P<month>\d{2})(?!$))"
    r"(?:(?:-(?P<day_dash>\d{1,2})|(?P<day>\d{2}))"
    r"(?:[ T](?P<hour>\d{2})(?::?(?P<minute>\d{2}))?"
    r"(?::?(?P<second>\d{1,2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?P<zone>Z|(?P<sign>[-+])(?P<zone_hour>\d{2}):?(?P<zone_minute>\d{2})?)?"
    r")?)?)?$"
)


def parse_iso8601(text: Any) -> datetime:
    """A timezone-aware datetime (UTC when none is given), or ValueError."""
    match = _ISO8601.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"Unable to parse date string {text!r}")
    part = match.groupdict()

    def number(*names: str, default: int = 0) -> int:
        for name in names:
            if part[name] is not None:
                return int(part[name])
        return default

    zone: timezone = UTC
    if part["sign"] is not None:
        offset = timedelta(hours=number("zone_hour"), minutes=number("zone_minute"))
        zone = timezone(-offset if part["sign"] == "-" else offset)
    fraction = part["fraction"] or "0"
    return datetime(
        number("year"),
        number("month_dash", "month", default=1),
        number("day_dash", "day", default=1),
        number("hour"),
        number("minute"),
        number("second"),
        int(fraction[:6].ljust(6, "0")),
        tzinfo=zone,
    )


def check_iso_8601(value: Any) -> str | None:
    try:
        parse_iso8601(value)
    except ValueError:
        return ""
    return None


def expiration_check(now: Callable[[], datetime] | None) -> Check:
    """The ``expiration`` check; with no clock only the date's form is checked."""

    def check_expiration(value: Any) -> str | None:
        if not value:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(f"'{type(value).__name__}' object has no attribute 'strip'")
            expires = parse_iso8601(value.strip())
            if now is not None and expires <= now():
                raise ValueError("Expiration time is out of date.")
        except ValueError as err:
            return f"Expiration {value} is invalid: {err}"
        return None

    return check_expiration


def check_timezone(value: Any) -> str | None:
    if not value:
        return None
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as err:
        return f"Invalid timezone: {err}"
    return None


# -- Cron expressions (the subset of croniter's syntax templates use) --------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_CRON_ALIASES = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)


class _CronField:
    """One column of a cron expression: its bounds and the spellings it takes."""

    def __init__(
        self,
        low: int,
        high: int,
        names: tuple[str, ...] = (),
        *,
        first_name: int = 0,
        last: bool = False,
        nth: bool = False,
    ) -> None:
        self.low = low
        self.high = high
        self.names = {name: first_name + i for i, name in enumerate(names)}
        self.last = last  # "L": the last day of the month
        self.nth = nth  # "mon#2": the second Monday of the month

    def number(self, text: str) -> int | None:
        if text.isdigit():
            return int(text)
        return self.names.get(text.lower())

    def accepts(self, item: str) -> str | None:
        """None when ``item`` is acceptable, else croniter's complaint."""
        base, slash, step = item.partition("/")
        if slash and not step.isdigit():
            return f"[{item}] is not acceptable"
        if base in ("*", "?") or (self.last and base == "L"):
            return None
        if self.nth and "#" in base:
            base, _, nth = base.partition("#")
            if not nth.isdigit() or not 1 <= int(nth) <= 5:
                return f"[{item}] is not acceptable"
        bounds = base.split("-")
        if len(bounds) > 2:
            return f"[{item}] is not acceptable"
        numbers = [self.number(bound) for bound in bounds]
        if any(n is None for n in numbers):
            return f"[{item}] is not acceptable"
        if any(not self.low <= n <= self.high for n in numbers if n is not None):
            return f"[{item}] is not acceptable, out of range"
        return None


# minute hour day-of-month month day-of-week [second] [year], in croniter's order.
_CRON_FIELDS = (
    _CronField(0, 59),
    _CronField(0, 23),
    _CronField(1, 31, last=True),
    _CronField(1, 12, _MONTHS, first_name=1),
    _CronField(0, 7, _DAYS, nth=True),
    _CronField(0, 59),
    _CronField(1970, 2099),
)


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a cron expression, or None."""
    if expression.strip().lower() in _CRON_ALIASES:
        return None
    columns = expression.split()
    if len(columns) not in (5, 6, 7):
        return "Exactly 5, 6 or 7 columns has to be specified for iterator expression."
    for column, field in zip(columns, _CRON_FIELDS, strict=False):
        for item in column.split(","):
            problem = field.accepts(item)
            if problem is not None:
                return problem
    return None


def check_cron_expression(value: Any) -> str | None:
    if not value:
        return None
    if not isinstance(value, str):
        return f"Invalid CRON expression: [{value}] is not acceptable"
    problem = cron_problem(value)
    return None if problem is None else f"Invalid CRON expression: {problem}"


# -- The rest ----------------------------------------------------------------


def check_json_string(value: Any) -> str | None:
    if not value:
        return None
    try:
        json.loads(value)
    except (ValueError, TypeError) as err:
        return f"JSON string {value} is invalid: {err}"
    return None


def check_test_constr(value: Any) -> str | None:
    # Heat's test constraint sleeps for ``value`` seconds; here a number passes.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return ""


def local_checks(now: Callable[[], datetime] | None = None) -> dict[str, Check]:
    """Every check that needs no cloud, by constraint name."""
    return {
        "ip_addr": check_ip_addr,
        "mac_addr": check_mac_addr,
        "net_cidr": check_net_cidr,
        "ip_or_cidr": check_ip_or_cidr,
        "iso_8601": check_iso_8601,
        "expiration": expiration_check(now),
        "timezone": check_timezone,
        "json_string": check_json_string,
        "dns_name": check_dns_name,
        "dns_domain": check_dns_domain,
        "rel_dns_name": check_rel_dns_name,
        "cron_expression": check_cron_expression,
        "test_constr": check_test_constr,
    }
