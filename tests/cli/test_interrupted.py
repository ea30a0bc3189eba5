"""``calor stack create --wait`` killed with SIGKILL: the next command finds the stack interrupted.

The real thing: the create runs in its own process, other processes watch
it (and must leave it alone while it lives), then it is killed mid-create.
On SQLite the next command knows at once that the engine is gone (its lock
file is free); on PostgreSQL and MariaDB it knows once the engine's
heartbeat is older than ``CALOR_ENGINE_STALE_SECS``, set low here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
import pytest_asyncio
from sqlalchemy import delete
from sqlalchemy.engine import Connection, make_url
from tests.store.conftest import database_url

from calor.store import Store
from calor.store.models import Base

__all__ = ["database_url"]

T = TypeVar("T")

TEMPLATE = textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    resources:
      fast: {type: OS::Heat::TestResource, properties: {value: fast}}
      quick: {type: OS::Heat::TestResource, properties: {value: quick}}
      slow:
        type: OS::Heat::TestResource
        properties: {value: slow, wait_secs: 30}
        depends_on: [fast]
      later: {type: OS::Heat::TestResource, depends_on: [slow]}
    """
)

#: The servers' threshold: a silent engine is presumed dead after a second.
SERVER_LIVENESS = {"CALOR_ENGINE_HEARTBEAT_SECS": "0.2", "CALOR_ENGINE_STALE_SECS": "1"}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """CALOR_HOME for the commands, with the templates in it."""
    (tmp_path / "stack.yaml").write_text(TEMPLATE)
    (tmp_path / "quick.yaml").write_text(TEMPLATE.replace("wait_secs: 30", "wait_secs: 0"))
    return tmp_path


@pytest_asyncio.fixture
async def database(database_url: str) -> AsyncIterator[str]:
    """The session's database on each backend, for the commands; emptied afterwards."""
    yield database_url
    async with Store.open(database_url, migrate=False) as store:

        def empty(conn: Connection) -> None:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))

        await store.db.write(empty)


def environment(home: Path, url: str | None = None) -> dict[str, str]:
    """The commands' variables: ``url`` (None: SQLite in CALOR_HOME)."""
    env = {**os.environ, "CALOR_HOME": str(home)}
    for name in ("CALOR_DATABASE_URL", "CALOR_ENGINE_HEARTBEAT_SECS", "CALOR_ENGINE_STALE_SECS"):
        env.pop(name, None)
    if url is not None:
        env["CALOR_DATABASE_URL"] = url
        if make_url(url).get_backend_name() != "sqlite":
            env.update(SERVER_LIVENESS)
    # On SQLite the default threshold (30 s) stays: the lock file tells at once.
    return env


def calor(home: Path, env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calor", *args], capture_output=True, text=True, cwd=home,
        env=dict(env), timeout=60,
    )


def resources(home: Path, env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    listed = calor(home, env, "stack", "resource", "list", "web", "-f", "json")
    if listed.returncode != 0:
        return {}  # not stored yet
    return {r["resource_name"]: r for r in json.loads(listed.stdout)}


def until(check: Callable[[], T], timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)
    return found


def create_and_kill(home: Path, env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Start ``stack create --wait``, SIGKILL it while ``slow`` runs; the resources seen then."""
    started = time.monotonic()
    creating = subprocess.Popen(
        [sys.executable, "-m", "calor", "stack", "create", "-t", "stack.yaml", "--wait", "web"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=home, env=dict(env),
    )
    try:
        def slow_running() -> dict[str, dict[str, Any]]:
            rows = resources(home, env)
            states = {n: r["resource_status"] for n, r in rows.items()}
            ready = states.get("quick") == "CREATE_COMPLETE" and (
                states.get("slow") == "CREATE_IN_PROGRESS")
            return rows if ready else {}

        seen = until(slow_running)
        if "CALOR_ENGINE_STALE_SECS" in env:
            # Past the threshold: only the heartbeat keeps the engine alive now.
            time.sleep(max(0.0, started + 1.5 - time.monotonic()))
        listed = calor(home, env, "stack", "list", "-f", "json")
        assert [s["Stack Status"] for s in json.loads(listed.stdout)] == ["CREATE_IN_PROGRESS"]
        assert creating.poll() is None
    finally:
        creating.send_signal(signal.SIGKILL)
        creating.wait()
    return seen


def shown_when_failed(home: Path, env: Mapping[str, str]) -> dict[str, Any]:
    def failed() -> dict[str, Any]:
        body: dict[str, Any] = json.loads(calor(home, env, "stack", "show", "web",
                                                "-f", "json").stdout)
        return body if body["stack_status"] != "CREATE_IN_PROGRESS" else {}

    return until(failed, timeout=10)


# SQLite's lock file, and the heartbeat on PostgreSQL (MariaDB's heartbeat is the
# same code; tests/engine/test_recovery.py runs the recovery on all three).
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_killed_create_is_failed_as_interrupted_and_deletes(
    home: Path, database: str
) -> None:
    env = environment(home, database)
    seen = create_and_kill(home, env)

    if make_url(database).get_backend_name() == "sqlite":
        body = json.loads(calor(home, env, "stack", "show", "web", "-f", "json").stdout)
    else:
        body = shown_when_failed(home, env)
    assert body["stack_status"] == "CREATE_FAILED"
    assert body["stack_status_reason"] == "Engine went down during stack CREATE"
    after = resources(home, env)
    assert {n: r["resource_status"] for n, r in after.items()} == {
        "fast": "CREATE_COMPLETE", "quick": "CREATE_COMPLETE", "slow": "CREATE_FAILED",
        "later": "INIT_COMPLETE",
    }
    # Every physical id created before the kill is listed, the interrupted one's too.
    for name in ("fast", "quick", "slow"):
        assert after[name]["physical_resource_id"] == seen[name]["physical_resource_id"]
        assert after[name]["physical_resource_id"].startswith(f"web-{name}-")

    deleted = calor(home, env, "stack", "delete", "-y", "--wait", "web")
    assert deleted.returncode == 0, deleted.stderr
    assert "[web]: DELETE_COMPLETE  Stack DELETE completed successfully" in deleted.stdout


def test_a_killed_create_updates_afterwards(home: Path) -> None:
    env = environment(home)
    create_and_kill(home, env)

    # An update is refused while the stack is IN_PROGRESS: this one finds it FAILED.
    updated = calor(home, env, "stack", "update", "-t", "quick.yaml", "--wait", "web",
                    "-f", "json")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "[web]: UPDATE_COMPLETE  Stack UPDATE completed successfully" in updated.stdout
    after = resources(home, env)
    assert sorted(after) == ["fast", "later", "quick", "slow"]
    assert all(r["resource_status"].endswith("_COMPLETE") and r["physical_resource_id"]
               for r in after.values())
