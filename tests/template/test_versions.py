"""The version table: what each accepted version offers."""

from __future__ import annotations

import pytest

from calor.template import versions
from calor.template.errors import InvalidTemplateVersion

# Heat 27's counts of callable (non-removed) functions per HOT version.
HOT_FUNCTION_COUNTS = {
    "2013-05-23": 16,
    "2014-10-16": 8,
    "2015-04-30": 10,
    "2015-10-15": 10,
    "2016-04-08": 11,
    "2016-10-14": 14,
    "2017-02-24": 16,
    "2017-09-01": 21,
    "2018-03-02": 21,
    "2018-08-31": 21,
    "2021-04-16": 21,
}


@pytest.mark.parametrize(("date", "count"), HOT_FUNCTION_COUNTS.items())
def test_each_hot_version_offers_heats_number_of_functions(date: str, count: int) -> None:
    version = versions.lookup("heat_template_version", date)
    assert version is not None
    assert len(version.live_functions()) == count


@pytest.mark.parametrize(
    ("alias", "date"),
    [("newton", "2016-10-14"), ("ocata", "2017-02-24"), ("pike", "2017-09-01"),
     ("queens", "2018-03-02"), ("rocky", "2018-08-31"), ("wallaby", "2021-04-16")],
)
def test_release_names_select_the_dated_version(alias: str, date: str) -> None:
    assert versions.lookup("heat_template_version", alias) is versions.lookup(
        "heat_template_version", date
    )


def test_cfn_formats_differ_only_in_conditions() -> None:
    aws = versions.lookup("AWSTemplateFormatVersion", "2010-09-09")
    heat = versions.lookup("HeatTemplateFormatVersion", "2012-12-12")
    assert aws is not None and heat is not None
    assert set(aws.live_functions()) - set(heat.live_functions()) == {"Fn::If"}
    assert heat.condition_functions == {}
    assert set(aws.condition_functions) == {
        "Fn::Equals", "Ref", "Fn::FindInMap", "Fn::Not", "Fn::And", "Fn::Or"
    }


def test_cfn_functions_are_removed_from_hot_after_2013() -> None:
    old = versions.lookup("heat_template_version", "2013-05-23")
    new = versions.lookup("heat_template_version", "2014-10-16")
    assert old is not None and new is not None
    assert "Ref" in old.live_functions()
    assert "Ref" in new.functions and "Ref" not in new.live_functions()
    assert "Fn::Select" in new.live_functions()


def test_condition_functions_arrive_in_newton_and_grow_in_pike() -> None:
    newton = versions.by_name("heat_template_version.newton")
    pike = versions.by_name("heat_template_version.pike")
    assert set(newton.condition_functions) == {"get_param", "equals", "not", "and", "or"}
    assert set(pike.condition_functions) - set(newton.condition_functions) == {
        "yaql", "contains"
    }


def test_unknown_version_lists_every_valid_one() -> None:
    with pytest.raises(InvalidTemplateVersion) as info:
        versions.detect({"heat_template_version": "this-ain't-valid"})
    assert str(info.value) == (
        'The template version is invalid: '
        '"heat_template_version: this-ain\'t-valid". "heat_template_version" should be '
        "one of: 2013-05-23, 2014-10-16, 2015-04-30, 2015-10-15, 2016-04-08, 2016-10-14, "
        "2017-02-24, 2017-09-01, 2018-03-02, 2018-08-31, 2021-04-16, newton, ocata, pike, "
        "queens, rocky, wallaby"
    )


def test_missing_and_ambiguous_versions_are_errors() -> None:
    with pytest.raises(InvalidTemplateVersion, match="Template version was not provided"):
        versions.detect({"resources": {}})
    with pytest.raises(InvalidTemplateVersion, match="Ambiguous versions"):
        versions.detect(
            {"heat_template_version": "2016-10-14", "AWSTemplateFormatVersion": "2010-09-09"}
        )
