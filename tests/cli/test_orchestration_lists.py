"""Version, function and resource-type listings, in osc's shapes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import yaml

Run = Callable[..., subprocess.CompletedProcess[str]]

# Heat 27's tables (heat-inventory §1.2), for two versions either side of newton.
FUNCTIONS_2015_10_15 = {
    "get_attr", "get_file", "get_param", "get_resource", "list_join", "repeat",
    "resource_facade", "str_replace", "digest", "str_split",
}
FUNCTIONS_2016_10_14 = FUNCTIONS_2015_10_15 | {"map_merge", "yaql", "map_replace", "if"}
CONDITIONS_2016_10_14 = {"get_param", "equals", "not", "and", "or"}


def test_version_list_has_every_version_with_its_aliases(calor: Run) -> None:
    done = calor("orchestration", "template", "version", "list", "-f", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 13
    by_version = {r["Version"]: r for r in rows}
    assert by_version["heat_template_version.2018-03-02"]["Aliases"] == [
        "heat_template_version.queens"
    ]
    assert by_version["AWSTemplateFormatVersion.2010-09-09"]["Type"] == "cfn"
    assert rows[0]["Version"] == "AWSTemplateFormatVersion.2010-09-09"


def test_version_list_table(calor: Run) -> None:
    done = calor("orchestration", "template", "version", "list")
    assert done.returncode == 0, done.stderr
    assert "heat_template_version.2021-04-16" in done.stdout
    assert "heat_template_version.wallaby" in done.stdout
    assert "| Version" in done.stdout


def test_function_list_matches_heats_table(calor: Run) -> None:
    done = calor("orchestration", "template", "function", "list",
                 "heat_template_version.2015-10-15", "-f", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["Functions"] for r in rows} == FUNCTIONS_2015_10_15
    assert all(r["Description"] for r in rows)


def test_function_list_with_conditions_adds_the_condition_functions(calor: Run) -> None:
    plain = calor("orchestration", "template", "function", "list",
                  "heat_template_version.newton", "-f", "json")
    both = calor("orchestration", "template", "function", "list",
                 "heat_template_version.newton", "--with-conditions", "-f", "json")
    assert {r["Functions"] for r in json.loads(plain.stdout)} == FUNCTIONS_2016_10_14
    listed = {r["Functions"] for r in json.loads(both.stdout)}
    assert listed == FUNCTIONS_2016_10_14 | CONDITIONS_2016_10_14


def test_function_list_of_unknown_version_is_an_error(calor: Run) -> None:
    done = calor("orchestration", "template", "function", "list", "heat_template_version.1999")
    assert done.returncode == 1
    assert "Template with version heat_template_version.1999 not found" in done.stderr


def test_resource_type_list_filters_by_name(calor: Run) -> None:
    done = calor("orchestration", "resource", "type", "list", "--filter",
                 "name=OS::Heat::Random", "-f", "value")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["OS::Heat::RandomString"]


def test_resource_type_list_long_has_descriptions(calor: Run) -> None:
    done = calor("orchestration", "resource", "type", "list", "--long", "-f", "json")
    rows = json.loads(done.stdout)
    names = [r["Resource Type"] for r in rows]
    assert "OS::Heat::ResourceGroup" in names
    assert names == sorted(names)
    assert all(r["Description"] for r in rows)


def test_resource_type_show_prints_the_schema(calor: Run) -> None:
    done = calor("orchestration", "resource", "type", "show", "OS::Heat::RandomString")
    assert done.returncode == 0, done.stderr
    body = yaml.safe_load(done.stdout)
    assert body["resource_type"] == "OS::Heat::RandomString"
    assert body["properties"]["length"]["default"] == 32
    assert body["properties"]["length"]["type"] == "integer"
    assert "value" in body["attributes"]


def test_resource_type_show_can_generate_a_hot_template(calor: Run) -> None:
    done = calor("orchestration", "resource", "type", "show", "OS::Heat::RandomString",
                 "--template-type", "hot", "-f", "json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["heat_template_version"] == "2016-10-14"
    assert "length" in body["parameters"]
    (resource,) = body["resources"].values()
    assert resource["type"] == "OS::Heat::RandomString"


def test_resource_type_show_of_unknown_type_is_an_error(calor: Run) -> None:
    done = calor("orchestration", "resource", "type", "show", "OS::Nope::Nothing")
    assert done.returncode == 1
    assert "The Resource Type (OS::Nope::Nothing) could not be found." in done.stderr
