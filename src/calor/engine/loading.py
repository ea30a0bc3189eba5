"""Rebuilding a stack's definition from what the store keeps."""

from __future__ import annotations

from calor.store.records import RawTemplateRecord, StackRecord
from calor.template.environment import Environment
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template


def load_definition(stack: StackRecord, raw: RawTemplateRecord) -> StackDefinition:
    """The definition a stored stack was created (or last updated) with."""
    template = Template(raw.template, files=raw.files)
    environment = Environment.parse(dict(raw.environment) or None)
    return StackDefinition(
        template,
        environment,
        stack_name=stack.name,
        stack_id=stack.id,
        project_id=stack.project_id,
    )
