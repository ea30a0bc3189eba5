"""Bad input is answered with the service's own 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import httpx
from tests.sandbox.running import RunningSandbox

#: path -> the body's top-level key (``None``: the body is the object) and fields to spoil.
_CREATES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "/networking/v2.0/networks": ("network", ("name", "admin_state_up", "mtu")),
    "/networking/v2.0/subnets": ("subnet", ("network_id", "cidr", "gateway_ip",
                                            "allocation_pools", "host_routes")),
    "/networking/v2.0/ports": ("port", ("network_id", "fixed_ips", "security_groups",
                                        "mac_address", "allowed_address_pairs")),
    "/networking/v2.0/routers": ("router", ("name", "external_gateway_info")),
    "/networking/v2.0/floatingips": ("floatingip", ("floating_network_id", "port_id")),
    "/networking/v2.0/security-group-rules": ("security_group_rule", (
        "security_group_id", "direction", "protocol", "port_range_min", "remote_ip_prefix")),
    "/compute/v2.1/servers": ("server", ("name", "imageRef", "flavorRef", "networks",
                                         "metadata", "min_count", "user_data",
                                         "block_device_mapping_v2", "security_groups")),
    "/compute/v2.1/os-keypairs": ("keypair", ("name", "public_key", "type")),
    "/compute/v2.1/os-server-groups": ("server_group", ("name", "policies")),
    "/compute/v2.1/flavors": ("flavor", ("name", "ram", "vcpus", "disk")),
    "/image/v2/images": (None, ("name", "visibility", "min_disk", "tags", "id")),
    "/identity/v3/auth/tokens": ("auth", ("identity", "scope")),
}
_VALUES: tuple[Any, ...] = (None, 5, "x", [], {}, [1], True, "10.0.0.0/33")
_JUNK = (b"", b"not json", b"[]", b"3", b"null")


def test_junk_bodies_and_wrong_field_types_never_give_a_500(sandbox: RunningSandbox) -> None:
    headers = {"X-Auth-Token": sandbox.token(), "Content-Type": "application/json"}
    failures = []
    with httpx.Client(base_url=sandbox.url, headers=headers) as client:
        for path, (key, fields) in _CREATES.items():
            attempts: list[dict[str, Any]] = [{"content": junk} for junk in _JUNK]
            for field in fields:
                for value in _VALUES:
                    body = {field: value}
                    attempts.append({"json": body if key is None else {key: body}})
            for attempt in attempts:
                answer = client.post(path, **attempt)
                if answer.status_code >= 500:
                    failures.append((path, attempt, answer.text[:200]))
    assert failures == []


def test_junk_query_parameters_never_give_a_500(sandbox: RunningSandbox) -> None:
    failures = []
    with httpx.Client(base_url=sandbox.url,
                      headers={"X-Auth-Token": sandbox.token()}) as client:
        for path in ("/networking/v2.0/networks", "/networking/v2.0/ports",
                     "/compute/v2.1/servers/detail", "/compute/v2.1/flavors/detail",
                     "/compute/v2.1/os-keypairs", "/image/v2/images"):
            for query in ("limit=abc", "limit=-1", "marker=zzz", "sort_key=nope",
                          "sort_dir=x", "minDisk=abc", "name=[", "changes-since=x",
                          "size_min=abc", "is_public=maybe", "sort=name:up",
                          "fixed_ips=junk"):
                answer = client.get(f"{path}?{query}")
                if answer.status_code >= 500:
                    failures.append((path, query, answer.text[:200]))
    assert failures == []
