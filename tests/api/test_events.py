"""``.../events``: what ``--wait`` polls (marker paging, the stack's own events), filters,
sorting, a resource's events, one event."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.api.conftest import Stacks

TWO = {"heat_template_version": "2018-08-31",
       "resources": {"first": {"type": "OS::Heat::None"},
                     "second": {"type": "OS::Heat::None", "depends_on": "first"}}}


@pytest.fixture(scope="module")
def stack(stacks: Stacks) -> dict[str, Any]:
    return stacks.create("events", TWO)


def events(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["events"]
    return found


def test_events_oldest_first_run_from_stack_start_to_stack_complete(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = events(http, f"{stacks.url(stack)}/events", sort_dir="asc")
    states = [(e["resource_name"], e["resource_status"]) for e in found]
    name = stack["stack_name"]
    assert states[0] == (name, "CREATE_IN_PROGRESS")
    assert states[-1] == (name, "CREATE_COMPLETE")
    assert ("first", "CREATE_COMPLETE") in states and ("second", "CREATE_COMPLETE") in states


def test_stack_events_carry_the_stack_id_as_physical_id_and_stack_link(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    last = events(http, f"{stacks.url(stack)}/events", sort_dir="desc", limit=1)[0]
    assert last["resource_name"] == stack["stack_name"]
    assert last["physical_resource_id"] == stack["id"]
    links = {link["rel"]: link["href"] for link in last["links"]}
    assert links["stack"].rsplit("/", 1)[-1] == stack["id"]
    assert links["self"].endswith(
        f"/resources/{stack['stack_name']}/events/{last['id']}")


def test_a_listed_event_has_heats_summary_fields(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    event = events(http, f"{stacks.url(stack)}/events")[0]
    assert set(event) == {"id", "links", "event_time", "resource_name", "logical_resource_id",
                          "resource_status", "resource_status_reason", "physical_resource_id"}


def test_events_after_a_marker_exclude_the_marker(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    every = events(http, f"{stacks.url(stack)}/events", sort_dir="asc")
    after = events(http, f"{stacks.url(stack)}/events", sort_dir="asc", marker=every[1]["id"])
    assert [e["id"] for e in after] == [e["id"] for e in every[2:]]
    assert events(http, f"{stacks.url(stack)}/events", sort_dir="asc",
                  marker=every[-1]["id"]) == []


def test_events_default_to_newest_first_and_take_a_limit(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    every = events(http, f"{stacks.url(stack)}/events", sort_dir="asc")
    newest = events(http, f"{stacks.url(stack)}/events", limit=2)
    assert [e["id"] for e in newest] == [e["id"] for e in reversed(every[-2:])]


def test_events_filter_by_resource_name_and_status(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = events(http, f"{stacks.url(stack)}/events", resource_name="first",
                   resource_status="COMPLETE")
    assert [(e["resource_name"], e["resource_status"]) for e in found] == [
        ("first", "CREATE_COMPLETE")]


def test_resource_events_are_that_resources_only(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    found = events(http, f"{stacks.url(stack)}/resources/second/events", sort_dir="asc")
    assert [e["resource_status"] for e in found] == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    assert {e["resource_name"] for e in found} == {"second"}


def test_events_of_an_unknown_resource_are_not_found(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    response = http.get(f"{stacks.url(stack)}/resources/nothing/events")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No events found for resource nothing"


def test_event_show_gives_every_field(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    listed = events(http, f"{stacks.url(stack)}/resources/first/events")[0]
    response = http.get(f"{stacks.url(stack)}/resources/first/events/{listed['id']}")
    assert response.status_code == 200
    event = response.json()["event"]
    assert event["id"] == listed["id"]
    assert event["resource_type"] == "OS::Heat::None"
    assert event["resource_properties"] == {}


def test_an_event_of_another_resource_is_not_found(
    http: httpx.Client, stacks: Stacks, stack: dict[str, Any]
) -> None:
    listed = events(http, f"{stacks.url(stack)}/resources/first/events")[0]
    response = http.get(f"{stacks.url(stack)}/resources/second/events/{listed['id']}")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"No event {listed['id']} found"


def test_nested_depth_includes_child_stack_events_with_a_root_link(
    http: httpx.Client, stacks: Stacks
) -> None:
    parent = stacks.create("parent", {
        "heat_template_version": "2018-08-31",
        "resources": {"group": {"type": "OS::Heat::ResourceGroup", "properties": {
            "count": 1, "resource_def": {"type": "OS::Heat::None"}}}}})
    found = events(http, f"{stacks.url(parent)}/events", nested_depth=1, sort_dir="asc")
    names = {e["resource_name"] for e in found}
    assert {"group", "0"} <= names
    assert all(any(link["rel"] == "root_stack" for link in e["links"]) for e in found)
