"""``calor stack hook poll|clear`` against a create paused in another ``calor`` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TEMPLATE = """\
heat_template_version: 2016-10-14
resources:
  db: {type: OS::Heat::TestResource}
  web: {type: OS::Heat::TestResource, properties: {value: {get_attr: [db, output]}}}
"""

ENVIRONMENT = """\
resource_registry:
  resources:
    db: {hooks: pre-create}
"""


def environ(home: Path) -> dict[str, str]:
    env = {**os.environ, "CALOR_HOME": str(home)}
    env.pop("CALOR_DATABASE_URL", None)
    return env


def calor(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calor", *args], capture_output=True, text=True,
        cwd=home, env=environ(home), timeout=60,
    )


@pytest.fixture
def creating(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """``stack create --wait hooked`` running in the background, paused on db's hook."""
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "env.yaml").write_text(ENVIRONMENT)
    process = subprocess.Popen(
        [sys.executable, "-m", "calor", "stack", "create", "-t", "t.yaml", "-e", "env.yaml",
         "--wait", "hooked", "-f", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env=environ(tmp_path),
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def poll_until_paused(home: Path) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = calor(home, "stack", "hook", "poll", "hooked", "-f", "json")
        if done.returncode == 0 and json.loads(done.stdout):
            return list(json.loads(done.stdout))
        time.sleep(0.1)
    raise AssertionError("the create never paused")


def test_poll_lists_the_paused_resource_and_clear_lets_the_create_finish(
    tmp_path: Path, creating: subprocess.Popen[str],
) -> None:
    (paused,) = poll_until_paused(tmp_path)
    assert list(paused) == ["Resource Name", "ID", "Resource Status Reason", "Resource Status",
                            "Event Time"]
    assert paused["Resource Name"] == "db"
    assert paused["Resource Status Reason"] == "CREATE paused until Hook pre-create is cleared"
    assert paused["Resource Status"] == "INIT_COMPLETE"

    nested = calor(tmp_path, "stack", "hook", "poll", "hooked", "--nested-depth", "2",
                   "-f", "json")
    assert nested.returncode == 0, nested.stderr
    assert [(r["Resource Name"], r["Stack Name"]) for r in json.loads(nested.stdout)] == [
        ("db", "hooked")]

    refused = calor(tmp_path, "stack", "hook", "clear", "hooked", "web")
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        'ERROR: The "pre-create" hook is not defined on TestResource "web" Stack "hooked" [')
    assert "Traceback" not in refused.stderr

    cleared = calor(tmp_path, "stack", "hook", "clear", "hooked", "db")
    assert (cleared.returncode, cleared.stdout, cleared.stderr) == (0, "", "")
    out, err = creating.communicate(timeout=60)
    assert creating.returncode == 0, err
    assert "[db]: INIT_COMPLETE  CREATE paused until Hook pre-create is cleared" in out
    assert "[db]: INIT_COMPLETE  Hook pre-create is cleared" in out
    assert json.loads(out[out.index("{"):])["Stack Status"] == "CREATE_COMPLETE"


def test_poll_and_clear_of_a_stack_not_in_progress_say_why(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    assert calor(tmp_path, "stack", "create", "-t", "t.yaml", "idle").returncode == 0
    done = calor(tmp_path, "stack", "hook", "poll", "idle")
    assert (done.returncode, done.stderr) == (
        1, "ERROR: Stack status CREATE_COMPLETE not IN_PROGRESS\n")
    # With the hook type given, clear asks the resource, which has no such hook.
    done = calor(tmp_path, "stack", "hook", "clear", "idle", "db", "--pre-create")
    assert done.returncode == 1
    assert done.stderr.startswith('ERROR: The "pre-create" hook is not defined on '
                                  'TestResource "db" [idle-db-')
