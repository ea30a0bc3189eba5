"""``.../resources``: list (nested, detailed, filtered), show, metadata, signal,
mark unhealthy."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.api.conftest import Stacks

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "secret": {"type": "OS::Heat::RandomString", "properties": {"length": 6}},
        "group": {"type": "OS::Heat::ResourceGroup", "depends_on": "secret",
                  "properties": {"count": 2, "resource_def": {"type": "OS::Heat::None"}}},
        "handle": {"type": "OS::Heat::WaitConditionHandle"},
    },
}


@pytest.fixture(scope="module")
def stack(stacks: Stacks) -> dict[str, Any]:
    return stacks.create("resources", TEMPLATE)


def listed(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["resources"]
    return found


def test_list_gives_each_resource_with_links_and_required_by(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = {r["resource_name"]: r for r in listed(http, f"{stacks.url(stack)}/resources")}
    assert set(found) == {"secret", "group", "handle"}
    secret = found["secret"]
    assert secret["logical_resource_id"] == "secret"
    assert secret["resource_status"] == "CREATE_COMPLETE"
    assert secret["required_by"] == ["group"]
    rels = {link["rel"] for link in found["group"]["links"]}
    assert rels == {"self", "stack", "nested"}
    assert "attributes" not in secret


def test_list_with_nested_depth_reaches_into_child_stacks(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = listed(http, f"{stacks.url(stack)}/resources", nested_depth=1)
    nested = [r for r in found if r.get("parent_resource") == "group"]
    assert sorted(r["resource_name"] for r in nested) == ["0", "1"]


def test_list_with_detail_resolves_attributes(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = listed(http, f"{stacks.url(stack)}/resources", with_detail="true", name="secret")
    (secret,) = found
    assert len(secret["attributes"]["value"]) == 6


def test_list_filters_by_type_and_status(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = listed(http, f"{stacks.url(stack)}/resources", type="OS::Heat::RandomString",
                   status="COMPLETE")
    assert [r["resource_name"] for r in found] == ["secret"]
    assert listed(http, f"{stacks.url(stack)}/resources", type="OS::Nova::Server") == []


def test_list_refuses_an_unknown_filter(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    response = http.get(f"{stacks.url(stack)}/resources", params={"colour": "red"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid filter parameters ['colour']"


def test_show_gives_attributes_and_description(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    response = http.get(f"{stacks.url(stack)}/resources/secret")
    assert response.status_code == 200
    resource = response.json()["resource"]
    assert resource["resource_type"] == "OS::Heat::RandomString"
    assert len(resource["attributes"]["value"]) == 6
    assert resource["links"][0]["href"].endswith("/resources/secret")


def test_show_of_an_unknown_resource_is_resource_not_found(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    response = http.get(f"{stacks.url(stack)}/resources/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "ResourceNotFound"
    assert response.json()["error"]["message"] == (
        f"The Resource (nothing) could not be found in Stack {stack['stack_name']}.")


def test_signal_reaches_the_resource_and_metadata_shows_it(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    signalled = http.post(f"{stacks.url(stack)}/resources/handle/signal",
                          json={"status": "SUCCESS", "reason": "ready", "data": "42", "id": "1"})
    assert signalled.status_code == 200, signalled.text
    assert signalled.json() is None
    metadata = http.get(f"{stacks.url(stack)}/resources/handle/metadata").json()["metadata"]
    assert metadata["1"]["data"] == "42"


def test_signal_to_a_resource_that_takes_none_is_refused(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    response = http.post(f"{stacks.url(stack)}/resources/secret/signal", json={})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "ResourceActionNotSupported"


def test_mark_unhealthy_fails_the_resource_and_records_an_event(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("unhealthy", {"heat_template_version": "2018-08-31",
                                        "resources": {"a": {"type": "OS::Heat::None"}}})
    url = f"{stacks.url(stack)}/resources/a"
    marked = http.patch(url, json={"mark_unhealthy": True, "resource_status_reason": "broken"})
    assert marked.status_code == 200, marked.text
    resource = http.get(url).json()["resource"]
    assert (resource["resource_status"], resource["resource_status_reason"]) == (
        "CHECK_FAILED", "broken")
    last = http.get(f"{url}/events", params={"limit": 1}).json()["events"][0]
    assert (last["resource_status"], last["resource_status_reason"]) == ("CHECK_FAILED",
                                                                          "broken")
    http.patch(url, json={"mark_unhealthy": "false"})
    assert http.get(url).json()["resource"]["resource_status"] == "CHECK_COMPLETE"


def test_mark_unhealthy_checks_its_body(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    url = f"{stacks.url(stack)}/resources/secret"
    missing = http.patch(url, json={"resource_status_reason": "x"})
    assert missing.json()["error"]["message"] == (
        "Missing mandatory (mark_unhealthy) key from mark unhealthy request")
    wrong = http.patch(url, json={"mark_unhealthy": "perhaps"})
    assert wrong.status_code == 400
