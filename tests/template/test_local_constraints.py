"""The custom constraints that need no cloud, as LocalConstraints performs them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from calor.template.constraints import KNOWN_CUSTOM_CONSTRAINTS, LocalConstraints

local = LocalConstraints()


def test_every_constraint_heat_registers_is_known() -> None:
    assert len(KNOWN_CUSTOM_CONSTRAINTS) == 70
    assert {"nova.flavor", "glance.image", "neutron.network", "ip_addr"} <= (
        KNOWN_CUSTOM_CONSTRAINTS
    )


def test_cloud_backed_constraints_are_known_and_accept_anything() -> None:
    assert local.knows("nova.flavor")
    assert local.check("nova.flavor", "no-such-flavor") is None


def test_an_unregistered_name_is_not_known() -> None:
    assert not local.knows("nova.flavour")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ip_addr", "10.0.0.1"),
        ("ip_addr", "2001:db8::1"),
        ("mac_addr", "00:1a:2B:3c:4d:5e"),
        ("mac_addr", "001a.2b3c.4d5e"),
        ("net_cidr", "10.0.0.0/8"),
        ("net_cidr", "2001:db8::/32"),
        ("ip_or_cidr", "10.0.0.1"),
        ("ip_or_cidr", "10.0.0.0/24"),
        ("iso_8601", "2015-01-01"),
        ("iso_8601", "2015-01-01T12:30:00Z"),
        ("iso_8601", "20150101T1230+0100"),
        ("expiration", "2999-01-01T00:00:00Z"),
        ("expiration", ""),
        ("timezone", "Europe/Paris"),
        ("json_string", '{"a": [1]}'),
        ("dns_name", "www.example.com"),
        ("dns_domain", "example.com."),
        ("rel_dns_name", "www"),
        ("cron_expression", "*/5 0-6 1,15 jan-jun mon#2"),
        ("cron_expression", "0 0 L * ? 30"),
        ("cron_expression", "@daily"),
        ("test_constr", 0),
    ],
)
def test_local_constraint_accepts(name: str, value: Any) -> None:
    assert local.check(name, value) is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ip_addr", "10.0.0", "Error validating value '10.0.0': Invalid IP address"),
        ("ip_addr", 10, "Error validating value '10': Invalid IP address"),
        ("mac_addr", "00:1a", "Error validating value '00:1a': Invalid MAC address."),
        ("net_cidr", "10.0.0.1",
         "Error validating value '10.0.0.1': '10.0.0.1' is not a valid IP subnet"),
        ("net_cidr", "10/8", "Error validating value '10/8': '10/8' is not a valid IP subnet"),
        ("net_cidr", "nonsense",
         "Error validating value 'nonsense': Invalid net cidr invalid IPNetwork nonsense "),
        ("ip_or_cidr", "300.0.0.1",
         "Error validating value '300.0.0.1': '300.0.0.1' is not a valid IP address"),
        ("ip_or_cidr", "010.0.0.1",
         "Error validating value '010.0.0.1': '010.0.0.1' is not an accepted IP address, "
         "'10.0.0.1' is recommended"),
        ("ip_or_cidr", "10.0.0.0/99",
         "Error validating value '10.0.0.0/99': '10.0.0.0/99' is not a valid IP subnet"),
        ("iso_8601", "yesterday", "Error validating value 'yesterday'"),
        ("iso_8601", "2015-13-01", "Error validating value '2015-13-01'"),
        ("expiration", "soon",
         "Error validating value 'soon': Expiration soon is invalid: "
         "Unable to parse date string 'soon'"),
        ("json_string", "{",
         "Error validating value '{': JSON string { is invalid: Expecting property name "
         "enclosed in double quotes: line 1 column 2 (char 1)"),
        ("dns_name", "-a.example.com",
         "Error validating value '-a.example.com': '-a.example.com' not in valid format. "
         "Reason: Name '-a' must not start or end with a hyphen."),
        ("dns_name", "a..b",
         "Error validating value 'a..b': 'a..b' not in valid format. "
         "Reason: Encountered an empty component."),
        ("dns_name", "Web.example.com",
         "Error validating value 'Web.example.com': 'Web.example.com' not in valid format. "
         "Reason: Name 'Web' must be 1-63 characters long, each of which can only be "
         "alphanumeric or a hyphen."),
        ("dns_name", "example.123.",
         "Error validating value 'example.123.': 'example.123.' not in valid format. "
         "Reason: TLD '123' must not be all numeric."),
        ("dns_domain", "example.com",
         "Error validating value 'example.com': 'example.com' must end with '.'."),
        ("rel_dns_name", "www.",
         "Error validating value 'www.': 'www.' is a FQDN. It should be a relative domain "
         "name."),
        ("cron_expression", "* * *",
         "Error validating value '* * *': Invalid CRON expression: Exactly 5, 6 or 7 columns "
         "has to be specified for iterator expression."),
        ("cron_expression", "0 24 * * *",
         "Error validating value '0 24 * * *': Invalid CRON expression: [24] is not "
         "acceptable, out of range"),
        ("cron_expression", "0 0 * foo *",
         "Error validating value '0 0 * foo *': Invalid CRON expression: [foo] is not "
         "acceptable"),
        ("test_constr", "x", "Error validating value 'x'"),
    ],
)
def test_local_constraint_rejects_with_heats_message(name: str, value: Any, message: str) -> None:
    assert local.check(name, value) == message


def test_timezone_rejection_names_the_zone() -> None:
    message = local.check("timezone", "Mars/Olympus")
    assert message is not None
    assert message.startswith("Error validating value 'Mars/Olympus': Invalid timezone: ")
    assert "Mars/Olympus" in message.partition("Invalid timezone: ")[2]


def test_relative_dns_name_leaves_room_for_a_domain() -> None:
    long_name = "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 63
    assert local.check("rel_dns_name", long_name) == (
        f"Error validating value '{long_name}': '{long_name}' contains '255' characters. "
        "Adding a domain name will cause it to exceed the maximum length of a FQDN of '255'."
    )


def test_expiration_with_a_clock_rejects_a_past_date() -> None:
    clocked = LocalConstraints(now=lambda: datetime(2020, 1, 1, tzinfo=UTC))
    assert clocked.check("expiration", "2019-12-31T00:00:00Z") == (
        "Error validating value '2019-12-31T00:00:00Z': Expiration 2019-12-31T00:00:00Z is "
        "invalid: Expiration time is out of date."
    )
    assert clocked.check("expiration", "2020-01-02") is None


def test_expiration_without_a_clock_checks_only_the_form() -> None:
    assert local.check("expiration", "1999-01-01") is None
