"""``calor stack resource show|metadata|signal`` and ``stack event show``, as a user runs them.

The wait condition test runs ``calor stack create --wait`` in one process
and signals it with ``calor stack resource signal`` from others: the two
share only the SQLite database in CALOR_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

WAIT_TEMPLATE = """\
heat_template_version: 2016-10-14
resources:
  handle: {type: OS::Heat::WaitConditionHandle}
  wait:
    type: OS::Heat::WaitCondition
    properties: {handle: {get_resource: handle}, count: 2, timeout: 30}
outputs:
  data: {value: {get_attr: [wait, data]}}
"""

# Completes by itself: a NO_SIGNAL handle counts as signalled at each look.
DONE_TEMPLATE = """\
heat_template_version: 2016-10-14
resources:
  handle:
    type: OS::Heat::WaitConditionHandle
    properties: {signal_transport: NO_SIGNAL}
  wait:
    type: OS::Heat::WaitCondition
    properties: {handle: {get_resource: handle}, timeout: 10}
  box:
    type: OS::Heat::TestResource
    description: a box to hold things
    properties: {value: kept}
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


class Creating:
    """``stack create --wait wc`` running in the background; its output as it comes."""

    def __init__(self, home: Path) -> None:
        (home / "wc.yaml").write_text(WAIT_TEMPLATE)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "calor", "stack", "create", "-t", "wc.yaml", "--wait", "wc"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=home,
            env={**environ(home), "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []

    def until_waiting(self) -> None:
        """Read the event lines until the wait condition has started waiting."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "[wait]: CREATE_IN_PROGRESS" in line:
                return
        raise AssertionError("the create ended before waiting: " + "".join(self.lines))

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, "".join(self.lines) + out, err


@pytest.fixture
def creating(tmp_path: Path) -> Iterator[Creating]:
    running = Creating(tmp_path)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
        running.process.communicate()


@pytest.fixture(scope="module")
def done_stack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the completed stack ``done`` (the tests only read it)."""
    home = tmp_path_factory.mktemp("done")
    (home / "done.yaml").write_text(DONE_TEMPLATE)
    created = calor(home, "stack", "create", "-t", "done.yaml", "done")
    assert created.returncode == 0, created.stderr
    return home


def test_signals_from_other_processes_complete_a_waiting_create(
    tmp_path: Path, creating: Creating,
) -> None:
    creating.until_waiting()
    first = calor(tmp_path, "stack", "resource", "signal", "wc", "handle",
                  "--data", '{"data": "one"}')
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert creating.process.poll() is None  # one signal of two
    (tmp_path / "signal.json").write_text('{"id": "web", "reason": "web up", "data": [1]}')
    second = calor(tmp_path, "stack", "resource", "signal", "wc", "handle",
                   "--data-file", "signal.json")
    assert (second.returncode, second.stderr) == (0, "")

    code, out, err = creating.finish()
    assert code == 0, err
    assert "[handle]: SIGNAL_COMPLETE  Signal: status:SUCCESS reason:Signal 1 received" in out
    assert "[handle]: SIGNAL_COMPLETE  Signal: status:SUCCESS reason:web up" in out
    assert "[wc]: CREATE_COMPLETE  Stack CREATE completed successfully" in out
    shown = json.loads(calor(tmp_path, "stack", "show", "wc", "-f", "json").stdout)
    (output,) = shown["outputs"]
    assert json.loads(output["output_value"]) == {"1": "one", "web": [1]}


def test_a_failure_signal_from_another_process_fails_the_create(
    tmp_path: Path, creating: Creating,
) -> None:
    creating.until_waiting()
    failed = calor(tmp_path, "stack", "resource", "signal", "wc", "handle",
                   "--data", '{"status": "FAILURE", "reason": "no disk"}')
    assert failed.returncode == 0, failed.stderr
    code, out, _ = creating.finish()
    assert code == 1
    assert ("[wait]: CREATE_FAILED  WaitConditionFailure: resources.wait: no disk") in out
    assert ("[wc]: CREATE_FAILED  Resource CREATE failed: WaitConditionFailure: "
            "resources.wait: no disk") in out


def test_resource_show_gives_heats_body_sorted_with_live_attributes(done_stack: Path) -> None:
    shown = calor(done_stack, "stack", "resource", "show", "done", "box", "-f", "json",
                  "--with-attr", "nothing")
    assert shown.returncode == 0, shown.stderr
    body: dict[str, Any] = json.loads(shown.stdout)
    assert list(body) == sorted(body)
    assert body["resource_name"] == body["logical_resource_id"] == "box"
    assert body["resource_type"] == "OS::Heat::TestResource"
    assert body["resource_status"] == "CREATE_COMPLETE"
    assert body["resource_status_reason"] == "state changed"
    assert body["description"] == "a box to hold things"
    assert body["physical_resource_id"].startswith("done-box-")
    assert body["attributes"] == {"output": "kept", "nothing": None}
    assert body["required_by"] == []
    assert [link["rel"] for link in body["links"]] == ["self", "stack"]
    assert body["links"][0]["href"].endswith("/stacks/done/" + body["links"][1]["href"]
                                             .rsplit("/", 1)[1] + "/resources/box")

    handle = json.loads(calor(done_stack, "stack", "resource", "show", "done", "handle",
                              "-f", "json").stdout)
    assert handle["required_by"] == ["wait"]
    assert handle["attributes"]["signal"] == "{}"
    assert handle["attributes"]["token"] is None


def test_resource_metadata_of_a_handle_shows_its_signals(done_stack: Path) -> None:
    metadata = calor(done_stack, "stack", "resource", "metadata", "done", "handle")
    assert metadata.returncode == 0, metadata.stderr
    assert json.loads(metadata.stdout) == {
        "1": {"data": None, "reason": "Signal 1 received", "status": "SUCCESS"}
    }
    as_yaml = calor(done_stack, "stack", "resource", "metadata", "done", "box", "-f", "yaml")
    assert (as_yaml.returncode, as_yaml.stdout) == (0, "{}\n")


def test_signal_refusals_and_bad_data_are_errors_without_tracebacks(done_stack: Path) -> None:
    cases = {
        ("box",): "ERROR: signal is not supported for resource.",
        ("nope",): "ERROR: Stack done or resource nope not found.",
        ("handle", "--data", "[1]"): "ERROR: Data should be a JSON dict",
        ("handle", "--data", '{"status": "MAYBE"}'):
            "ERROR: ValueError: resources.handle: Metadata format invalid",
    }
    for args, message in cases.items():
        done = calor(done_stack, "stack", "resource", "signal", "done", *args)
        assert (done.returncode, done.stderr.strip()) == (1, message), args
    missing = calor(done_stack, "stack", "resource", "show", "done", "nope")
    assert (missing.returncode, missing.stderr) == (
        1, "ERROR: Stack or resource not found: done nope\n")


def test_event_show_gives_one_event_of_the_resource(done_stack: Path) -> None:
    events = json.loads(calor(done_stack, "stack", "event", "list", "done", "-f", "json").stdout)
    (complete,) = [e for e in events if e["resource_name"] == "box"
                   and e["resource_status"] == "CREATE_COMPLETE"]
    shown = calor(done_stack, "stack", "event", "show", "done", "box", complete["id"],
                  "-f", "json")
    assert shown.returncode == 0, shown.stderr
    body = json.loads(shown.stdout)
    assert list(body) == ["id", "links", "event_time", "logical_resource_id", "resource_name",
                          "physical_resource_id", "resource_status", "resource_status_reason",
                          "resource_type", "resource_properties"]
    assert body["id"] == complete["id"]
    assert body["resource_status"] == "CREATE_COMPLETE"
    assert body["resource_type"] == "OS::Heat::TestResource"
    assert body["resource_properties"]["value"] == "kept"
    assert [link["rel"] for link in body["links"]] == ["self", "resource", "stack"]

    table = calor(done_stack, "stack", "event", "show", "done", "box", complete["id"])
    assert table.returncode == 0, table.stderr
    assert f"/resources/box/events/{complete['id']} (self)" in table.stdout

    other = calor(done_stack, "stack", "event", "show", "done", "handle", complete["id"])
    assert (other.returncode, other.stderr) == (1, f"ERROR: No event {complete['id']} found\n")
