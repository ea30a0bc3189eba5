"""``calor stack check|suspend|resume`` in embedded mode, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TEMPLATE = """\
heat_template_version: 2016-10-14
resources:
  db: {type: OS::Heat::TestResource}
  web: {type: OS::Heat::TestResource, properties: {value: {get_attr: [db, output]}}}
  note: {type: OS::Heat::Value, properties: {value: {get_attr: [web, output]}}}
"""


def calor(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALOR_HOME": str(home)}
    env.pop("CALOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "calor", *args], capture_output=True, text=True,
        cwd=home, env=env, timeout=60,
    )


def created(home: Path, *names: str) -> None:
    (home / "t.yaml").write_text(TEMPLATE)
    for name in names:
        assert calor(home, "stack", "create", "-t", "t.yaml", name).returncode == 0


def test_suspend_and_resume_wait_stream_the_events_in_order(tmp_path: Path) -> None:
    created(tmp_path, "st")
    done = calor(tmp_path, "stack", "suspend", "st", "--wait", "-f", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("[st]: SUSPEND_IN_PROGRESS  Stack SUSPEND started")
    order = [line.split(" [", 1)[1] for line in lines if "  state changed" in line]
    assert order == [f"{name}]: SUSPEND_{status}  state changed"
                     for name in ("note", "web", "db") for status in ("IN_PROGRESS", "COMPLETE")]
    (row,) = json.loads(done.stdout[done.stdout.index("[\n"):])
    assert list(row) == ["ID", "Stack Name", "Stack Status", "Creation Time", "Updated Time"]
    assert (row["Stack Name"], row["Stack Status"]) == ("st", "SUSPEND_COMPLETE")

    resumed = calor(tmp_path, "stack", "resume", "st", "-f", "json")
    assert resumed.returncode == 0, resumed.stderr
    assert [r["Stack Status"] for r in json.loads(resumed.stdout)] == ["RESUME_COMPLETE"]
    events = json.loads(calor(tmp_path, "stack", "event", "list", "st", "-f", "json").stdout)
    resumes = [e["resource_name"] for e in events
               if e["resource_status"] == "RESUME_COMPLETE" and e["resource_name"] != "st"]
    assert resumes == ["db", "web", "note"]


def test_check_takes_several_stacks_and_a_failure_exits_1_with_the_reason(
    tmp_path: Path,
) -> None:
    created(tmp_path, "one", "two")
    done = calor(tmp_path, "stack", "check", "one", "two", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert [(r["Stack Name"], r["Stack Status"]) for r in json.loads(done.stdout)] == [
        ("one", "CHECK_COMPLETE"), ("two", "CHECK_COMPLETE")]

    # Heat resumes only what was suspended.
    failed = calor(tmp_path, "stack", "resume", "one")
    assert failed.returncode == 1
    assert "RESUME_FAILED" in failed.stdout
    assert failed.stderr == (
        "ERROR: Stack one is RESUME_FAILED: Resource RESUME failed: Error: resources.db: "
        "State ('CHECK', 'COMPLETE') invalid for resume\n")

    unknown = calor(tmp_path, "stack", "suspend", "nothing")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("ERROR: ")
    assert "nothing" in unknown.stderr and "Traceback" not in unknown.stderr
