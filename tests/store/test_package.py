"""The store's public names are pinned, and it stands on calor.config alone."""

from __future__ import annotations

import subprocess
import sys

import calor.store


def test_store_package_exports_exactly_its_public_names() -> None:
    exported = {
        name for name in dir(calor.store)
        if not name.startswith("_") and type(getattr(calor.store, name)).__name__ != "module"
    }
    assert set(calor.store.__all__) == exported - {"annotations"}


def test_store_imports_nothing_of_calor_but_config() -> None:
    code = (
        "import sys, calor.store; "
        "bad = sorted(m for m in sys.modules if m.startswith('calor.') "
        "and not m.startswith(('calor.store', 'calor.config'))); print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
