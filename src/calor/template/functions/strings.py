"""String functions: list_join, str_replace (and its strict forms), str_split, digest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from calor.template import function
from calor.template.function import Function
from calor.template.scope import Scope
from calor.template.types import Path, ResolveContext


def _dump_json(value: Any) -> str:
    """Heat's JSON form of a map or list item (keys sorted, so the text is stable)."""
    return json.dumps(value, sort_keys=True)


# -- list_join ---------------------------------------------------------------


class Join(Function):
    """A function for joining a list of strings with a delimiter.

    ``list_join: [delimiter, [string, ...]]``; null items join as empty strings.
    """

    #: The argument example shown when the arguments are malformed.
    usage_suffix: ClassVar[str] = '[ " ", [ "str1", "str2"]]'

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        usage = f'Incorrect arguments to "{fn_name}" should be: "{fn_name}" : {self.usage_suffix}'
        if not isinstance(args, list):
            raise TypeError(usage)
        if not self._enough(len(args)):
            raise ValueError(usage)
        self.delimiter = args[0]
        self.lists = args[1:]

    def _enough(self, count: int) -> bool:
        return count == 2

    def result(self, ctx: ResolveContext) -> Any:
        strings = self._strings(function.resolve(self.lists, ctx))
        delimiter = function.resolve(self.delimiter, ctx)
        if not isinstance(delimiter, str):
            raise TypeError(f'"{self.fn_name}" delimiter must be a string')
        return delimiter.join(self._item(s) for s in strings)

    def _strings(self, lists: list[Any]) -> list[Any]:
        # An omitted list (a two-argument ``if``) reads as null.
        strings = lists[0] if lists else None
        if strings is None:
            return []
        if isinstance(strings, str) or not isinstance(strings, Sequence):
            raise TypeError(f'"{self.fn_name}" must operate on a list')
        return list(strings)

    def _item(self, item: Any) -> str:
        if item is None:
            return ""
        if not isinstance(item, str):
            raise TypeError(f"Items to join must be strings not {repr(item)[:200]}")
        return item


class JoinMultiple(Join):
    """A function for joining one or more lists of strings with a delimiter.

    ``list_join: [delimiter, [string, ...], [string, ...], ...]``; map and
    list items are joined as JSON.
    """

    usage_suffix = '[ " ", [ "str1", "str2"] ...]'

    def _enough(self, count: int) -> bool:
        return count >= 2

    def _strings(self, lists: list[Any]) -> list[Any]:
        strings: list[Any] = []
        for joined in lists:
            if not joined:
                continue
            if isinstance(joined, str) or not isinstance(joined, Sequence):
                raise TypeError(f'"{self.fn_name}" must operate on a list')
            strings.extend(joined)
        return strings

    def _item(self, item: Any) -> str:
        if item is None:
            return ""
        if isinstance(item, str):
            return item
        if isinstance(item, (Mapping, Sequence)):
            try:
                return _dump_json(item)
            except (TypeError, ValueError):
                raise TypeError(
                    "Items to join must be string, map or list. "
                    f"{repr(item)[:200]} failed json serialization"
                ) from None
        raise TypeError(f"Items to join must be string, map or list not {repr(item)[:200]}")


# -- str_replace -------------------------------------------------------------


class Replace(Function):
    """A function for substituting values for placeholders in a string.

    ``str_replace: {template: string, params: {placeholder: value}}``. Longer
    placeholders win (ties in sorted order) and substituted text is never
    searched again.
    """

    #: Fail when a placeholder does not occur in the template.
    strict: ClassVar[bool] = False
    #: Accept null and empty values.
    allow_empty_value: ClassVar[bool] = True

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not isinstance(args, Mapping):
            raise TypeError(f'Arguments to "{fn_name}" must be a map')
        if "params" not in args or "template" not in args:
            example = (
                f"{fn_name}:\n"
                "              template: This is var1 template var2\n"
                "              params:\n"
                "                var1: a\n"
                "                var2: string"
            )
            raise KeyError(f'"{fn_name}" syntax should be {example}')
        self.params = args["params"]
        self.template = args["template"]
        if not isinstance(self.params, (Mapping, Function)):
            raise TypeError(f'"{fn_name}" parameters must be a mapping')

    def result(self, ctx: ResolveContext) -> Any:
        template = function.resolve(self.template, ctx)
        params = function.resolve(self.params, ctx)
        if not isinstance(template, str):
            raise TypeError(f'"{self.fn_name}" template must be a string')
        if not isinstance(params, Mapping):
            raise TypeError(f'"{self.fn_name}" params must be a map')
        for placeholder in params:
            if not isinstance(placeholder, str):
                raise TypeError(f'"{self.fn_name}" param placeholders must be strings')

        # Longest first; among equal lengths, in sorted order.
        placeholders = sorted(sorted(params), key=len, reverse=True)
        values = {p: self.replacement(params[p], p) for p in placeholders}
        found: set[str] = set()

        def substitute(text: str, remaining: list[str]) -> str:
            if not remaining:
                return text
            placeholder, rest = remaining[0], remaining[1:]
            pieces = text.split(placeholder)
            if len(pieces) > 1:
                found.add(placeholder)
            # Only the text between occurrences is searched for the rest.
            return values[placeholder].join(substitute(piece, rest) for piece in pieces)

        replaced = substitute(template, placeholders)
        if self.strict:
            missing = [p for p in placeholders if p not in found]
            if missing:
                raise ValueError(
                    "The following params were not found in the template: "
                    + ",".join(missing)
                )
        return replaced

    def replacement(self, value: Any, param: str) -> str:
        """The text that replaces ``param``."""
        if value is None:
            return ""
        if not isinstance(value, (str, int, float, bool)):
            raise TypeError(
                f'"{self.fn_name}" params must be strings or numbers, '
                f"param {param} is not valid"
            )
        return str(value)


class ReplaceJson(Replace):
    """A function for substituting values for placeholders in a string.

    As the earlier str_replace, but map and list values are substituted as JSON.
    """

    def replacement(self, value: Any, param: str) -> str:
        if value is None:
            if not self.allow_empty_value:
                raise self._empty_value(param)
            return ""
        if isinstance(value, (str, int, float, bool)):
            text = str(value)
        elif isinstance(value, (Mapping, Sequence)):
            if not self.allow_empty_value and len(value) == 0:
                raise self._empty_value(param)
            try:
                text = _dump_json(value)
            except (TypeError, ValueError):
                raise TypeError(
                    f'"{self.fn_name}" params must be strings, numbers, list or map. '
                    f"Failed to json serialize {value}"
                ) from None
        else:
            raise TypeError(f'"{self.fn_name}" params must be strings, numbers, list or map.')
        if not self.allow_empty_value and not text:
            raise self._empty_value(param)
        return text

    def _empty_value(self, param: str) -> ValueError:
        return ValueError(
            f"{self.fn_name} has an undefined or empty value for param {param}, "
            "must be a defined non-empty value"
        )


class ReplaceJsonStrict(ReplaceJson):
    """A function for substituting values for placeholders, requiring every placeholder.

    As str_replace, but a placeholder that the template lacks is an error.
    """

    strict = True


class ReplaceJsonVeryStrict(ReplaceJsonStrict):
    """A function for substituting non-empty values for placeholders, requiring every one.

    As str_replace_strict, but a null or empty value is an error too.
    """

    allow_empty_value = False


# -- str_split ---------------------------------------------------------------


class StrSplit(Function):
    """A function for splitting a string into a list, optionally picking one item.

    ``str_split: [delimiter, string]`` or ``str_split: [delimiter, string, index]``.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        self.example = f'"{fn_name}" : [ ",", "apples,pears", <index>]'
        if isinstance(args, (str, Mapping)):
            raise TypeError(self._usage())

    def _usage(self) -> str:
        return f'Incorrect arguments to "{self.fn_name}" should be: {self.example}'

    def result(self, ctx: ResolveContext) -> Any:
        args = function.resolve(self.args, ctx)
        if not isinstance(args, list) or len(args) < 2:
            raise ValueError(self._usage())
        delimiter, text = args[0], args[1]
        if text is None:
            return None
        if not isinstance(text, str) or not isinstance(delimiter, (str, type(None))):
            raise TypeError(self._usage())
        # A null delimiter splits on runs of whitespace, as Python does.
        pieces = text.split(delimiter)
        if len(args) == 2:
            return pieces
        try:
            index = int(args[2])
        except (TypeError, ValueError):
            raise ValueError(
                f'Incorrect index to "{self.fn_name}" should be: {self.example}'
            ) from None
        try:
            return pieces[index]
        except IndexError:
            raise ValueError(
                f'Incorrect index to "{self.fn_name}" should be between 0 and '
                f"{len(pieces) - 1}"
            ) from None


# -- digest ------------------------------------------------------------------


class Digest(Function):
    """A function for computing the hex digest of a string (md5, sha256, sha512, ...).

    ``digest: [algorithm, value]``; any algorithm hashlib offers.
    """

    def result(self, ctx: ResolveContext) -> Any:
        args = function.resolve(self.args, ctx)
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise TypeError(f'Argument to function "{self.fn_name}" must be a list of strings')
        if len(args) != 2:
            raise ValueError(f'Function "{self.fn_name}" usage: ["<algorithm>", "<value>"]')
        algorithm, value = args
        available = hashlib.algorithms_available
        if algorithm.lower() not in available:
            # Heat prints the set itself; sorted, so the message is stable.
            listed = ", ".join(repr(a) for a in sorted(available))
            raise ValueError(f"Algorithm must be one of {{{listed}}}")
        digest = hashlib.new(algorithm)
        digest.update(value.encode("latin-1"))
        return digest.hexdigest()
