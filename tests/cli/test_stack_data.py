"""``calor stack snapshot|abandon|adopt|export|preview``, ``template show``,
``environment show`` and ``--dry-run``, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from calor.template.loader import load_template

APP = """\
heat_template_version: 2016-10-14
parameters:
  greeting: {type: string, default: hello}
  token: {type: string, default: sesame, hidden: true}
resources:
  secret: {type: OS::Heat::RandomString, properties: {length: 10}}
  app:
    type: OS::Heat::TestResource
    properties: {value: {get_param: greeting}}
outputs:
  app: {value: {get_attr: [app, output]}}
  secret: {value: {get_attr: [secret, value]}}
"""


def calor(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALOR_HOME": str(home)}
    env.pop("CALOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "calor", *args], capture_output=True, text=True,
        cwd=home, env=env, timeout=120,
    )


def ok(home: Path, *args: str) -> str:
    done = calor(home, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def create_app(home: Path, *params: str) -> None:
    (home / "app.yaml").write_text(APP)
    ok(home, "stack", "create", "-t", "app.yaml", "app",
       *[arg for p in params for arg in ("--parameter", p)])


def test_snapshot_create_list_show_restore_delete(tmp_path: Path) -> None:
    create_app(tmp_path, "greeting=before")
    created = json.loads(ok(tmp_path, "stack", "snapshot", "create", "app", "--name", "s1",
                            "-f", "json"))
    assert list(created) == ["ID", "name", "action", "status", "status_reason", "data",
                             "creation_time"]
    assert (created["name"], created["status"]) == ("s1", "COMPLETE")
    listed = json.loads(ok(tmp_path, "stack", "snapshot", "list", "app", "-f", "json"))
    assert [(s["id"], s["name"], s["status"]) for s in listed] == [
        (created["ID"], "s1", "COMPLETE")]
    assert list(listed[0]) == ["id", "name", "action", "status", "status_reason",
                               "creation_time"]
    # ``snapshot show`` prints YAML unless told otherwise, as osc does.
    shown = yaml.safe_load(ok(tmp_path, "stack", "snapshot", "show", "app", created["ID"]))
    assert shown["data"]["environment"]["parameters"]["greeting"] == "before"

    ok(tmp_path, "stack", "update", "-t", "app.yaml", "app", "--parameter", "greeting=after")
    assert ok(tmp_path, "stack", "snapshot", "restore", "app", created["ID"]) == ""
    stack = json.loads(ok(tmp_path, "stack", "show", "app", "-f", "json"))
    assert stack["stack_status"] == "RESTORE_COMPLETE"
    assert {o["output_key"]: o["output_value"] for o in stack["outputs"]}["app"] == "before"

    ok(tmp_path, "stack", "snapshot", "delete", "app", created["ID"], "-y")
    assert json.loads(ok(tmp_path, "stack", "snapshot", "list", "app", "-f", "json")) == []


def test_snapshot_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "heat_template_version: 2016-10-14\n"
        "resources:\n  bad: {type: OS::Heat::TestResource, properties: {fail: true}}\n"
    )
    assert calor(tmp_path, "stack", "create", "-t", "bad.yaml", "broken").returncode == 1
    refused = calor(tmp_path, "stack", "snapshot", "create", "broken")
    assert (refused.returncode, refused.stderr) == (
        1, "ERROR: Stack broken has an action (CREATE) in progress or failed state.\n")
    missing = calor(tmp_path, "stack", "snapshot", "restore", "broken", "nope")
    assert (missing.returncode, missing.stderr) == (
        1, "ERROR: The Snapshot (nope) could not be found.\n")


def test_export_abandon_and_adopt_keep_the_resources(tmp_path: Path) -> None:
    create_app(tmp_path, "token=open")
    exported = json.loads(ok(tmp_path, "stack", "export", "app"))
    assert exported["name"] == "app"
    assert yaml.safe_load(ok(tmp_path, "stack", "template", "show", "app")) == load_template(APP)
    environment = yaml.safe_load(ok(tmp_path, "stack", "environment", "show", "app"))
    assert list(environment) == ["parameters", "resource_registry", "parameter_defaults"]
    assert environment["parameters"] == {"token": "******"}

    assert ok(tmp_path, "stack", "abandon", "app", "--output-file", "app.json") == ""
    abandoned = json.loads((tmp_path / "app.json").read_text())
    assert abandoned["resources"] == exported["resources"]
    adopted = ok(tmp_path, "stack", "adopt", "again", "--adopt-file", "app.json", "--wait",
                 "-f", "json")
    assert "[again]: ADOPT_COMPLETE  Stack ADOPT completed successfully" in adopted
    resources = json.loads(ok(tmp_path, "stack", "resource", "list", "again", "-f", "json"))
    assert {r["resource_name"]: r["physical_resource_id"] for r in resources} == {
        name: entry["resource_id"] for name, entry in exported["resources"].items()}


def test_adopt_of_bad_data_says_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text('{"resources": {}}')
    done = calor(tmp_path, "stack", "adopt", "x", "--adopt-file", "data.json")
    assert (done.returncode, done.stderr) == (
        1, "ERROR: Invalid adopt data: 'template' is missing\n")


def test_preview_shows_the_would_be_stack_and_stores_nothing(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(APP)
    body = json.loads(ok(tmp_path, "stack", "preview", "app", "-t", "app.yaml",
                         "--parameter", "greeting=hi", "-f", "json"))
    assert list(body) == sorted(body)
    assert {r["resource_name"]: r["resource_action"] for r in body["resources"]} == {
        "secret": "INIT", "app": "INIT"}
    assert body["parameters"]["greeting"] == "hi"
    assert json.loads(ok(tmp_path, "stack", "list", "-f", "json")) == []


def test_update_dry_run_lists_the_changes_by_kind(tmp_path: Path) -> None:
    create_app(tmp_path)
    (tmp_path / "next.yaml").write_text(APP.replace("length: 10", "length: 12"))
    changes = json.loads(ok(tmp_path, "stack", "update", "--dry-run", "-t", "next.yaml",
                            "app", "--parameter", "greeting=hi", "-f", "json"))
    assert list(changes) == ["added", "deleted", "replaced", "unchanged", "updated"]
    assert [r["resource_name"] for r in changes["replaced"]] == ["secret"]
    assert [r["resource_name"] for r in changes["updated"]] == ["app"]
