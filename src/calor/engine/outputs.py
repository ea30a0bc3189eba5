"""Resolving a stack's outputs, each on its own: one failing does not fail the others."""

from __future__ import annotations

from typing import Any

from calor.template import function
from calor.template.errors import TemplateError
from calor.template.stack_definition import StackDefinition
from calor.template.types import ResolveContext


def resolve_outputs(definition: StackDefinition, ctx: ResolveContext) -> list[dict[str, Any]]:
    """Heat's ``outputs`` list: ``output_key``, ``output_value``, ``description``, and
    ``output_error`` for an output that could not be resolved."""
    out = []
    for name, output in definition.outputs.items():
        item: dict[str, Any] = {
            "output_key": name,
            "description": output.description or "No description given",
        }
        if not output.enabled:
            item["output_value"] = None
        else:
            try:
                item["output_value"] = function.resolve(output.value, ctx)
            except TemplateError as exc:
                item["output_value"] = None
                item["output_error"] = exc.message
        out.append(item)
    return out
