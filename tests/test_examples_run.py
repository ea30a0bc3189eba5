"""The examples run as the README says: created with the real ``calor``, no cloud needed."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from tests.cli.test_stack import EXAMPLES, calor


def test_hello_and_the_nested_group_create_and_delete(tmp_path: Path) -> None:
    for name, path in (("hello", "hello.yaml"), ("group", "nested/server_group.yaml")):
        done = calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / path), "--wait", name)
        assert done.returncode == 0, done.stderr
    names = json.loads(calor(tmp_path, "stack", "output", "show", "group", "names",
                             "-f", "json").stdout)["output_value"]
    assert names == ["member-0", "member-1", "member-2"]
    for name in ("hello", "group"):
        assert calor(tmp_path, "stack", "delete", "-y", "--wait", name).returncode == 0


def test_rollback_example_rolls_back_or_stays_failed(tmp_path: Path) -> None:
    path = str(EXAMPLES / "rollback.yaml")
    rolled = calor(tmp_path, "stack", "create", "-t", path, "--enable-rollback", "--wait", "rb")
    assert rolled.returncode == 1
    assert "ROLLBACK_COMPLETE" in rolled.stdout
    kept = calor(tmp_path, "stack", "create", "-t", path, "--wait", "kept")
    assert kept.returncode == 1
    failures = calor(tmp_path, "stack", "failures", "list", "kept")
    assert "kept.broken:" in failures.stdout
    assert "Test Resource failed broken" in failures.stdout


def test_wait_example_completes_when_signalled_from_another_process(tmp_path: Path) -> None:
    import os
    import sys
    env = {**os.environ, "CALOR_HOME": str(tmp_path)}
    env.pop("CALOR_DATABASE_URL", None)
    with subprocess.Popen(
        [sys.executable, "-m", "calor", "stack", "create", "-t", str(EXAMPLES / "wait.yaml"),
         "--wait", "waiting"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as creating:
        try:
            deadline = time.monotonic() + 30
            signalled = None
            while time.monotonic() < deadline:
                signalled = calor(tmp_path, "stack", "resource", "signal", "waiting", "handle",
                                  "--data", '{"status": "SUCCESS", "data": "up"}')
                if signalled.returncode == 0:
                    break
                time.sleep(0.2)
            assert signalled is not None and signalled.returncode == 0, signalled.stderr
            out, err = creating.communicate(timeout=60)
        finally:
            creating.kill()
    assert creating.returncode == 0, err
    assert "CREATE_COMPLETE" in out
    shown = json.loads(calor(tmp_path, "stack", "output", "show", "waiting", "signals",
                             "-f", "json").stdout)
    assert json.loads(shown["output_value"]) == {"1": "up"}
