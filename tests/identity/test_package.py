"""Identity's public names are pinned, and it stands on the store and config alone."""

from __future__ import annotations

import subprocess
import sys

import calor.api.identity
import calor.identity


def test_identity_package_exports_exactly_its_public_names() -> None:
    exported = {
        name for name in dir(calor.identity)
        if not name.startswith("_") and type(getattr(calor.identity, name)).__name__ != "module"
    }
    assert set(calor.identity.__all__) == exported - {"annotations"}


def test_identity_api_exports_the_router_factory() -> None:
    assert calor.api.identity.__all__ == ["identity_router"]


def test_identity_imports_nothing_of_calor_above_it() -> None:
    code = (
        "import sys, calor.identity; "
        "bad = sorted(m for m in sys.modules if m.startswith('calor.') and not "
        "m.startswith(('calor.identity', 'calor.store', 'calor.config'))); print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
