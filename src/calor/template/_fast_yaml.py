"""A fast YAML reader giving exactly what PyYAML's safe loader gives.

PyYAML builds its result in Python, node by node: about 1.3 s for a
10,000-resource template, more than the whole validation. rapidyaml parses
the same text in C++ in a few milliseconds; this module walks its tree and
resolves each *plain* scalar with YAML 1.1's rules, as PyYAML does (so
``yes`` and ``off`` are booleans, ``010`` is octal, ``1e3`` is a string, and
dates stay strings, as Calor's loader wants).

Anything this walk does not reproduce exactly (anchors, aliases, tags,
merge keys, several documents, a parse error) makes :func:`load` return
:data:`FALLBACK`, and the caller uses PyYAML.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Iterator
from typing import Any

try:
    import ryml  # type: ignore[import-untyped]
    from ryml import _ryml
except ImportError:  # pragma: no cover - rapidyaml is a dependency; stay correct without it
    ryml = None

#: Returned when the text needs PyYAML.
FALLBACK: Any = object()
#: Below this many characters PyYAML is fast enough.
MIN_SIZE = 64 * 1024
#: One parse at a time may silence stderr.
_QUIET = threading.Lock()

if ryml is not None:
    _MAP = ryml.MAP
    _SEQ = ryml.SEQ
    _CONTAINER = ryml.MAP | ryml.SEQ
    _KEY_PLAIN = ryml.KEY_PLAIN
    _VAL_PLAIN = ryml.VAL_PLAIN
    _UNSUPPORTED = (
        ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
    )
    _NONE = ryml.NONE

# YAML 1.1's implicit types, as PyYAML's resolver defines them.
_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
                   r"|on|On|ON|off|Off|OFF)$")
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""", re.X)
_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""", re.X)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
# Merge keys and the value key change structure; PyYAML handles those.
_SPECIAL = re.compile(r"^(?:<<|=)$")
_TRUE = frozenset({"yes", "true", "on"})

# When rapidyaml writes a tree as JSON, a plain scalar comes out typed by
# JSON's rules. These are the plain forms where that differs from YAML 1.1;
# if any string of the result has such a form, it may have been plain, and
# the exact (slower) walk decides.
# Candidates for that test, found in the JSON text by two quick searches (a
# match's second group says it is a key); each candidate is then checked.
_JSON_WORDISH = re.compile(r'"([yYnNoOtTfF~][A-Za-z]{0,4}|)"(\s*:)?')
_JSON_NUMBERISH = re.compile(r'"([-+.0-9_][^"\\]*)"(\s*:)?')
_VALUE_WORDS = frozenset({
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    "True", "TRUE", "False", "FALSE", "~", "Null", "NULL",
})
_VALUE_NUMBER = re.compile(
    r"^[-+]?(?:0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[0-9.][0-9_.]*_[0-9_.]*|\.(?:inf|Inf|INF|nan|NaN|NAN))$"
)
# A key is always a string in JSON; YAML 1.1 types plain keys like values.
_KEY_WORDS = _VALUE_WORDS | {"true", "false", "null", ""}
_KEY_NUMBER = re.compile(r"^[-+]?(?:[0-9._][0-9a-fA-FxXoObB_.:]*|\.(?:inf|Inf|INF|nan|NaN|NAN))$")
_NUMBER_START = frozenset("0123456789+-._")


def _suspect_in_json(emitted: str) -> bool:
    """Might a string of this JSON have been a plain scalar YAML 1.1 types otherwise?"""
    for match in _JSON_WORDISH.finditer(emitted):
        word, is_key = match.group(1), match.group(2) is not None
        if word in (_KEY_WORDS if is_key else _VALUE_WORDS):
            return True
    for match in _JSON_NUMBERISH.finditer(emitted):
        text, is_key = match.group(1), match.group(2) is not None
        if (_KEY_NUMBER if is_key else _VALUE_NUMBER).match(text):
            return True
    return False


def _value_suspect(value: str) -> bool:
    if value in _VALUE_WORDS:
        return True
    return value[:1] in _NUMBER_START and _VALUE_NUMBER.match(value) is not None


def _key_suspect(key: str) -> bool:
    if key in _KEY_WORDS:
        return True
    return key[:1] in _NUMBER_START and _KEY_NUMBER.match(key) is not None


# Exponents without a dot or sign are floats to JSON and strings to YAML 1.1;
# anchors, aliases, tags and merge keys need the exact walk.
_EXPONENT = re.compile(r"[0-9.][eE][-+]?[0-9]")
_NODE_PROPERTY = re.compile(r"[\s:\[{,-][&*!][^\s]|<<")


def _risky(text: str) -> bool:
    if _EXPONENT.search(text):
        return True
    # The character tests are much faster than the regex on large texts.
    if "&" in text or "*" in text or "!" in text or "<<" in text:
        return _NODE_PROPERTY.search(text) is not None
    return False


def _has_marker(data: bytes) -> bool:
    """A document marker (``---``, ``...``) or directive (``%``) at a line start."""
    if data.startswith((b"---", b"...", b"%")):
        return True
    return b"\n---" in data or b"\n..." in data or b"\n%" in data


class _Fallback(Exception):
    pass


def _plain(text: str) -> Any:
    """A plain scalar as YAML 1.1 types it (timestamps stay strings)."""
    if not text:
        return None
    first = text[0]
    # Most scalars are words: skip the regexes when no implicit type can match.
    if first.isalpha() and first not in "yYnNtTfFoO":
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() in _TRUE
    if _INT.match(text):
        return _to_int(text)
    if _FLOAT.match(text):
        return _to_float(text)
    if _SPECIAL.match(text):
        raise _Fallback
    return text


def _to_int(text: str) -> int:
    value = text.replace("_", "")
    sign = 1
    if value[0] in "+-":
        if value[0] == "-":
            sign = -1
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        digits = [int(part) for part in value.split(":")]
        total, base = 0, 1
        for digit in reversed(digits):
            total += digit * base
            base *= 60
        return sign * total
    return sign * int(value)


def _to_float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = 1.0
    if value[0] in "+-":
        if value[0] == "-":
            sign = -1.0
        value = value[1:]
    if value == ".inf":
        return sign * float("inf")
    if value == ".nan":
        return float("nan")
    if ":" in value:
        digits = [float(part) for part in value.split(":")]
        total, base = 0.0, 1.0
        for digit in reversed(digits):
            total += digit * base
            base *= 60
        return sign * total
    return sign * float(value)


def _walk(tree: Any, root: int) -> Any:
    # The SWIG functions are called directly: the Tree methods only wrap them,
    # and this loop runs once per node of what may be a very large template.
    node_type = _ryml.Tree_type
    first_child = _ryml.Tree_first_child
    next_sibling = _ryml.Tree_next_sibling
    key_of = _ryml.Tree_key
    val_of = _ryml.Tree_val
    none = _NONE

    def walk(node: int, flags: int) -> Any:
        if flags & _MAP:
            out: dict[Any, Any] = {}
            child = first_child(tree, node)
            while child != none:
                child_flags = node_type(tree, child)
                if child_flags & _UNSUPPORTED:
                    raise _Fallback
                raw_key = key_of(tree, child)
                if raw_key is None:
                    raise _Fallback
                key: Any = bytes(raw_key).decode("utf-8")
                if child_flags & _KEY_PLAIN:
                    key = _plain(key)
                if child_flags & _CONTAINER:
                    out[key] = walk(child, child_flags)
                else:
                    out[key] = scalar(child, child_flags)
                child = next_sibling(tree, child)
            return out
        if flags & _SEQ:
            items = []
            child = first_child(tree, node)
            while child != none:
                child_flags = node_type(tree, child)
                if child_flags & _UNSUPPORTED:
                    raise _Fallback
                if child_flags & _CONTAINER:
                    items.append(walk(child, child_flags))
                else:
                    items.append(scalar(child, child_flags))
                child = next_sibling(tree, child)
            return items
        return scalar(node, flags)

    def scalar(node: int, flags: int) -> Any:
        raw = val_of(tree, node)
        if raw is None:
            # ``key:`` with nothing after it.
            return None
        text = bytes(raw).decode("utf-8")
        if flags & _VAL_PLAIN:
            return _plain(text)
        return text

    root_flags = node_type(tree, root)
    if root_flags & _UNSUPPORTED:
        raise _Fallback
    return walk(root, root_flags)


def _via_json(tree: Any, root: int) -> Any:
    """The tree as rapidyaml's own JSON, when that is sure to equal YAML 1.1's reading."""
    try:
        emitted = ryml.emit_json_malloc(tree, root)
        data = json.loads(emitted)
    except (ValueError, RuntimeError):
        return FALLBACK
    if not _suspect_in_json(emitted):
        return data
    stack = [data]
    value_suspect = _value_suspect
    key_suspect = _key_suspect
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        keyed = isinstance(node, dict)
        for key, value in items:
            if keyed and isinstance(key, str) and key_suspect(key):
                return FALLBACK
            if isinstance(value, str):
                if value_suspect(value):
                    return FALLBACK
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return data


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints its parse errors to file descriptor 2 before raising them.

    The texts it refuses are ones PyYAML then reads (or reports properly),
    so its own message would only be noise.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def load(text: str, *, min_size: int = MIN_SIZE) -> Any:
    """The document in ``text``, or :data:`FALLBACK` when PyYAML must read it.

    Texts under ``min_size`` bytes go to PyYAML anyway: it reads them in a
    few milliseconds, and nothing changes for ordinary templates.
    """
    if ryml is None or len(text) < min_size:
        return FALLBACK
    data = text.encode("utf-8")
    if b"\t" in data or b"\r" in data or _has_marker(data):
        # Tabs, CR line ends and document markers are where YAML readers
        # differ most; leave those rare texts to PyYAML.
        return FALLBACK
    try:
        with _QUIET, _quiet_stderr():
            tree = ryml.parse_in_arena(data)
    except Exception:
        return FALLBACK
    root = tree.root_id()
    root_flags = tree.type(root)
    is_stream = (root_flags & ryml.STREAM) == ryml.STREAM
    if is_stream or not (root_flags & (_MAP | _SEQ)):
        return FALLBACK
    if not _risky(text):
        quick = _via_json(tree, root)
        if quick is not FALLBACK:
            return quick
    try:
        return _walk(tree, root)
    except (_Fallback, UnicodeDecodeError, ValueError, TypeError):
        return FALLBACK
