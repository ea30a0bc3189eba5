"""The sandbox package: its public names, and that it stands apart from the engine."""

from __future__ import annotations

import ast
from pathlib import Path

import calor.sandbox
from calor.sandbox import catalog_services
from calor.sandbox.states import Settled, Step, schedule, settle

SANDBOX = Path(calor.sandbox.__file__).parent


def test_the_package_exports_exactly_its_public_names() -> None:
    exported = {name for name in dir(calor.sandbox) if not name.startswith("_")}
    modules = {name for name in exported
               if type(getattr(calor.sandbox, name)).__name__ == "module"}
    assert set(calor.sandbox.__all__) == exported - modules - {"annotations"}


def test_the_sandbox_imports_nothing_of_calor_but_the_request_context() -> None:
    outside = set()
    for path in SANDBOX.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            outside |= {n for n in names if n.startswith("calor.")
                        and not n.startswith("calor.sandbox")}
    assert outside <= {"calor.identity.context"}


def test_catalog_services_name_the_official_service_types() -> None:
    types = {kind for kind, _name, _path in catalog_services()}
    assert {"compute", "network", "image"} <= types
    assert all(path.startswith("/") for _kind, _name, path in catalog_services())


def test_a_scheduled_change_applies_once_its_moment_has_passed() -> None:
    body = {"id": "x", "status": "BUILD"}
    schedule(body, 100.0, [Step(2.0, {"status": "ACTIVE"}), Step(1.0, None)])
    assert settle(body, 101.0) is Settled.UNCHANGED and body["status"] == "BUILD"
    assert settle(body, 102.5) is Settled.CHANGED and body["status"] == "ACTIVE"
    assert settle(body, 103.0) is Settled.GONE
