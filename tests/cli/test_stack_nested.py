"""Nested stacks through the real ``calor`` command: ``--nested-depth`` lists and failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

GROUP = """\
heat_template_version: 2016-10-14
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def: {type: box.yaml, properties: {fail: FAIL}}
"""

BOX = """\
heat_template_version: 2016-10-14
parameters:
  fail: {type: boolean, default: false}
resources:
  inner: {type: OS::Heat::TestResource, properties: {fail: {get_param: fail}}}
"""


def calor(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALOR_HOME": str(home)}
    env.pop("CALOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "calor", *args], capture_output=True, text=True,
        cwd=home, env=env, timeout=120,
    )


def create(home: Path, name: str, *, fail: bool) -> subprocess.CompletedProcess[str]:
    (home / "top.yaml").write_text(GROUP.replace("FAIL", "true" if fail else "false"))
    (home / "box.yaml").write_text(BOX)
    return calor(home, "stack", "create", "-t", "top.yaml", name)


def test_resource_list_nested_depth_adds_the_nested_resources_and_their_stack(
    tmp_path: Path,
) -> None:
    assert create(tmp_path, "demo", fail=False).returncode == 0
    plain = json.loads(calor(tmp_path, "stack", "resource", "list", "demo", "-f", "json").stdout)
    assert [(r["resource_name"], "stack_name" in r) for r in plain] == [("group", False)]
    done = calor(tmp_path, "stack", "resource", "list", "-n", "2", "demo", "-f", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    group = rows[0]
    assert (group["resource_name"], group["stack_name"]) == ("group", "demo")
    # Then the group's members, in its nested stack <stack>-<resource>-<short id> ...
    assert [r["resource_name"] for r in rows[1:3]] == ["0", "1"]
    (group_stack,) = {r["stack_name"] for r in rows[1:3]}
    assert group_stack.startswith("demo-group-")
    # ... then, two levels down, what each member's provider template holds.
    inner = rows[3:]
    assert [(r["resource_name"], r["resource_status"]) for r in inner] == [
        ("inner", "CREATE_COMPLETE"), ("inner", "CREATE_COMPLETE")
    ]
    assert inner[0]["stack_name"].startswith(f"{group_stack}-0-")
    assert inner[1]["stack_name"].startswith(f"{group_stack}-1-")
    # Nested stacks are not stacks of their own in the list.
    stacks = json.loads(calor(tmp_path, "stack", "list", "-f", "json").stdout)
    assert [s["Stack Name"] for s in stacks] == ["demo"]


def test_event_list_nested_depth_interleaves_the_nested_stacks_events(tmp_path: Path) -> None:
    assert create(tmp_path, "demo", fail=False).returncode == 0
    done = calor(tmp_path, "stack", "event", "list", "--nested-depth", "1", "demo", "-f", "json")
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert list(events[0]) == [
        "resource_name", "id", "resource_status", "resource_status_reason", "event_time",
        "physical_resource_id", "stack_name", "logical_resource_id",
    ]
    child = next(e["stack_name"] for e in events if e["stack_name"] != "demo")
    seen = [(e["stack_name"], e["resource_name"], e["resource_status"]) for e in events]
    assert seen.index(("demo", "group", "CREATE_IN_PROGRESS")) < seen.index(
        (child, child, "CREATE_IN_PROGRESS")
    ) < seen.index((child, "0", "CREATE_COMPLETE")) < seen.index(
        ("demo", "group", "CREATE_COMPLETE")
    )
    assert seen[-1] == ("demo", "demo", "CREATE_COMPLETE")
    # One level down only: the members' own nested stacks are not shown.
    assert "inner" not in {e["resource_name"] for e in events}


def test_failures_list_names_the_failed_resources_by_their_nested_path(tmp_path: Path) -> None:
    assert create(tmp_path, "broken", fail=True).returncode == 1
    done = calor(tmp_path, "stack", "failures", "list", "broken")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sorted(line for line in lines if not line.startswith(" ")) == [
        "broken.group.0.inner:", "broken.group.1.inner:",
    ]
    first = lines.index(next(line for line in lines if line.endswith(".inner:")))
    assert lines[first + 1:first + 6] == [
        "  resource_type: OS::Heat::TestResource",
        "  physical_resource_id: None",
        "  status: CREATE_FAILED",
        "  status_reason: |",
        "    ResourceFailure: resources.inner: Test Resource failed inner",
    ]
