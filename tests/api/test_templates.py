"""Validate, template versions and functions, resource types, build info, services, and the
documents served without a project: versions and OpenAPI."""

from __future__ import annotations

import httpx
from tests.api.conftest import Server

VALID = {"heat_template_version": "2018-08-31",
         "parameters": {"size": {"type": "number", "default": 2}},
         "resources": {"a": {"type": "OS::Heat::None"}}}


def test_validate_gives_heats_parameters_body(http: httpx.Client) -> None:
    response = http.post("/validate", json={"template": VALID})
    assert response.status_code == 200
    body = response.json()
    assert body["Description"] == "No description"
    assert body["Parameters"]["size"]["Type"] == "Number"
    assert body["Parameters"]["size"]["Default"] == 2


def test_validate_answers_a_bad_template_as_heat_does(http: httpx.Client) -> None:
    bad = {"heat_template_version": "2018-08-31",
           "resources": {"a": {"type": "OS::No::Such"}}}
    response = http.post("/validate", json={"template": bad})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "HTTPBadRequest", "traceback": None,
        "message": "The Resource Type (OS::No::Such) could not be found."}


def test_validate_of_an_unknown_version_names_it(http: httpx.Client) -> None:
    response = http.post("/validate", json={"template": {"heat_template_version": "1999-01-01"}})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "InvalidTemplateVersion"


def test_template_versions_and_their_functions(http: httpx.Client) -> None:
    versions = http.get("/template_versions").json()["template_versions"]
    assert {"version": "heat_template_version.2016-10-14", "type": "hot",
            "aliases": ["heat_template_version.newton"]} in versions
    functions = http.get("/template_versions/heat_template_version.2016-04-08/functions")
    names = {f["functions"] for f in functions.json()["template_functions"]}
    assert {"get_param", "map_merge"} <= names and "if" not in names
    with_conditions = http.get("/template_versions/heat_template_version.2016-10-14/functions",
                               params={"with_condition_func": "true"})
    assert "equals" in {f["functions"] for f in with_conditions.json()["template_functions"]}


def test_functions_of_an_unknown_version_are_not_found(http: httpx.Client) -> None:
    response = http.get("/template_versions/heat_template_version.1999-01-01/functions")
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "NotFound"


def test_resource_types_list_filter_show_and_template(http: httpx.Client) -> None:
    types = http.get("/resource_types").json()["resource_types"]
    assert "OS::Heat::RandomString" in types
    filtered = http.get("/resource_types", params={"name": "OS::Heat::Random"}).json()
    assert filtered["resource_types"] == ["OS::Heat::RandomString"]
    schema = http.get("/resource_types/OS::Heat::RandomString").json()
    assert schema["resource_type"] == "OS::Heat::RandomString"
    assert "length" in schema["properties"]
    hot = http.get("/resource_types/OS::Heat::RandomString/template",
                   params={"template_type": "hot"}).json()
    assert hot["resources"]["RandomString"]["type"] == "OS::Heat::RandomString"


def test_an_unknown_resource_type_is_not_found(http: httpx.Client) -> None:
    response = http.get("/resource_types/OS::No::Such")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == (
        "The Resource Type (OS::No::Such) could not be found.")


def test_build_info_and_services(http: httpx.Client) -> None:
    info = http.get("/build_info").json()
    assert set(info) == {"api", "engine"}
    services = http.get("/services").json()["services"]
    assert any(s["status"] == "up" and s["topic"] == "engine" for s in services)


def test_software_configs_are_not_supported_yet(http: httpx.Client) -> None:
    response = http.get("/software_configs")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "NotSupported"


def test_the_version_document_is_at_the_root_and_at_v1(server: Server) -> None:
    for path in ("/", "/v1"):
        response = httpx.get(f"{server.url}{path}")
        assert response.status_code == 300
        (version,) = response.json()["versions"]
        assert (version["id"], version["status"]) == ("v1.0", "CURRENT")
        assert version["links"] == [{"rel": "self", "href": f"{server.url}/v1/"}]


def test_the_openapi_document_describes_the_routes(server: Server) -> None:
    document = httpx.get(f"{server.url}/openapi.json").json()
    paths = document["paths"]
    assert "post" in paths["/v1/{project_id}/stacks"]
    assert "get" in paths["/v1/{project_id}/stacks/{stack_name}/{stack_id}/events"]
    assert "StackShow" in document["components"]["schemas"]
