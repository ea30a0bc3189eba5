"""Functions over lists and maps: repeat, map_merge, map_replace, list_concat, filter, contains."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from calor.template import function
from calor.template.function import Function
from calor.template.scope import Scope
from calor.template.types import Path, ResolveContext


def _is_list(value: Any) -> bool:
    """A sequence that is not a string."""
    return isinstance(value, Sequence) and not isinstance(value, str)


# -- maps --------------------------------------------------------------------


class MapMerge(Function):
    """A function for merging maps; keys of later maps win.

    ``map_merge: [map, map, ...]``; a null map counts as empty. The merge is
    shallow.
    """

    def result(self, ctx: ResolveContext) -> Any:
        maps = function.resolve(self.args, ctx)
        if not isinstance(maps, Sequence):
            raise TypeError(
                f'Incorrect arguments to "{self.fn_name}" should be: '
                f'"{self.fn_name}" : [ {{ "key1": "val1" }}, {{ "key2": "val2" }} ]'
            )
        merged: dict[Any, Any] = {}
        for item in maps:
            if item is None:
                continue
            if not isinstance(item, Mapping):
                raise TypeError(
                    "Incorrect arguments: Items to merge must be maps. "
                    f"{repr(item)[:200]} is type {type(item)} instead of a dict"
                )
            merged.update(item)
        return merged


class MapReplace(Function):
    """A function for renaming keys and replacing values of a map.

    ``map_replace: [map, {keys: {old: new}, values: {old: new}}]``; values are
    replaced where they equal a ``values`` key exactly.
    """

    def _example(self) -> str:
        return (
            f'"{self.fn_name}" : [ {{ "key1": "val1" }}, '
            '{"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]'
        )

    def _usage_error(self) -> TypeError:
        return TypeError(f'Incorrect arguments to "{self.fn_name}" should be: {self._example()}')

    def _as_map(self, value: Any) -> Mapping[Any, Any]:
        if value is None:
            return {}
        if isinstance(value, Mapping):
            return value
        raise TypeError(
            f'Incorrect arguments: to "{self.fn_name}", arguments must be a list of maps. '
            f"Example:  {self._example()}"
        )

    def result(self, ctx: ResolveContext) -> Any:
        args = function.resolve(self.args, ctx)
        if not isinstance(args, list) or not args:
            raise self._usage_error()
        source = self._as_map(args[0])
        if len(args) < 2:
            raise self._usage_error()
        replacements = self._as_map(args[1])
        if len(args) > 2:
            raise self._usage_error()
        if any(k not in ("keys", "values") for k in replacements):
            raise ValueError(
                f'Incorrect arguments to "{self.fn_name}" should be: {self._example()}'
            )
        new_keys = self._as_map(replacements.get("keys", {}))
        new_values = self._as_map(replacements.get("values", {}))

        replaced: dict[Any, Any] = {}
        for key, value in source.items():
            new_key = new_keys.get(key)
            if new_key is None:
                new_key = key
            elif new_key in source and new_key != key:
                raise ValueError(
                    f"key replacement {new_key} collides with a key in the input map"
                )
            elif new_key in replaced:
                raise ValueError(
                    f"key replacement {new_key} collides with a key in the output map"
                )
            try:
                replaced[new_key] = new_values.get(value, value)
            except TypeError:
                # An unhashable value cannot be named in ``values``.
                replaced[new_key] = value
        return replaced


# -- lists -------------------------------------------------------------------


class ListConcat(Function):
    """A function for concatenating lists; null lists are skipped.

    ``list_concat: [list, list, ...]``.
    """

    unique: ClassVar[bool] = False

    def result(self, ctx: ResolveContext) -> Any:
        lists = function.resolve(self.args, ctx)
        if not _is_list(lists):
            raise TypeError(
                f'Incorrect arguments to "{self.fn_name}" should be: '
                f'"{self.fn_name}" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]'
            )
        items: list[Any] = []
        for each in lists:
            if each is None:
                continue
            if not _is_list(each):
                raise TypeError(
                    "Incorrect arguments: Items to concat must be lists. "
                    f"{_json(lists)} contains an item that is not a list: {_json(each)}"
                )
            items.extend(each)
        if not self.unique:
            return items
        # Items may be maps or lists, so no set: compare by equality.
        distinct: list[Any] = []
        for item in items:
            if item not in distinct:
                distinct.append(item)
        return distinct


def _json(value: Any) -> str:
    return json.dumps(value, default=str)


class ListConcatUnique(ListConcat):
    """A function for concatenating lists, keeping the first of equal items.

    ``list_concat_unique: [list, list, ...]``.
    """

    unique = True


class Filter(Function):
    """A function for removing the given values from a list.

    ``filter: [values, list]``.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not _is_list(args):
            raise TypeError(f'Argument to "{fn_name}" must be a list')
        if len(args) != 2:
            raise ValueError(
                f'"{fn_name}" expected 2 arguments of the form [values, sequence] '
                f"but got {len(args)} arguments instead"
            )
        self.values, self.sequence = args

    def result(self, ctx: ResolveContext) -> Any:
        sequence = function.resolve(self.sequence, ctx)
        if not sequence:
            return sequence
        if not isinstance(sequence, list):
            raise TypeError(f'"{self.fn_name}" only works with lists')
        values = function.resolve(self.values, ctx)
        if not values:
            return sequence
        if not isinstance(values, list):
            raise TypeError(f'"{self.fn_name}" filters a list of values')
        return [item for item in sequence if item not in values]


class Contains(Function):
    """A function for testing whether a value is in a list (or a substring of a string).

    ``contains: [value, sequence]``.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not args or not isinstance(args, list):
            raise TypeError(
                f'Incorrect arguments to "{fn_name}" should be: '
                f'"{fn_name}" : [ "value1", [ "value1", "value2"]]'
            )
        if len(args) != 2:
            raise ValueError(
                f'Arguments to "{fn_name}" must be of the form: [value1, [value1, value2]]'
            )
        self.value, self.sequence = args

    def result(self, ctx: ResolveContext) -> Any:
        value = function.resolve(self.value, ctx)
        sequence = function.resolve(self.sequence, ctx)
        if not isinstance(sequence, Sequence):
            raise TypeError(f'Second argument to "{self.fn_name}" should be a sequence.')
        return value in sequence


# -- repeat ------------------------------------------------------------------


class Repeat(Function):
    """A function for repeating a template once for each item of one or more lists.

    ``repeat: {template: ..., for_each: {placeholder: list, ...}}``; several
    placeholders give every combination of their items.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not isinstance(args, Mapping):
            raise TypeError(f'Arguments to "{fn_name}" must be a map')
        # Heat ignores keys it does not know, and so do we.
        if "for_each" not in args or "template" not in args:
            example = (
                "repeat:\n"
                "              template: This is %var%\n"
                "              for_each:\n"
                "                %var%: ['a', 'b', 'c']"
            )
            raise KeyError(f'"repeat" syntax should be {example}')
        self.for_each = args["for_each"]
        self.template = args["template"]
        self.permutations = self._permutations(args)

    def _permutations(self, args: Mapping[str, Any]) -> bool:
        return True

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.for_each, (Function, Mapping)):
            raise TypeError(
                f'The "for_each" argument to "{self.fn_name}" must contain a map'
            )

    def _accepts(self, value: Any) -> bool:
        """Whether a ``for_each`` value can be looped over."""
        return _is_list(value)

    def _accepted(self) -> str:
        """What ``for_each`` values may be, in the words of the error message."""
        return "lists"

    def result(self, ctx: ResolveContext) -> Any:
        for_each = function.resolve(self.for_each, ctx)
        if not isinstance(for_each, Mapping):
            raise TypeError(
                f'The "for_each" argument to "{self.fn_name}" must contain a map'
            )
        if not for_each:
            # What Heat's unpacking of an empty for_each says.
            raise ValueError("not enough values to unpack (expected 2, got 0)")
        placeholders = list(for_each)
        loops: list[Iterable[Any]] = []
        lengths = set()
        for value in for_each.values():
            if value is None:
                # A reference that is not ready yet: nothing to repeat.
                loops.append([])
                continue
            if not self._accepts(value):
                raise TypeError(
                    f'The values of the "for_each" argument to "{self.fn_name}" '
                    f"must be {self._accepted()}"
                )
            loops.append(value)
            lengths.add(len(value))
        if not self.permutations and len(lengths) > 1:
            raise ValueError(
                f"For {self.fn_name}, the length of for_each values should be equal "
                "if no nested loop."
            )
        template = function.resolve(self.template, ctx)
        combine = itertools.product if self.permutations else zip
        return [
            _substitute(template, list(zip(placeholders, items, strict=True)))
            for items in combine(*loops)
        ]


def _substitute(template: Any, pairs: list[tuple[Any, Any]]) -> Any:
    """``template`` with each placeholder replaced, in keys and values alike."""
    if isinstance(template, str):
        # One placeholder after the other: later ones see earlier results.
        for placeholder, value in pairs:
            template = template.replace(placeholder, value)
        return template
    if isinstance(template, Mapping):
        return {_substitute(k, pairs): _substitute(v, pairs) for k, v in template.items()}
    if isinstance(template, Sequence):
        return [_substitute(item, pairs) for item in template]
    return template


class RepeatWithMap(Repeat):
    """A function for repeating a template for each item of lists or each key of maps.

    ``repeat: {template: ..., for_each: {placeholder: list_or_map, ...}}``.
    """

    def _accepts(self, value: Any) -> bool:
        return _is_list(value) or isinstance(value, Mapping)

    def _accepted(self) -> str:
        return "lists or maps"


class RepeatWithNestedLoop(RepeatWithMap):
    """A function for repeating a template over lists or maps, nested or side by side.

    ``repeat: {template: ..., for_each: {...}, permutations: false}`` walks
    equally long lists in step instead of over every combination.
    """

    def _permutations(self, args: Mapping[str, Any]) -> bool:
        permutations = args.get("permutations", True)
        if not isinstance(permutations, bool):
            raise TypeError(
                f'"permutations" should be boolean type for {self.fn_name} function.'
            )
        return permutations

    def _accepts(self, value: Any) -> bool:
        # In step, map keys have no order to pair by: lists only.
        return super()._accepts(value) if self.permutations else _is_list(value)

    def _accepted(self) -> str:
        return super()._accepted() if self.permutations else "lists"
