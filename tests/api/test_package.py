"""The API packages' public names, and what the CLI pays for importing the server settings."""

from __future__ import annotations

import subprocess
import sys

import calor.api.orchestration


def test_orchestration_package_exports_its_router() -> None:
    assert calor.api.orchestration.__all__ == ["orchestration_router"]


def test_server_settings_import_no_web_framework() -> None:
    # ``calor serve`` builds its settings before it needs FastAPI; other commands never do.
    code = "import sys, calor.api.settings; print('fastapi' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
