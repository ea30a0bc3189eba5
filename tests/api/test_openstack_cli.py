"""``openstack stack ...`` (python-openstackclient with python-heatclient) against calor serve.

Each command is a new ``openstack`` process, as a user would run it. The
stack most of them look at is created once by ``openstack stack create
--wait``; then every other command runs at once (each process takes seconds
to start, mostly importing), and each test checks one command's result.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.conftest import Stacks

Run = Callable[..., subprocess.CompletedProcess[str]]

TEMPLATE = """\
heat_template_version: 2018-08-31
description: two resources and an output
parameters:
  length: {type: number, default: 8}
resources:
  secret:
    type: OS::Heat::RandomString
    properties: {length: {get_param: length}}
  after:
    type: OS::Heat::None
    depends_on: secret
outputs:
  value:
    description: the random string
    value: {get_attr: [secret, value]}
"""

def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(result))


@pytest.fixture(scope="module")
def template_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "two.yaml"
    path.write_text(TEMPLATE)
    return path


@pytest.fixture(scope="module")
def created(openstack: Run, template_file: Path) -> tuple[str, str]:
    """A stack made by ``openstack stack create --wait``: its name and the command's output."""
    name = f"cli-{uuid.uuid4().hex[:8]}"
    result = openstack("stack", "create", "-t", str(template_file), "--parameter", "length=5",
                       "--wait", "--poll", "1", name)
    return name, ok(result)


@pytest.fixture(scope="module")
def others(stacks: Stacks, http: httpx.Client) -> dict[str, str]:
    """Stacks (made through the API) for the commands that change one."""
    template = {"heat_template_version": "2018-08-31",
                "parameters": {"length": {"type": "number", "default": 8}},
                "resources": {"secret": {"type": "OS::Heat::RandomString",
                                         "properties": {"length": {"get_param": "length"}}}},
                "outputs": {"value": {"value": {"get_attr": ["secret", "value"]}}}}
    return {use: stacks.create(f"cli-{use}", template)["stack_name"]
            for use in ("update", "delete", "snapshot")}


@pytest.fixture(scope="module")
def results(
    openstack: Run, created: tuple[str, str], others: dict[str, str], template_file: Path
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every other command, run at the same time; each result by its name."""
    name, _ = created
    commands: dict[str, tuple[str, ...]] = {
        "list": ("stack", "list", "-f", "json"),
        "show": ("stack", "show", name, "-f", "json"),
        "events": ("stack", "event", "list", name),
        "output": ("stack", "output", "show", name, "value", "-f", "json"),
        "resources": ("stack", "resource", "list", name, "-f", "json"),
        "snapshot": ("stack", "snapshot", "create", others["snapshot"], "--name", "first",
                     "-f", "json"),
        "validate": ("orchestration", "template", "validate", "-t", str(template_file),
                     "-f", "json"),
        "types": ("orchestration", "resource", "type", "list", "-f", "json"),
        "update": ("stack", "update", "-t", str(template_file), "--parameter", "length=9",
                   "--wait", others["update"]),
        "delete": ("stack", "delete", "--yes", "--wait", others["delete"]),
    }
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        futures = {key: pool.submit(openstack, *args) for key, args in commands.items()}
        return {key: future.result() for key, future in futures.items()}


def test_stack_create_wait_prints_events_until_create_complete(created: tuple[str, str]) -> None:
    name, output = created
    assert f"[{name}]: CREATE_IN_PROGRESS  Stack CREATE started" in output
    assert f"[{name}.secret]: CREATE_COMPLETE" in output
    assert f"[{name}]: CREATE_COMPLETE  Stack CREATE completed successfully" in output


def test_stack_list_shows_the_stack(
    results: dict[str, subprocess.CompletedProcess[str]], created: tuple[str, str]
) -> None:
    name, _ = created
    listed = as_json(results["list"])
    assert {"Stack Name": name, "Stack Status": "CREATE_COMPLETE"}.items() <= next(
        s for s in listed if s["Stack Name"] == name).items()


def test_stack_show_gives_parameters_and_resolved_outputs(
    results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    shown = as_json(results["show"])
    assert shown["stack_status"] == "CREATE_COMPLETE"
    assert shown["parameters"]["length"] == "5"
    (output,) = shown["outputs"]
    assert output["output_key"] == "value" and len(output["output_value"]) == 5


def test_stack_event_list_shows_the_stack_and_resource_events(
    results: dict[str, subprocess.CompletedProcess[str]], created: tuple[str, str]
) -> None:
    name, _ = created
    events = ok(results["events"])
    assert f"[{name}]: CREATE_COMPLETE  Stack CREATE completed successfully" in events
    assert f"[{name}.after]: CREATE_COMPLETE" in events


def test_stack_output_show_gives_the_value(
    results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    shown = as_json(results["output"])
    assert shown["output_key"] == "value" and len(shown["output_value"]) == 5


def test_stack_resource_list_lists_both_resources(
    results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    listed = as_json(results["resources"])
    assert {(r["resource_name"], r["resource_status"]) for r in listed} == {
        ("secret", "CREATE_COMPLETE"), ("after", "CREATE_COMPLETE")}


def test_stack_snapshot_create_takes_a_complete_snapshot(
    results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    taken = as_json(results["snapshot"])
    assert (taken["name"], taken["status"]) == ("first", "COMPLETE")


def test_stack_update_wait_converges_to_new_parameters(
    results: dict[str, subprocess.CompletedProcess[str]], others: dict[str, str],
    http: httpx.Client,
) -> None:
    name = others["update"]
    output = ok(results["update"])
    assert f"[{name}]: UPDATE_COMPLETE  Stack UPDATE completed successfully" in output
    stack = http.get(f"/stacks/{name}", follow_redirects=True).json()["stack"]
    assert len(stack["outputs"][0]["output_value"]) == 9


def test_stack_delete_wait_ends_when_the_stack_is_gone(
    results: dict[str, subprocess.CompletedProcess[str]], others: dict[str, str],
    http: httpx.Client,
) -> None:
    # heatclient stops at the DELETE_COMPLETE event or, once the stack is gone, at the 404.
    ok(results["delete"])
    assert http.get(f"/stacks/{others['delete']}").status_code == 404


def test_template_validate_prints_the_parameters(
    results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    shown = as_json(results["validate"])
    assert shown["Parameters"]["length"]["Default"] == 8


def test_resource_type_list_lists_calors_types(
    results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    names = {t["Resource Type"] for t in as_json(results["types"])}
    assert {"OS::Heat::None", "OS::Heat::RandomString"} <= names
