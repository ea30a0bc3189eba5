"""``calor stack update --existing|--clear-parameter|--rollback`` and ``stack cancel``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.test_stack import EXAMPLES, calor

FAILING = """\
heat_template_version: 2021-04-16
parameters:
  greeting: {type: string, default: Hello}
resources:
  ok: {type: OS::Heat::TestResource, properties: {value: {get_param: greeting}}}
  broken: {type: OS::Heat::TestResource, depends_on: ok, properties: {fail: true}}
"""


def output(home: Path, stack: str, key: str) -> str:
    shown = calor(home, "stack", "output", "show", stack, key, "-f", "json")
    assert shown.returncode == 0, shown.stderr
    return str(json.loads(shown.stdout)["output_value"])


def test_update_existing_patches_one_parameter_and_clear_parameter_drops_it(
    tmp_path: Path,
) -> None:
    hello = str(EXAMPLES / "hello.yaml")
    assert calor(tmp_path, "stack", "create", "-t", hello, "--parameter", "greeting=Hi",
                 "demo").returncode == 0
    password = output(tmp_path, "demo", "password")
    patched = calor(tmp_path, "stack", "update", "--existing", "--parameter", "greeting=Howdy",
                    "demo", "-f", "json")
    assert patched.returncode == 0, patched.stderr
    assert json.loads(patched.stdout)["Stack Status"] == "UPDATE_COMPLETE"
    assert output(tmp_path, "demo", "message") == "Howdy from demo"
    assert output(tmp_path, "demo", "password") == password  # untouched resources stay
    cleared = calor(tmp_path, "stack", "update", "--existing", "--clear-parameter", "greeting",
                    "demo")
    assert cleared.returncode == 0, cleared.stderr
    assert output(tmp_path, "demo", "message") == "Hello from demo"


def test_update_needs_a_template_unless_existing(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    refused = calor(tmp_path, "stack", "update", "demo")
    assert refused.returncode == 2
    words = " ".join(re.sub("[│╭╮╰╯─]", " ", refused.stderr).split())
    assert "a template (-t) is needed unless --existing is given" in words


def test_create_with_rollback_ends_rollback_complete_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "failing.yaml").write_text(FAILING)
    done = calor(tmp_path, "stack", "create", "-t", "failing.yaml", "--enable-rollback",
                 "--wait", "rb")
    assert done.returncode == 1
    assert "[broken]: CREATE_FAILED" in done.stdout
    assert "[rb]: ROLLBACK_IN_PROGRESS  Stack ROLLBACK started" in done.stdout
    assert "[rb]: ROLLBACK_COMPLETE  Stack ROLLBACK completed successfully" in done.stdout
    shown = json.loads(calor(tmp_path, "stack", "show", "rb", "-f", "json").stdout)
    assert shown["stack_status"] == "ROLLBACK_COMPLETE"


def test_update_rollback_enabled_goes_back_to_the_old_parameters(tmp_path: Path) -> None:
    (tmp_path / "failing.yaml").write_text(FAILING)
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    done = calor(tmp_path, "stack", "update", "-t", "failing.yaml", "--rollback", "enabled",
                 "--parameter", "greeting=Bye", "demo", "-f", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["Stack Status"] == "ROLLBACK_COMPLETE"
    assert output(tmp_path, "demo", "message") == "Hello from demo"


def test_cancel_without_rollback_stops_a_create_in_another_process(tmp_path: Path) -> None:
    (tmp_path / "slow.yaml").write_text(
        "heat_template_version: 2021-04-16\nresources:\n"
        "  first: {type: OS::Heat::TestResource, properties: {wait_secs: 4}}\n"
        "  second: {type: OS::Heat::TestResource, depends_on: first}\n"
    )
    env = {**os.environ, "CALOR_HOME": str(tmp_path)}
    env.pop("CALOR_DATABASE_URL", None)
    with subprocess.Popen(
        [sys.executable, "-m", "calor", "stack", "create", "-t", "slow.yaml", "--wait", "slow"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as creating:
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                listed = calor(tmp_path, "stack", "resource", "list", "slow", "-f", "json")
                if listed.returncode == 0 and any(
                    r["resource_status"] == "CREATE_IN_PROGRESS"
                    for r in json.loads(listed.stdout)
                ):
                    break
                time.sleep(0.1)
            cancelled = calor(tmp_path, "stack", "cancel", "--no-rollback", "slow", "-f", "json")
            assert cancelled.returncode == 0, cancelled.stderr
            assert json.loads(cancelled.stdout)[0]["Stack Status"] == "CREATE_FAILED"
            out, _ = creating.communicate(timeout=60)
        finally:
            creating.kill()
    assert creating.returncode == 1
    assert "Stack CREATE cancelled" in out
    rows = {r["resource_name"]: r["resource_status"] for r in json.loads(
        calor(tmp_path, "stack", "resource", "list", "slow", "-f", "json").stdout)}
    assert rows == {"first": "CREATE_COMPLETE", "second": "INIT_COMPLETE"}


def test_cancel_of_an_idle_stack_is_refused(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "demo").returncode == 0
    refused = calor(tmp_path, "stack", "cancel", "demo")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "ERROR: Cancelling update when stack is CREATE_COMPLETE is not supported."
    )
