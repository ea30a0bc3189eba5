"""``calor stack list`` with ``openstack stack list``'s filters, tags, paging and sorting."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_stack import EXAMPLES, calor


def names(home: Path, *args: str) -> list[str]:
    listed = calor(home, "stack", "list", "-f", "json", *args)
    assert listed.returncode == 0, listed.stderr
    return [s["Stack Name"] for s in json.loads(listed.stdout)]


def test_list_filters_tags_sorts_and_pages(tmp_path: Path) -> None:
    hello = str(EXAMPLES / "hello.yaml")
    for name, tags in (("b", "web,prod"), ("a", "web"), ("c", "db")):
        assert calor(tmp_path, "stack", "create", "-t", hello, "--tags", tags,
                     name).returncode == 0
    assert names(tmp_path) == ["c", "a", "b"]  # newest first
    assert names(tmp_path, "--sort", "stack_name:asc") == ["a", "b", "c"]
    assert names(tmp_path, "--sort", "stack_name:asc", "--limit", "2") == ["a", "b"]
    assert names(tmp_path, "--sort", "stack_name:asc", "--marker", "a") == ["b", "c"]
    assert names(tmp_path, "--property", "name=b") == ["b"]
    assert sorted(names(tmp_path, "--tags", "web")) == ["a", "b"]
    assert names(tmp_path, "--tags", "web,prod") == ["b"]
    assert sorted(names(tmp_path, "--tags", "prod,db", "--tag-mode", "any")) == ["b", "c"]
    assert names(tmp_path, "--tags", "web", "--tag-mode", "not") == ["c"]


def test_deleted_stacks_show_with_their_deletion_time(tmp_path: Path) -> None:
    assert calor(tmp_path, "stack", "create", "-t", str(EXAMPLES / "hello.yaml"),
                 "gone").returncode == 0
    assert calor(tmp_path, "stack", "delete", "-y", "--wait", "gone").returncode == 0
    assert names(tmp_path) == []
    listed = json.loads(calor(tmp_path, "stack", "list", "--deleted", "-f", "json").stdout)
    assert [(s["Stack Name"], s["Stack Status"]) for s in listed] == [
        ("gone", "DELETE_COMPLETE")]
    assert listed[0]["Deletion Time"] is not None


def test_bad_list_options_are_clear_errors(tmp_path: Path) -> None:
    bad = calor(tmp_path, "stack", "list", "--tag-mode", "some")
    assert bad.returncode == 1
    assert bad.stderr.strip() == "ERROR: Invalid tag mode 'some' (use all, any, not or not-any)."
    bad = calor(tmp_path, "stack", "list", "--property", "colour=red")
    assert bad.stderr.strip() == "ERROR: Invalid filter colour (use name, status, action, id)."
