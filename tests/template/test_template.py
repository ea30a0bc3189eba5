"""Loading templates: sections, shapes, and where errors point."""

from __future__ import annotations

import pytest

from calor.template.errors import (
    InvalidTemplateSection,
    InvalidTemplateVersion,
    StackValidationFailed,
    TemplateLimitExceeded,
    TemplateSyntaxError,
)
from calor.template.template import Template


def test_hot_template_without_description_reads_no_description() -> None:
    template = Template.from_text("heat_template_version: 2013-05-23\n")
    assert template.description == "No description"
    assert template.version.name == "heat_template_version.2013-05-23"


def test_cfn_template_without_description_reads_empty() -> None:
    template = Template.from_text('{"AWSTemplateFormatVersion": "2010-09-09"}')
    assert template.description == ""
    assert template.version.format == "cfn"


def test_unknown_section_is_named_with_its_line() -> None:
    text = "heat_template_version: 2016-10-14\n\nfoo: bar\n"
    with pytest.raises(InvalidTemplateSection) as info:
        Template.from_text(text, filename="web.yaml")
    assert info.value.message == "The template section is invalid: foo"
    assert (info.value.file, info.value.line) == ("web.yaml", 3)


def test_conditions_section_needs_newton_or_later() -> None:
    with pytest.raises(InvalidTemplateSection, match="conditions"):
        Template.from_text("heat_template_version: 2016-04-08\nconditions: {}\n")
    Template.from_text("heat_template_version: 2016-10-14\nconditions: {}\n")


def test_malformed_yaml_reports_the_line() -> None:
    text = "heat_template_version: 2016-10-14\nresources:\n  a: [unclosed\n"
    with pytest.raises(TemplateSyntaxError) as info:
        Template.from_text(text, filename="bad.yaml")
    assert info.value.file == "bad.yaml"
    assert info.value.line is not None and info.value.line >= 3


def test_a_yaml_list_is_not_a_template() -> None:
    with pytest.raises(TemplateSyntaxError, match="not a JSON object or YAML mapping"):
        Template.from_text("- heat_template_version: 2016-10-14\n")


def test_template_without_any_version_key_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="Template format version not found"):
        Template.from_text("resources: {}\n")


def test_unquoted_dates_are_versions_not_timestamps() -> None:
    template = Template.from_text("heat_template_version: 2018-08-31\n")
    assert template.version.date == "2018-08-31"


def test_release_name_selects_the_version() -> None:
    template = Template.from_text("heat_template_version: queens\n")
    assert template.version.date == "2018-03-02"


def test_number_as_version_is_not_a_version() -> None:
    with pytest.raises(InvalidTemplateVersion, match="Template version was not provided"):
        Template.from_text("heat_template_version: 2016\n")


def test_oversized_template_is_refused_before_parsing() -> None:
    text = "heat_template_version: 2016-10-14\ndescription: " + "x" * 100 + "\n"
    with pytest.raises(TemplateLimitExceeded, match="exceeds maximum allowed size"):
        Template.from_text(text, max_size=50)


def test_resource_that_is_not_a_map_is_refused() -> None:
    text = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Type": "AWS::EC2::Instance"}}'
    with pytest.raises(StackValidationFailed) as info:
        Template.from_text(text)
    assert info.value.message == (
        "Resources must contain Resource. Found a [<class 'str'>] instead"
    )


def test_resource_without_type_is_refused_with_its_path() -> None:
    text = "heat_template_version: 2016-10-14\nresources:\n  web:\n    properties: {}\n"
    with pytest.raises(StackValidationFailed) as info:
        Template.from_text(text, filename="t.yaml")
    assert str(info.value) == "resources.web: Each resource must contain a type key."
    assert info.value.line == 3


def test_null_sections_read_as_empty() -> None:
    template = Template.from_text(
        "heat_template_version: 2016-10-14\nparameters:\nresources:\noutputs:\n"
    )
    assert dict(template.parameters) == {}
    assert dict(template.resources) == {}
    assert template.outputs == {}
