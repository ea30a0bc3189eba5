from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def calor(tmp_path: Path) -> Run:
    """Run the real ``calor`` command in a fresh working directory."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "calor", *args],
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            timeout=60,
        )

    return run
