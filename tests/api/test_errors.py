"""Every error is Heat's fault body with Heat's status, never a 500 or a traceback."""

from __future__ import annotations

from typing import Any

import httpx


def fault(response: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "title", "explanation", "error"}
    assert body["code"] == status
    assert set(body["error"]) == {"type", "message", "traceback"}
    assert body["error"]["type"] == error_type
    assert body["error"]["traceback"] is None
    return body


def test_unknown_route_is_heats_not_found(http: httpx.Client) -> None:
    body = fault(http.get("/no-such-thing"), 404, "HTTPNotFound")
    assert body["title"] == "Not Found"
    assert body["explanation"] == "The resource could not be found."


def test_wrong_method_is_method_not_allowed_with_allow_header(http: httpx.Client) -> None:
    response = http.put("/stacks")
    body = fault(response, 405, "HTTPMethodNotAllowed")
    assert body["error"]["message"] == "The method PUT is not allowed for this resource."
    assert response.headers["allow"] == "GET,POST"


def test_options_answers_the_methods_a_path_takes(http: httpx.Client) -> None:
    response = http.options("/stacks/some-stack/some-id/snapshots")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET,POST"


def test_malformed_json_is_a_bad_request(http: httpx.Client) -> None:
    response = http.post("/stacks", content=b"{not json",
                         headers={"content-type": "application/json"})
    body = fault(response, 400, "HTTPBadRequest")
    assert body["error"]["message"].startswith("Malformed JSON body")


def test_body_of_the_wrong_shape_is_a_bad_request(http: httpx.Client) -> None:
    body = fault(http.post("/stacks", json=["a", "list"]), 400, "HTTPBadRequest")
    assert "valid dictionary" in body["error"]["message"]


def test_create_without_a_name_says_so(http: httpx.Client) -> None:
    body = fault(http.post("/stacks", json={"template": {}}), 400, "HTTPBadRequest")
    assert body["error"]["message"] == "No stack name specified"


def test_create_without_a_template_says_so(http: httpx.Client) -> None:
    body = fault(http.post("/stacks", json={"stack_name": "x"}), 400, "HTTPBadRequest")
    assert body["error"]["message"] == "No template specified"


def test_unknown_stack_is_entity_not_found(http: httpx.Client) -> None:
    body = fault(http.get("/stacks/nosuchstack"), 404, "EntityNotFound")
    assert body["error"]["message"] == "The Stack (nosuchstack) could not be found."


def test_invalid_template_is_stack_validation_failed_with_its_path(http: httpx.Client) -> None:
    template = {"heat_template_version": "2018-08-31",
                "resources": {"r": {"type": "OS::Heat::RandomString",
                                    "properties": {"length": "many"}}}}
    body = fault(http.post("/stacks", json={"stack_name": "bad", "template": template}),
                 400, "StackValidationFailed")
    assert body["error"]["message"] == ("Property error: resources.r.properties.length: "
                                        "Value 'many' is not an integer")


def test_bad_boolean_parameter_gives_heats_message(http: httpx.Client) -> None:
    body = fault(http.get("/stacks", params={"show_deleted": "maybe"}), 400, "HTTPBadRequest")
    assert body["error"]["message"] == ('Unrecognized value "maybe" for "show_deleted", '
                                        "acceptable values are: true, false.")


def test_bad_integer_parameter_gives_heats_message(http: httpx.Client) -> None:
    body = fault(http.get("/stacks", params={"limit": "ten"}), 400, "HTTPBadRequest")
    assert body["error"]["message"] == "Only integer is acceptable by 'limit'."


def test_a_body_over_the_json_size_limit_is_refused(http: httpx.Client) -> None:
    huge = b'{"stack_name": "big", "files": {"f": "' + b"x" * 1_100_000 + b'"}}'
    body = fault(http.post("/stacks", content=huge, headers={"content-type": "application/json"}),
                 400, "RequestLimitExceeded")
    assert body["error"]["message"] == (
        f"JSON body size ({len(huge)} bytes) exceeds maximum allowed size (1048576 bytes).")
