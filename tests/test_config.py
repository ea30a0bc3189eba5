"""Operator limits: read from CALOR_* variables, refused when nonsense."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from calor.config import ConfigError, Limits
from calor.service.templates import TemplateValidationFailed, check_template
from calor.template.loader import load_template


def test_defaults_are_heats() -> None:
    assert Limits.from_environment({}) == Limits(524288, 1000, 5)


def test_limits_come_from_the_environment() -> None:
    limits = Limits.from_environment(
        {"CALOR_MAX_TEMPLATE_SIZE": "100", "CALOR_MAX_RESOURCES_PER_STACK": "-1",
         "CALOR_MAX_NESTED_STACK_DEPTH": "2"}
    )
    assert limits == Limits(100, -1, 2)


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_nonsense_template_size_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="CALOR_MAX_TEMPLATE_SIZE"):
        Limits.from_environment({"CALOR_MAX_TEMPLATE_SIZE": value})


def test_too_many_resources_is_an_error() -> None:
    text = "heat_template_version: 2016-10-14\nresources:\n" + "".join(
        f"  r{i}: {{type: OS::Heat::None}}\n" for i in range(4)
    )
    with pytest.raises(TemplateValidationFailed) as info:
        check_template(load_template(text), text=text, max_resources=3)
    assert "more resources than allowed (4 > 3)" in str(info.value)
    check_template(load_template(text), text=text, max_resources=4)


def test_nested_depth_limit_stops_a_template_that_nests_itself() -> None:
    loop = textwrap.dedent(
        """\
        heat_template_version: 2016-10-14
        resources:
          again: {type: loop.yaml}
        """
    )
    with pytest.raises(TemplateValidationFailed) as info:
        check_template(load_template(loop), text=loop, files={"loop.yaml": loop}, max_depth=3)
    assert any("Recursion depth exceeds 3." in str(e) for e in info.value.errors)


def test_cli_honours_the_template_size_limit(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("heat_template_version: 2016-10-14\n" + "#" * 200 + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "calor", "orchestration", "template", "validate", "-t", "t.yaml"],
        capture_output=True, text=True, cwd=tmp_path, env={"CALOR_MAX_TEMPLATE_SIZE": "100",
                                                          "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1
    assert "exceeds maximum allowed size (100 bytes)" in done.stderr


def test_cli_reports_a_bad_setting_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("heat_template_version: 2016-10-14\n")
    done = subprocess.run(
        [sys.executable, "-m", "calor", "orchestration", "template", "validate", "-t", "t.yaml"],
        capture_output=True, text=True, cwd=tmp_path, env={"CALOR_MAX_TEMPLATE_SIZE": "big",
                                                          "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "ERROR: CALOR_MAX_TEMPLATE_SIZE must be a whole number, not 'big'"


def test_max_parallel_actions_is_read_from_the_environment() -> None:
    from calor.config import max_parallel_actions

    assert max_parallel_actions({}) == 1000
    assert max_parallel_actions({"CALOR_MAX_PARALLEL_ACTIONS": "8"}) == 8
    with pytest.raises(ConfigError, match="CALOR_MAX_PARALLEL_ACTIONS must be at least 1, not 0"):
        max_parallel_actions({"CALOR_MAX_PARALLEL_ACTIONS": "0"})
