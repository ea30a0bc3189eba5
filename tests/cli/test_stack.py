"""``calor stack ...`` in embedded mode, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def calor(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALOR_HOME": str(home)}
    env.pop("CALOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "calor", *args], capture_output=True, text=True,
        cwd=home, env=env, timeout=120,
    )


def test_create_wait_streams_events_and_exits_0_when_complete(tmp_path: Path) -> None:
    done = calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"), "--wait",
                 "demo", "-f", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("[demo]: CREATE_IN_PROGRESS  Stack CREATE started")
    assert any("[password]: CREATE_COMPLETE  state changed" in line for line in lines)
    body = json.loads(done.stdout[done.stdout.index("{"):])
    assert body["Stack Status"] == "CREATE_COMPLETE"
    assert (tmp_path / "calor.db").exists()


def test_show_gives_heats_fields_with_outputs(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    done = calor(tmp_path, "stack", "show", "demo", "-f", "json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["stack_name"] == "demo"
    assert body["stack_status"] == "CREATE_COMPLETE"
    assert body["parameters"]["OS::stack_name"] == "demo"
    outputs = {o["output_key"]: o for o in body["outputs"]}
    assert outputs["message"]["output_value"] == "Hello from demo"
    assert len(outputs["password"]["output_value"]) == 12


def test_list_resources_and_outputs(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    stacks = json.loads(calor(tmp_path, "stack", "list", "-f", "json").stdout)
    assert [s["Stack Name"] for s in stacks] == ["demo"]
    resources = json.loads(calor(tmp_path, "stack", "resource", "list", "demo",
                                 "-f", "json").stdout)
    assert {r["resource_name"]: r["resource_status"] for r in resources} == {
        "password": "CREATE_COMPLETE", "message": "CREATE_COMPLETE"
    }
    shown = json.loads(calor(tmp_path, "stack", "output", "show", "demo", "message",
                             "-f", "json").stdout)
    assert shown["output_value"] == "Hello from demo"


def test_a_failing_create_exits_1_with_the_reason(tmp_path: Path) -> None:
    template = tmp_path / "fail.yaml"
    template.write_text(
        "heat_template_version: 2016-10-14\n"
        "resources:\n  bad: {type: OS::Heat::TestResource, properties: {fail: true}}\n"
    )
    done = calor(tmp_path, "stack", "create", "-t", "fail.yaml", "--wait", "broken")
    assert done.returncode == 1
    assert "CREATE_FAILED  Resource CREATE failed: ResourceFailure: resources.bad: " \
           "Test Resource failed bad" in done.stdout
    failures = calor(tmp_path, "stack", "failures", "list", "broken")
    assert failures.stdout.splitlines()[:4] == [
        "broken.bad:", "  resource_type: OS::Heat::TestResource",
        "  physical_resource_id: None", "  status: CREATE_FAILED",
    ]
    assert "Test Resource failed bad" in failures.stdout


def test_create_refuses_a_missing_required_parameter_before_doing_anything(
    tmp_path: Path,
) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("heat_template_version: 2016-10-14\nparameters:\n  key: {type: string}\n")
    done = calor(tmp_path, "stack", "create", "-t", "t.yaml", "s")
    assert done.returncode == 1
    assert done.stderr.strip() == "ERROR: The Parameter (key) was not provided. (t.yaml, line 3)"
    assert json.loads(calor(tmp_path, "stack", "list", "-f", "json").stdout) == []


def test_a_second_stack_with_the_same_name_is_refused(tmp_path: Path) -> None:
    args = ("stack", "create", "-t", str(EXAMPLES / "hello.yaml"), "demo")
    assert calor(tmp_path, *args).returncode == 0
    again = calor(tmp_path, *args)
    assert again.returncode == 1
    assert again.stderr.strip() == "ERROR: The Stack (demo) already exists."


def test_delete_yes_wait_deletes_without_asking(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    done = calor(tmp_path, "stack", "delete", "-y", "--wait", "demo")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("[demo]: DELETE_IN_PROGRESS  Stack DELETE started")
    assert lines[-1].endswith("[demo]: DELETE_COMPLETE  Stack DELETE completed successfully")
    assert json.loads(calor(tmp_path, "stack", "list", "-f", "json").stdout) == []


def test_show_of_an_unknown_stack_is_a_clear_error(tmp_path: Path) -> None:
    done = calor(tmp_path, "stack", "show", "nope")
    assert done.returncode == 1
    assert done.stderr.strip() == "ERROR: The Stack (nope) could not be found."


def test_update_wait_shows_the_update_and_changes_outputs(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    done = calor(tmp_path, "stack", "update", "demo", "-t", str(EXAMPLES / "hello.yaml"),
                 "--parameter", "greeting=Howdy", "--wait")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("[demo]: UPDATE_IN_PROGRESS  Stack UPDATE started")
    assert "UPDATE_COMPLETE  Stack UPDATE completed successfully" in done.stdout
    shown = json.loads(calor(tmp_path, "stack", "output", "show", "demo", "message",
                             "-f", "json").stdout)
    assert shown["output_value"] == "Howdy from demo"


def test_event_list_shows_every_state_change_oldest_first(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    events = json.loads(calor(tmp_path, "stack", "event", "list", "demo", "-f", "json").stdout)
    states = [(e["resource_name"], e["resource_status"]) for e in events]
    assert states[0] == ("demo", "CREATE_IN_PROGRESS")
    assert states[-1] == ("demo", "CREATE_COMPLETE")
    assert ("message", "CREATE_COMPLETE") in states
