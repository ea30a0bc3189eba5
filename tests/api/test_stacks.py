"""``/stacks``: create, list (filters, sorting, paging, tags), lookup redirects, show,
update (PUT and PATCH), delete, preview, detail."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from tests.api.conftest import Keystone, Server, Stacks, client_for

NONE = {"heat_template_version": "2018-08-31",
        "resources": {"a": {"type": "OS::Heat::None"}}}

WITH_PARAMETER = {
    "heat_template_version": "2018-08-31",
    "parameters": {"word": {"type": "string", "default": "plain"}},
    "resources": {"v": {"type": "OS::Heat::Value", "properties": {"value": {"get_param": "word"}}}},
    "outputs": {"word": {"value": {"get_attr": ["v", "value"]}}},
}


def output(stack: dict[str, Any], key: str) -> Any:
    return next(o["output_value"] for o in stack["outputs"] if o["output_key"] == key)


def test_create_answers_201_with_the_id_a_self_link_and_location(
    http: httpx.Client, stacks: Stacks, endpoint: str
) -> None:
    name = stacks.name("created")
    response = http.post("/stacks", json={"stack_name": name, "template": NONE})
    assert response.status_code == 201
    body = response.json()
    stack_id = body["stack"]["id"]
    href = f"{endpoint}/stacks/{name}/{stack_id}"
    assert body == {"stack": {"id": stack_id, "links": [{"href": href, "rel": "self"}]}}
    assert response.headers["location"] == href
    assert stacks.wait(stack_id)["stack_status"] == "CREATE_COMPLETE"


def test_create_takes_a_yaml_template_text_and_an_environment(
    http: httpx.Client, stacks: Stacks
) -> None:
    text = ("heat_template_version: 2018-08-31\n"
            "parameters: {word: {type: string}}\n"
            "resources: {v: {type: OS::Heat::Value, properties: {value: {get_param: word}}}}\n"
            "outputs: {word: {value: {get_attr: [v, value]}}}\n")
    stack = stacks.create("text", text, environment="parameters: {word: from-env}\n")
    assert output(stack, "word") == "from-env"


def test_a_second_stack_of_the_same_name_is_a_conflict(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("twice", NONE)
    again = http.post("/stacks", json={"stack_name": stack["stack_name"], "template": NONE})
    assert again.status_code == 409
    assert again.json()["error"]["type"] == "StackExists"


def test_list_shows_heats_summary_of_each_stack(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("listed", NONE, tags="red,blue")
    listed = http.get("/stacks", params={"id": stack["id"]}).json()["stacks"]
    (summary,) = listed
    assert summary["stack_name"] == stack["stack_name"]
    assert summary["stack_status"] == "CREATE_COMPLETE"
    assert summary["tags"] == ["red", "blue"]
    assert summary["links"] == stack["links"]
    assert set(summary) == {"id", "links", "stack_name", "description", "stack_status",
                            "stack_status_reason", "creation_time", "deletion_time",
                            "updated_time", "stack_owner", "parent", "stack_user_project_id",
                            "tags"}


def test_list_filters_by_name_and_status(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("filtered", NONE)
    by_name = http.get("/stacks", params={"name": stack["stack_name"]}).json()["stacks"]
    assert [s["id"] for s in by_name] == [stack["id"]]
    failed = http.get("/stacks", params={"name": stack["stack_name"], "status": "FAILED"})
    assert failed.json()["stacks"] == []


def test_list_pages_with_limit_marker_and_a_next_link(http: httpx.Client, stacks: Stacks) -> None:
    tag = stacks.name("page")
    made = [stacks.create(f"page{i}", NONE, tags=tag)["id"] for i in range(3)]
    first = http.get("/stacks", params={"tags": tag, "limit": 2, "sort_keys": "creation_time",
                                        "sort_dir": "asc"}).json()
    assert [s["id"] for s in first["stacks"]] == made[:2]
    (link,) = first["links"]
    assert link["rel"] == "next"
    query = parse_qs(urlsplit(link["href"]).query)
    assert query["marker"] == [made[1]] and query["limit"] == ["2"]
    rest = http.get(link["href"]).json()
    assert [s["id"] for s in rest["stacks"]] == made[2:]
    assert "links" not in rest


def test_list_sorts_by_name(http: httpx.Client, stacks: Stacks) -> None:
    tag = stacks.name("sorted")
    for prefix in ("b", "c", "a"):
        stacks.create(f"{prefix}sort", NONE, tags=tag)
    listed = http.get("/stacks", params={"tags": tag, "sort_keys": "stack_name",
                                         "sort_dir": "desc"}).json()["stacks"]
    assert [s["stack_name"][0] for s in listed] == ["c", "b", "a"]


def test_list_filters_by_tags_any_and_not_tags(http: httpx.Client, stacks: Stacks) -> None:
    one, two = stacks.name("t1"), stacks.name("t2")
    first = stacks.create("tagged", NONE, tags=f"{one},{two}")
    second = stacks.create("tagged", NONE, tags=one)

    def ids(**params: str) -> set[str]:
        return {s["id"] for s in http.get("/stacks", params=params).json()["stacks"]}

    assert ids(tags=f"{one},{two}") == {first["id"]}
    assert ids(tags_any=f"{one},{two}") == {first["id"], second["id"]}
    not_both = ids(not_tags=f"{one},{two}")
    assert second["id"] in not_both and first["id"] not in not_both
    assert first["id"] not in ids(not_tags_any=two)
    assert second["id"] in ids(not_tags_any=two)


def test_list_with_count_counts_every_match(http: httpx.Client, stacks: Stacks) -> None:
    tag = stacks.name("counted")
    for _ in range(2):
        stacks.create("counted", NONE, tags=tag)
    body = http.get("/stacks", params={"tags": tag, "limit": 1, "with_count": "true"}).json()
    assert len(body["stacks"]) == 1
    assert body["count"] == 2


def test_global_tenant_lists_every_project_for_an_admin_with_the_project(
    http: httpx.Client, server: Server, keystone: Keystone, stacks: Stacks
) -> None:
    someone = keystone.member()
    with client_for(server, someone) as other:
        made = other.post("/stacks", json={"stack_name": stacks.name("elsewhere"),
                                           "template": NONE})
        assert made.status_code == 201
    stack_id = made.json()["stack"]["id"]
    assert stack_id not in {s["id"] for s in http.get("/stacks").json()["stacks"]}
    every = http.get("/stacks", params={"global_tenant": "true"}).json()["stacks"]
    assert next(s for s in every if s["id"] == stack_id)["project"] == someone.project_id


def test_lookup_by_name_redirects_to_the_stack_keeping_the_query(
    http: httpx.Client, stacks: Stacks, endpoint: str
) -> None:
    stack = stacks.create("lookup", NONE)
    response = http.get(f"/stacks/{stack['stack_name']}",
                        params={"resolve_outputs": "false", "x": ["1", "2"]})
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"{endpoint}/stacks/{stack['stack_name']}/{stack['id']}"
        "?resolve_outputs=false&x=1&x=2")


def test_lookup_by_id_redirects_too(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("byid", NONE)
    response = http.get(f"/stacks/{stack['id']}")
    assert response.status_code == 302
    assert response.headers["location"].endswith(f"/stacks/{stack['stack_name']}/{stack['id']}")


def test_lookup_with_a_sub_path_redirects_to_that_sub_path(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("subpath", NONE)
    response = http.get(f"/stacks/{stack['stack_name']}/events", params={"sort_dir": "asc"})
    assert response.status_code == 302
    assert response.headers["location"].endswith(
        f"/stacks/{stack['stack_name']}/{stack['id']}/events?sort_dir=asc")


def test_lookup_by_arn_redirects_to_the_stack(
    http: httpx.Client, stacks: Stacks, endpoint: str, keystone: Keystone
) -> None:
    stack = stacks.create("arn", NONE)
    project = keystone.admin.project_id
    arn = f"arn:openstack:heat::{project}:stacks/{stack['stack_name']}/{stack['id']}"
    response = http.get(f"/stacks/{arn}")
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"{endpoint}/stacks/{stack['stack_name']}/{stack['id']}")


def test_a_deleted_stack_is_gone_by_name_but_shown_by_id(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("deleted", NONE)
    assert http.delete(stacks.url(stack)).status_code == 204
    gone = stacks.wait(stack["id"])
    assert gone["stack_status"] == "DELETE_COMPLETE"
    assert http.get(f"/stacks/{stack['stack_name']}").status_code == 404
    assert http.get(stacks.url(stack)).json()["stack"]["stack_status"] == "DELETE_COMPLETE"
    events = http.get(f"{stacks.url(stack)}/events", params={"limit": 1}).json()["events"]
    assert events[0]["resource_status"] == "DELETE_COMPLETE"
    listed = http.get("/stacks", params={"show_deleted": "true", "id": stack["id"]})
    assert [s["stack_status"] for s in listed.json()["stacks"]] == ["DELETE_COMPLETE"]
    assert http.get("/stacks", params={"id": stack["id"]}).json()["stacks"] == []


def test_show_gives_parameters_and_outputs_unless_told_not_to_resolve(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("shown", WITH_PARAMETER, parameters={"word": "hi"})
    assert stack["parameters"]["word"] == "hi"
    assert stack["parameters"]["OS::stack_name"] == stack["stack_name"]
    assert output(stack, "word") == "hi"
    unresolved = http.get(stacks.url(stack), params={"resolve_outputs": "false"}).json()
    assert "outputs" not in unresolved["stack"]


def test_show_under_another_name_is_not_found(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("named", NONE)
    response = http.get(f"/stacks/wrong/{stack['id']}")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "The Stack (wrong) could not be found."


def test_put_update_answers_202_and_converges_to_the_new_template(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("put", WITH_PARAMETER, parameters={"word": "one"})
    response = http.put(stacks.url(stack), json={"template": WITH_PARAMETER,
                                                 "parameters": {"word": "two"}})
    assert response.status_code == 202
    updated = stacks.wait(stack["id"])
    assert updated["stack_status"] == "UPDATE_COMPLETE"
    assert output(updated, "word") == "two"


def test_put_without_parameters_falls_back_to_the_defaults(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("putdefault", WITH_PARAMETER, parameters={"word": "one"})
    http.put(stacks.url(stack), json={"template": WITH_PARAMETER})
    assert output(stacks.wait(stack["id"]), "word") == "plain"


def test_patch_keeps_the_template_and_parameters_it_is_not_given(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("patch", WITH_PARAMETER, parameters={"word": "kept"}, tags="x")
    response = http.patch(stacks.url(stack), json={"tags": "y"})
    assert response.status_code == 202
    patched = stacks.wait(stack["id"])
    assert patched["stack_status"] == "UPDATE_COMPLETE"
    assert output(patched, "word") == "kept"
    assert patched["tags"] == ["y"]


def test_patch_clear_parameters_brings_back_the_default(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("clear", WITH_PARAMETER, parameters={"word": "given"})
    http.patch(stacks.url(stack), json={"clear_parameters": ["word"]})
    assert output(stacks.wait(stack["id"]), "word") == "plain"


def test_patch_environment_goes_on_top_of_the_stored_one(
    http: httpx.Client, stacks: Stacks
) -> None:
    stack = stacks.create("patchenv", WITH_PARAMETER, environment={"parameters": {"word": "a"}})
    http.patch(stacks.url(stack), json={"environment": {"parameters": {"word": "b"}}})
    assert output(stacks.wait(stack["id"]), "word") == "b"


def test_an_update_while_one_runs_is_a_conflict(http: httpx.Client, stacks: Stacks) -> None:
    slow = {"heat_template_version": "2018-08-31",
            "resources": {"t": {"type": "OS::Heat::TestResource",
                                "properties": {"action_wait_secs": {"create": 5}}}}}
    made = http.post("/stacks", json={"stack_name": stacks.name("busy"), "template": slow})
    stack = http.get(f"/stacks/{made.json()['stack']['id']}", follow_redirects=True).json()
    response = http.put(stacks.url(stack["stack"]), json={"template": NONE})
    assert response.status_code == 409
    assert response.json()["error"]["type"] == "ActionInProgress"
    # Stop the create rather than wait for it.
    http.post(f"{stacks.url(stack['stack'])}/actions", json={"cancel_without_rollback": None})
    assert stacks.wait(stack["stack"]["id"])["stack_status"] == "CREATE_FAILED"


def test_delete_answers_204_and_the_stack_goes(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("delete", NONE)
    # Heat's clients repeat the method on the redirect (httpx would turn it into a GET).
    found = http.delete(f"/stacks/{stack['stack_name']}")
    assert found.status_code == 302
    response = http.delete(found.headers["location"])
    assert response.status_code == 204
    assert stacks.wait(stack["id"])["stack_status"] == "DELETE_COMPLETE"


def test_preview_shows_the_resources_a_create_would_make(
    http: httpx.Client, stacks: Stacks
) -> None:
    name = stacks.name("preview")
    response = http.post("/stacks/preview", json={"stack_name": name, "template": NONE})
    assert response.status_code == 200
    body = response.json()["stack"]
    assert body["stack_name"] == name
    assert [r["resource_name"] for r in body["resources"]] == ["a"]
    assert http.get(f"/stacks/{name}").status_code == 404


def test_detail_lists_stacks_with_their_parameters(http: httpx.Client, stacks: Stacks) -> None:
    stack = stacks.create("detailed", WITH_PARAMETER)
    listed = http.get("/stacks/detail").json()["stacks"]
    found = next(s for s in listed if s["id"] == stack["id"])
    assert found["parameters"]["word"] == "plain"
