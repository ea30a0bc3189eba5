"""The public names of each package are pinned: changing them is a decision."""

from __future__ import annotations

import subprocess
import sys

import pytest

import calor.resources
import calor.template


def test_template_package_exports_exactly_its_public_names() -> None:
    exported = {name for name in dir(calor.template) if not name.startswith("_")}
    modules = {
        name for name in exported
        if type(getattr(calor.template, name)).__name__ == "module"
    }
    assert set(calor.template.__all__) == exported - modules - {"annotations"}


@pytest.mark.parametrize("package", [calor.template, calor.resources])
def test_every_listed_name_exists(package: object) -> None:
    for name in package.__all__:  # type: ignore[attr-defined]
        assert hasattr(package, name), name


def test_template_package_imports_nothing_else_of_calor() -> None:
    code = (
        "import sys, calor.template; "
        "bad = sorted(m for m in sys.modules if m.startswith('calor.') "
        "and not m.startswith('calor.template')); print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
