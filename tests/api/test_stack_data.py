"""What a stack keeps (template, environment, files), outputs, abandon/adopt/export,
update previews, actions and snapshots."""

from __future__ import annotations

from typing import Any

import httpx
from tests.api.conftest import Stacks

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {"word": {"type": "string", "default": "plain"},
                   "secret": {"type": "string", "hidden": True, "default": "s"}},
    "resources": {"v": {"type": "OS::Heat::Value",
                        "properties": {"value": {"get_file": "word.txt"}}}},
    "outputs": {"text": {"value": {"get_attr": ["v", "value"]}, "description": "the file"},
                "broken": {"value": {"str_split": [",", {"get_attr": ["v", "value"]}, 5]}}},
}
FILES = {"word.txt": "from a file"}
NONE = {"heat_template_version": "2018-08-31", "resources": {"a": {"type": "OS::Heat::None"}}}


def made(stacks: Stacks, prefix: str, **fields: Any) -> dict[str, Any]:
    return stacks.create(prefix, TEMPLATE, files=FILES, **fields)


def test_template_environment_and_files_are_what_was_stored(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = made(stacks, "kept", parameters={"secret": "hush"})
    assert http.get(f"{stacks.url(stack)}/template").json() == TEMPLATE
    environment = http.get(f"{stacks.url(stack)}/environment").json()
    assert environment["parameters"] == {"secret": "******"}
    assert http.get(f"{stacks.url(stack)}/files").json() == FILES


def test_outputs_list_keys_and_show_values_or_errors(http: httpx.Client, stacks: Stacks) -> None:
    stack = made(stacks, "outputs")
    listed = http.get(f"{stacks.url(stack)}/outputs").json()["outputs"]
    assert {o["output_key"]: o["description"] for o in listed} == {
        "text": "the file", "broken": "No description given"}
    text = http.get(f"{stacks.url(stack)}/outputs/text").json()["output"]
    assert text["output_value"] == "from a file"
    broken = http.get(f"{stacks.url(stack)}/outputs/broken").json()["output"]
    assert "output_error" in broken


def test_an_unknown_output_is_not_found(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("nooutput", NONE)
    response = http.get(f"{stacks.url(stack)}/outputs/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Specified output key nothing not found."


def test_export_gives_the_abandon_data_and_keeps_the_stack(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = made(stacks, "exported")
    data = http.get(f"{stacks.url(stack)}/export").json()
    assert data["id"] == stack["id"] and data["template"] == TEMPLATE
    assert set(data["resources"]) == {"v"}
    assert http.get(stacks.url(stack)).status_code == 200


def test_abandon_then_adopt_takes_the_resources_over(http: httpx.Client, stacks: Stacks) -> None:
    stack = made(stacks, "abandoned")
    data = http.delete(f"{stacks.url(stack)}/abandon")
    assert data.status_code == 200
    assert http.get(f"/stacks/{stack['stack_name']}").status_code == 404
    adopted = http.post("/stacks", json={"stack_name": stacks.name("adopted"),
                                         "adopt_stack_data": data.json()})
    assert adopted.status_code == 201, adopted.text
    result = stacks.wait(adopted.json()["stack"]["id"])
    assert result["stack_status"] == "ADOPT_COMPLETE"


def test_preview_update_lists_what_would_change(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("preview", NONE)
    new = {"heat_template_version": "2018-08-31",
           "resources": {"a": {"type": "OS::Heat::None"}, "b": {"type": "OS::Heat::None"}}}
    response = http.put(f"{stacks.url(stack)}/preview", json={"template": new})
    assert response.status_code == 200, response.text
    changes = response.json()["resource_changes"]
    assert [r["resource_name"] for r in changes["added"]] == ["b"]
    assert [r["resource_name"] for r in changes["unchanged"]] == ["a"]
    patched = http.patch(f"{stacks.url(stack)}/preview", json={})
    assert [r["resource_name"] for r in patched.json()["resource_changes"]["unchanged"]] == [
        "a"]


def test_actions_suspend_resume_and_check(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("actions", NONE)
    for action, state in (("suspend", "SUSPEND_COMPLETE"), ("resume", "RESUME_COMPLETE"),
                          ("check", "CHECK_COMPLETE")):
        response = http.post(f"{stacks.url(stack)}/actions", json={action: None})
        assert response.status_code == 200, response.text
        assert stacks.wait(stack["id"])["stack_status"] == state


def test_actions_take_exactly_one_known_action(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("badaction", NONE)
    url = f"{stacks.url(stack)}/actions"

    def message(body: dict[str, Any]) -> str:
        response = http.post(url, json=body)
        assert response.status_code == 400
        text: str = response.json()["error"]["message"]
        return text

    assert message({}) == "No action specified"
    assert message({"check": None, "suspend": None}) == "Multiple actions specified"
    assert message({"explode": None}) == "Invalid action explode specified"


def test_cancel_update_of_an_idle_stack_is_not_supported(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("cancel", NONE)
    response = http.post(f"{stacks.url(stack)}/actions", json={"cancel_update": None})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "NotSupported", "traceback": None,
        "message": "Cancelling update when stack is CREATE_COMPLETE is not supported."}


def test_snapshots_are_taken_listed_shown_restored_and_deleted(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("snap", NONE)
    url = f"{stacks.url(stack)}/snapshots"
    taken = http.post(url, json={"name": "first"})
    assert taken.status_code == 200, taken.text
    snapshot = taken.json()
    assert (snapshot["name"], snapshot["status"]) == ("first", "COMPLETE")
    assert [s["id"] for s in http.get(url).json()["snapshots"]] == [snapshot["id"]]
    shown = http.get(f"{url}/{snapshot['id']}").json()["snapshot"]
    assert shown["data"]["resources"]["a"]["type"] == "OS::Heat::None"
    restored = http.post(f"{url}/{snapshot['id']}/restore")
    assert restored.status_code == 202
    assert stacks.wait(stack["id"])["stack_status"] == "RESTORE_COMPLETE"
    assert http.delete(f"{url}/{snapshot['id']}").status_code == 204
    missing = http.get(f"{url}/{snapshot['id']}")
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "NotFound"
