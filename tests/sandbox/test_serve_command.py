"""``calor sandbox serve``: the sandbox cloud alone, as a command."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.sandbox.running import free_socket


def test_calor_sandbox_serve_answers_keystone_discovery_and_keeps_state_in_the_file(
        tmp_path: Path) -> None:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    state = tmp_path / "cloud.db"
    server = subprocess.Popen(
        [sys.executable, "-m", "calor", "sandbox", "serve", "--port", str(port),
         "--state-file", str(state)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/identity")
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 300
        assert state.exists()
    finally:
        server.terminate()
        out, _err = server.communicate(timeout=30)
    assert f"auth_url: http://127.0.0.1:{port}/identity" in out


def test_a_bad_config_file_is_reported_without_starting(tmp_path: Path) -> None:
    config = tmp_path / "sandbox.toml"
    config.write_text("latency = 'soon'\n")
    done = subprocess.run([sys.executable, "-m", "calor", "sandbox", "serve",
                           "--config-file", str(config)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == "ERROR: latency must be a number, not 'soon'"
