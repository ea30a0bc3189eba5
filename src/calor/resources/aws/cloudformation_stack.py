"""AWS::CloudFormation::Stack: a nested stack made from a template URL.

Embedded mode reads ``TemplateURL`` from the files given with the stack
(the key a client put there) or from a ``file://`` URL; other URLs are
refused, saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from calor.resources.lifecycle import ResourceFailure
from calor.resources.nested import ChildStack, StackResource, StackValidationFailed
from calor.template.errors import TemplateError
from calor.template.loader import load_template
from calor.template.schema import PropertySchema, PropertyType

#: The prefix of the attributes that read the nested stack's outputs.
OUTPUTS_PREFIX = "Outputs."

#: Where the stack's ARN (its reference) is kept between actions.
_ARN_KEY = "stack_arn"


class NestedStack(StackResource):
    """Creates a nested stack from the template at ``TemplateURL``.

    ``Outputs.<name>`` attributes read the nested stack's outputs; the
    reference is the nested stack's ARN.
    """

    type_name = "AWS::CloudFormation::Stack"
    # ``Outputs.<name>`` reaches any output of the nested stack.
    accepts_any_attribute = True
    properties_schema = {
        "TemplateURL": PropertySchema(
            PropertyType.STRING,
            "URL of the template the nested stack is made from.",
            required=True,
            update_allowed=True,
        ),
        "TimeoutInMinutes": PropertySchema(
            PropertyType.INTEGER,
            "Minutes the nested stack may take to create.",
            update_allowed=True,
        ),
        "Parameters": PropertySchema(
            PropertyType.MAP,
            "Parameter values for the nested stack.",
            update_allowed=True,
        ),
    }

    async def child_stack(self) -> ChildStack:
        url = str(self.properties.get("TemplateURL") or "")
        text = await self._fetch(url)
        try:
            template = load_template(text, filename=url)
        except TemplateError as exc:
            raise StackValidationFailed(str(exc)) from None
        return ChildStack(
            template=template, parameters=dict(self.properties.get("Parameters") or {}),
            timeout_mins=self.properties.get("TimeoutInMinutes"),
        )

    async def _fetch(self, url: str) -> str:
        nested, _ = self._nested()
        files = await nested.files(self.ctx.stack_id)
        if url in files:
            return files[url]
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ResourceFailure(
                f"Could not fetch remote template '{url}': only file:// URLs and files "
                "given with the stack can be read in embedded mode"
            )
        try:
            return Path(unquote(parsed.path)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceFailure(f"Could not fetch remote template '{url}': {exc}") from None

    async def child_ready(self) -> None:
        found = await self.child_status()
        if found is not None:
            # Heat's stack identifier as an ARN: project, name and id.
            arn = f"arn:openstack:heat::{found.project_id}:stacks/{found.name}/{found.id}"
            await self.ctx.set_data(_ARN_KEY, arn)

    async def reference_id(self) -> str:
        stored = (await self.ctx.get_data()).get(_ARN_KEY)
        return stored or self.ctx.resource_name

    async def resolve_attribute(self, name: str) -> Any:
        if not name.startswith(OUTPUTS_PREFIX):
            return None
        return (await self.child_outputs()).get(name[len(OUTPUTS_PREFIX):])
