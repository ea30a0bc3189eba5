"""``calor orchestration template validate``, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import yaml

Run = Callable[..., subprocess.CompletedProcess[str]]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_valid_template_prints_heats_validate_answer_as_yaml(calor: Run) -> None:
    done = calor("orchestration", "template", "validate", "-t", str(EXAMPLES / "hello.yaml"))
    assert done.returncode == 0, done.stderr
    body = yaml.safe_load(done.stdout)
    assert body["Description"] == "A first stack that needs no cloud."
    assert body["Parameters"]["length"] == {
        "Type": "Number", "Description": "", "NoEcho": "false", "Label": "length",
        "Default": 12, "MinValue": 8, "MaxValue": 64,
    }


def test_json_format_and_environment_files(calor: Run) -> None:
    done = calor(
        "orchestration", "template", "validate", "-t", str(EXAMPLES / "hello.yaml"),
        "-e", str(EXAMPLES / "env.yaml"), "-f", "json",
    )
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["Parameters"]["greeting"]["Value"] == "Howdy"
    assert body["Parameters"]["length"]["Default"] == 20
    assert body["Environment"]["parameter_defaults"] == {"length": 20}


def test_errors_exit_1_with_path_and_line_and_no_traceback(calor: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "bad.yaml",
        """\
        heat_template_version: 2016-10-14
        resources:
          secret:
            type: OS::Heat::RandomString
            properties:
              length: abc
          web:
            type: OS::Nova::Sever
        """,
    )
    done = calor("orchestration", "template", "validate", "-t", "bad.yaml")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    expected = "ERROR: The Resource Type (OS::Nova::Sever) could not be found. (bad.yaml, line 8)"
    assert expected in lines
    assert any(
        line.startswith("ERROR: Property error: resources.secret.properties.length:")
        and line.endswith("(bad.yaml, line 6)")
        for line in lines
    ), lines


def test_malformed_yaml_names_the_file_and_line(calor: Run, tmp_path: Path) -> None:
    write(tmp_path / "broken.yaml", "heat_template_version: 2016-10-14\nresources: [a\n")
    done = calor("orchestration", "template", "validate", "-t", "broken.yaml")
    assert done.returncode == 1
    assert "broken.yaml" in done.stderr and "line" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_template_file_is_a_clear_error(calor: Run) -> None:
    done = calor("orchestration", "template", "validate", "-t", "nowhere.yaml")
    assert done.returncode == 1
    assert done.stderr.strip() == "ERROR: No such file: nowhere.yaml"


def test_parameters_from_the_command_line_are_checked(calor: Run) -> None:
    done = calor(
        "orchestration", "template", "validate", "-t", str(EXAMPLES / "hello.yaml"),
        "--parameter", "length=3",
    )
    assert done.returncode == 1
    assert "Parameter 'length' is invalid" in done.stderr
    assert "hello.yaml, line 11" in done.stderr


def test_parameter_file_gives_a_files_contents_as_the_value(calor: Run, tmp_path: Path) -> None:
    write(tmp_path / "key.pub", "ssh-ed25519 AAAA test\n")
    write(
        tmp_path / "t.yaml",
        """\
        heat_template_version: 2016-10-14
        parameters:
          key: {type: string}
        """,
    )
    done = calor(
        "orchestration", "template", "validate", "-t", "t.yaml",
        "--parameter-file", "key=key.pub", "-f", "json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Parameters"]["key"]["Value"] == "ssh-ed25519 AAAA test\n"


def test_unknown_parameter_is_an_error(calor: Run) -> None:
    done = calor(
        "orchestration", "template", "validate", "-t", str(EXAMPLES / "hello.yaml"),
        "--parameter", "colour=red",
    )
    assert done.returncode == 1
    assert "The Parameter (colour) was not defined in template." in done.stderr


def test_get_file_and_provider_templates_are_read_relative_to_the_template(
    calor: Run, tmp_path: Path
) -> None:
    write(tmp_path / "lib" / "script.sh", "#!/bin/sh\necho hi\n")
    write(
        tmp_path / "lib" / "member.yaml",
        """\
        heat_template_version: 2016-10-14
        parameters:
          script: {type: string}
        outputs:
          script: {value: {get_param: script}}
        """,
    )
    write(
        tmp_path / "lib" / "top.yaml",
        """\
        heat_template_version: 2016-10-14
        resources:
          member:
            type: member.yaml
            properties:
              script: {get_file: script.sh}
        """,
    )
    done = calor(
        "orchestration", "template", "validate", "-t", "lib/top.yaml", "--show-nested",
        "-f", "json",
    )
    assert done.returncode == 0, done.stderr
    nested = json.loads(done.stdout)["NestedParameters"]["member"]
    assert nested["Parameters"]["script"]["Value"] == "#!/bin/sh\necho hi\n"


def test_error_in_a_nested_template_names_that_file(calor: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "member.yaml",
        """\
        heat_template_version: 2016-10-14
        resources:
          inner:
            type: OS::Heat::RandomString
            properties: {length: many}
        """,
    )
    write(
        tmp_path / "top.yaml",
        "heat_template_version: 2016-10-14\nresources:\n  m: {type: member.yaml}\n",
    )
    done = calor("orchestration", "template", "validate", "-t", "top.yaml")
    assert done.returncode == 1
    assert "member.yaml, line 5" in done.stderr
    assert "resources.inner.properties.length" in done.stderr


def test_environment_registry_files_are_read_relative_to_the_environment(
    calor: Run, tmp_path: Path
) -> None:
    write(
        tmp_path / "env" / "provider.yaml",
        "heat_template_version: 2016-10-14\nparameters:\n  size: {type: number}\n",
    )
    write(tmp_path / "env" / "env.yaml", "resource_registry:\n  My::Box: provider.yaml\n")
    write(
        tmp_path / "top.yaml",
        "heat_template_version: 2016-10-14\n"
        "resources:\n  box: {type: My::Box, properties: {size: 2}}\n",
    )
    done = calor("orchestration", "template", "validate", "-t", "top.yaml", "-e",
                 "env/env.yaml", "--show-nested", "-f", "json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["NestedParameters"]["box"]["Parameters"]["size"]["Value"] == 2


def test_table_format_shows_fields(calor: Run) -> None:
    done = calor("orchestration", "template", "validate", "-t", str(EXAMPLES / "hello.yaml"),
                 "-f", "table")
    assert done.returncode == 0, done.stderr
    assert "| Field" in done.stdout and "Description" in done.stdout


def test_remote_template_urls_are_refused_clearly(calor: Run) -> None:
    done = calor("orchestration", "template", "validate", "-t", "https://example.invalid/t.yaml")
    assert done.returncode == 1
    assert "only local files can be read" in done.stderr
