"""OS::Heat::Stack and AWS::CloudFormation::Stack through the same engine."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from calor.service.stacks import StackService
from calor.store.records import StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


CHILD = textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    parameters:
      word: {type: string}
    resources:
      echo: {type: OS::Heat::Value, properties: {value: {get_param: word}}}
    outputs:
      said: {value: {get_attr: [echo, value]}}
    """
)

CFN_CHILD = textwrap.dedent(
    """\
    AWSTemplateFormatVersion: '2010-09-09'
    Parameters:
      Word: {Type: String}
    Resources:
      Echo: {Type: 'OS::Heat::Value', Properties: {value: {Ref: Word}}}
    Outputs:
      Said: {Value: {'Fn::GetAtt': [Echo, value]}}
    """
)


async def finished(service: StackService, name: str, tmpl: dict[str, Any],
                   **kwargs: Any) -> StackRecord:
    stack = await service.create_stack(name, tmpl, **kwargs)
    done = await service.wait(stack.id, timeout=30)
    assert done is not None
    return done


def outputs(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in items}


async def test_os_heat_stack_without_context_creates_a_child_stack_here(
    service: StackService,
) -> None:
    tmpl = {
        "heat_template_version": "2016-10-14",
        "resources": {
            "remote": {
                "type": "OS::Heat::Stack",
                "properties": {"template": CHILD, "parameters": {"word": "hi"}, "timeout": 7},
            }
        },
        "outputs": {
            "said": {"value": {"get_attr": ["remote", "outputs", "said"]}},
            "name": {"value": {"get_attr": ["remote", "stack_name"]}},
        },
    }
    done = await finished(service, "local", tmpl)
    assert (done.action, done.status) == ("CREATE", "COMPLETE"), done.status_reason
    (child,) = await service.store.stacks.list(owner_id=done.id)
    assert child.timeout_mins == 7
    assert outputs(await service.outputs(done)) == {"said": "hi", "name": child.name}
    await service.delete_stack("local")
    assert await service.wait(done.id, timeout=30) is None
    assert await service.store.stacks.list(show_nested=True) == []


async def test_os_heat_stack_in_another_region_fails_clearly(service: StackService) -> None:
    tmpl = {
        "heat_template_version": "2016-10-14",
        "resources": {
            "remote": {
                "type": "OS::Heat::Stack",
                "properties": {"template": CHILD, "context": {"region_name": "RegionTwo"}},
            }
        },
    }
    done = await finished(service, "far", tmpl)
    assert (done.action, done.status) == ("CREATE", "FAILED")
    assert done.status_reason == (
        "Resource CREATE failed: ResourceFailure: resources.remote: Cannot establish "
        'connection to Heat endpoint at region "RegionTwo" due to "a remote region or cloud '
        'needs its own orchestration API, which is not available in embedded mode"'
    )
    assert await service.store.stacks.list(owner_id=done.id) == []


CFN_PARENT = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Inner:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: THE_URL
          Parameters: {Word: howdy}
          TimeoutInMinutes: 3
    Outputs:
      Said: {Value: {'Fn::GetAtt': [Inner, Outputs.Said]}}
      Ref: {Value: {Ref: Inner}}
    """


async def test_a_cloudformation_stack_reads_its_template_from_the_files(
    service: StackService,
) -> None:
    done = await finished(service, "cfn", template(CFN_PARENT.replace("THE_URL", "inner.template")),
                          files={"inner.template": CFN_CHILD})
    assert (done.action, done.status) == ("CREATE", "COMPLETE"), done.status_reason
    (child,) = await service.store.stacks.list(owner_id=done.id)
    assert child.timeout_mins == 3
    assert outputs(await service.outputs(done))["Said"] == "howdy"


async def test_a_cloudformation_stack_reads_a_file_url_and_refers_by_arn(
    service: StackService, tmp_path: Path,
) -> None:
    path = tmp_path / "inner.template"
    path.write_text(CFN_CHILD)
    tmpl = template(CFN_PARENT.replace("THE_URL", path.as_uri()))
    # The reference as another resource of the stack sees it.
    tmpl["Resources"]["Copy"] = {"Type": "OS::Heat::Value",
                                 "Properties": {"value": {"Ref": "Inner"}}}
    tmpl["Outputs"]["Ref"] = {"Value": {"Fn::GetAtt": ["Copy", "value"]}}
    done = await finished(service, "cfn", tmpl)
    assert (done.action, done.status) == ("CREATE", "COMPLETE"), done.status_reason
    (child,) = await service.store.stacks.list(owner_id=done.id)
    values = outputs(await service.outputs(done))
    assert values["Said"] == "howdy"
    assert values["Ref"] == f"arn:openstack:heat::{done.project_id}:stacks/{child.name}/{child.id}"


async def test_a_cloudformation_stack_refuses_a_url_it_cannot_read(
    service: StackService,
) -> None:
    url = "https://example.com/inner.template"
    done = await finished(service, "cfn", template(CFN_PARENT.replace("THE_URL", url)))
    assert (done.action, done.status) == ("CREATE", "FAILED")
    assert done.status_reason == (
        "Resource CREATE failed: ResourceFailure: resources.Inner: Could not fetch remote "
        f"template '{url}': only file:// URLs and files given with the stack can be read "
        "in embedded mode"
    )
