"""Loading template and environment text into plain data.

Loading is fast (libyaml's C loader when present) and keeps no line
information; when an error needs a line number, :func:`locate` composes the
text once more and walks the node tree along the error's path. Errors are
rare, templates are many: the cost is paid only when it buys something.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from calor.template import _fast_yaml, _gc
from calor.template.errors import (
    TemplateError,
    TemplateLimitExceeded,
    TemplateSyntaxError,
    ValidationErrors,
)

#: Heat's ``max_template_size`` default, in bytes.
DEFAULT_MAX_TEMPLATE_SIZE = 524288

VERSION_KEYS = ("heat_template_version", "HeatTemplateFormatVersion", "AWSTemplateFormatVersion")

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """YAML 1.1 safe loading as Heat does it: timestamps stay strings."""


def _construct_str(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


def parse_yaml_or_json(text: str, *, filename: str | None = None, what: str = "template") -> Any:
    """Parse ``text`` as JSON, falling back to YAML; an empty document is ``{}``."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    with _gc.paused():
        fast = _fast_yaml.load(text)
    if fast is not _fast_yaml.FALLBACK:
        return fast
    try:
        with _gc.paused():
            data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{context}, {problem}" if context else problem
        raise TemplateSyntaxError(
            f"Error parsing {what} {filename or '[root stack]'}: {detail}",
            file=filename,
            line=line,
        ) from None
    return {} if data is None else data


def load_template(
    text: str | bytes,
    *,
    filename: str | None = None,
    max_size: int = DEFAULT_MAX_TEMPLATE_SIZE,
) -> dict[str, Any]:
    """Parse template text into a dict, checking size and that a version key exists."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if len(text) > max_size:
        raise TemplateLimitExceeded(
            f"Template size ({len(text)} bytes) exceeds maximum allowed size ({max_size} bytes).",
            file=filename,
        )
    data = parse_yaml_or_json(text, filename=filename)
    if not isinstance(data, dict):
        raise TemplateSyntaxError(
            "The template is not a JSON object or YAML mapping.", file=filename, line=1
        )
    if not any(k in data for k in VERSION_KEYS):
        raise TemplateSyntaxError("Template format version not found.", file=filename, line=1)
    return data


def locate(text: str, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the node at ``path`` in ``text``, or of its nearest ancestor.

    Works for YAML and JSON alike (JSON is YAML). Returns None when the text
    cannot be composed at all.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line: int = node.start_mark.line + 1
    for part in path:
        found = _child(node, part)
        if found is None:
            break
        # The line of a mapping key is where a reader looks for that entry.
        line, node = found
    return line


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node.start_mark.line + 1, value_node
        return None
    if not isinstance(node, yaml.SequenceNode) or not isinstance(part, int):
        return None
    if 0 <= part < len(node.value):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None


def attach_location(error: TemplateError, text: str | None, filename: str | None) -> TemplateError:
    """Fill in ``file`` and ``line`` on an error raised while handling ``text``."""
    if error.file is None:
        error.file = filename
    if error.line is None and text is not None:
        # A function's name is the last step of its path; the line of the
        # enclosing mapping is what the user needs.
        error.line = locate(text, error.path)
    if isinstance(error, ValidationErrors):
        for sub in error.errors:
            attach_location(sub, text, filename)
    return error

