"""Every template in examples/ validates, so the README's commands keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from calor.cli.template_files import add_environment_files, load_template_bundle
from calor.service.templates import check_template

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEMPLATES = sorted(
    p for p in EXAMPLES.rglob("*.yaml") if "heat_template_version" in p.read_text()
)


def test_there_are_examples() -> None:
    assert len(TEMPLATES) >= 3


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_template_validates(path: Path) -> None:
    bundle = load_template_bundle(str(path))
    check_template(bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files)


def test_example_environment_applies_to_hello() -> None:
    bundle = load_template_bundle(str(EXAMPLES / "hello.yaml"))
    add_environment_files(bundle, [str(EXAMPLES / "env.yaml")])
    result = check_template(
        bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files,
        environment_files=bundle.environment_files,
    )
    assert result.definition.parameters["greeting"] == "Howdy"
    assert result.definition.parameters["length"] == 20
