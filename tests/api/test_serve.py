"""``calor serve`` itself: it listens where it is told and stops gracefully on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

SLOW = {"heat_template_version": "2018-08-31",
        "resources": {"slow": {"type": "OS::Heat::TestResource",
                               "properties": {"action_wait_secs": {"create": 60}}}}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if httpx.get(url).status_code == 300:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError("calor serve did not start")


def test_sigterm_stops_the_server_and_marks_the_running_stack_interrupted(
    tmp_path: Path,
) -> None:
    port = free_port()
    database = f"sqlite:///{tmp_path / 'calor.db'}"
    config = tmp_path / "calor.conf"
    config.write_text(f"[heat_api]\nbind_port = {port}\n\n[database]\nconnection = {database}\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "calor", "serve", "--no-auth", "--config-file", str(config)],
        cwd=tmp_path, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CALOR_HOME": str(tmp_path)},
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process)
        with httpx.Client(base_url=f"{url}/v1/local") as http:
            made = http.post("/stacks", json={"stack_name": "slow", "template": SLOW})
            assert made.status_code == 201, made.text
            events = f"/stacks/slow/{made.json()['stack']['id']}/resources/slow/events"
            while http.get(events).status_code == 404:
                time.sleep(0.05)  # until the resource's CREATE has started
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    # uvicorn finishes its graceful shutdown, then lets the signal end the process.
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Application shutdown complete." in output
    assert f"Calor orchestration API on http://127.0.0.1:{port}/v1/{{project_id}}" in output
    shown = subprocess.run(
        [sys.executable, "-m", "calor", "stack", "show", "slow", "-f", "json",
         "--database-url", database], capture_output=True, text=True, cwd=tmp_path,
        timeout=60)
    assert shown.returncode == 0, shown.stderr
    stack = json.loads(shown.stdout)
    assert stack["stack_status"] == "CREATE_FAILED"
    assert stack["stack_status_reason"] == "Engine went down during stack CREATE"


def test_a_bad_setting_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "calor.conf"
    config.write_text("[keystone_authtoken]\nauth_url = http://keystone.example.com\n")
    done = subprocess.run(
        [sys.executable, "-m", "calor", "serve", "--config-file", str(config)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CALOR_HOME": str(tmp_path)},
    )
    assert (done.returncode, done.stderr) == (
        1, "ERROR: [keystone_authtoken] needs username, password, project_name\n")
