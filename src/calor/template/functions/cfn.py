"""CloudFormation-style functions: ``Ref`` and the ``Fn::*`` family.

They serve the CFN formats and, until 2014-10-16 removed them, old HOT.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from calor.template.errors import InvalidTemplateReference
from calor.template.function import Function, resolve
from calor.template.functions.conditions import ConditionBoolean
from calor.template.functions.references import reference_key
from calor.template.types import Path, ResolveContext

if TYPE_CHECKING:
    from calor.template.scope import Scope


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


#: The attribute every resource offers besides those of its schema.
_SHOW_ATTRIBUTE = "show"


class ParamRef(Function):
    """The value of a parameter, by name (Ref inside conditions)."""

    def _unknown(self, name: Any) -> InvalidTemplateReference:
        return InvalidTemplateReference(str(name), "unknown", path=self.path)

    def validate(self) -> None:
        super().validate()
        name = self.args
        if not isinstance(name, Function) and not (
            isinstance(name, str) and self.scope.has_parameter(name)
        ):
            raise self._unknown(name)

    def result(self, ctx: ResolveContext) -> Any:
        name = resolve(self.args, ctx)
        if not (isinstance(name, str) and self.scope.has_parameter(name)):
            raise self._unknown(name)
        return ctx.param(name)


class Ref(ParamRef):
    """A resource's reference id, or a parameter's value, by name.

    A name the template declares as a resource refers to that resource
    (``get_resource``); any other name is a parameter (``get_param``).
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        # Decided at parse time, as Heat does: a resource whose condition is
        # false is still a resource, so a Ref to it is a bad reference rather
        # than a parameter lookup.
        self.is_resource = isinstance(args, str) and scope.is_defined_resource(args)

    def validate(self) -> None:
        if not self.is_resource:
            super().validate()
        elif not self.scope.has_resource(self.args):
            raise InvalidTemplateReference(
                self.args, reference_key(self.path), path=self.path
            )

    def result(self, ctx: ResolveContext) -> Any:
        if self.is_resource:
            return ctx.resource_ref(self.args)
        return super().result(ctx)

    def dependencies(self) -> Iterator[str]:
        yield from super().dependencies()
        if self.is_resource:
            yield self.args


class GetAtt(Function):
    """An attribute of a resource, given as [resource_name, attribute]."""

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not _is_list(args) or len(args) != 2:
            raise ValueError(
                f'Arguments to "{fn_name}" must be of the form [resource_name, attribute]'
            )
        self.resource_name, self.attribute = args

    def validate(self) -> None:
        super().validate()
        name = self.resource_name
        if not isinstance(name, str):
            return  # named by a function: only known once resolved
        if not self.scope.has_resource(name):
            raise InvalidTemplateReference(name, reference_key(self.path), path=self.path)
        known = self.scope.attribute_names(name)
        if (
            known is not None
            and isinstance(self.attribute, str)
            and self.attribute not in known
            and self.attribute != _SHOW_ATTRIBUTE
        ):
            raise self.error(f"The Referenced Attribute ({name} {self.attribute}) is incorrect.")

    def result(self, ctx: ResolveContext) -> Any:
        name = resolve(self.resource_name, ctx)
        attribute = resolve(self.attribute, ctx)
        if not isinstance(name, str) or not self.scope.has_resource(name):
            raise InvalidTemplateReference(str(name), "unknown", path=self.path)
        return ctx.resource_attr(name, attribute, [])

    def dependencies(self) -> Iterator[str]:
        yield from super().dependencies()
        if isinstance(self.resource_name, str):
            yield self.resource_name

    def dep_attrs(self) -> Iterator[tuple[str, str]]:
        yield from super().dep_attrs()
        if isinstance(self.resource_name, str) and isinstance(self.attribute, str):
            yield self.resource_name, self.attribute


class Select(Function):
    """One item of a list (by index) or of a map (by key); '' when it is missing.

    Takes ``[index, collection]``. A collection given as a string is read as
    JSON, and an empty string or null collection selects ''.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not _is_list(args) or len(args) != 2:
            raise ValueError(f'Arguments to "{fn_name}" must be of the form [index, collection]')
        self.index, self.collection = args

    def result(self, ctx: ResolveContext) -> Any:
        index = resolve(self.index, ctx)
        collection = resolve(self.collection, ctx)
        if collection == "":
            # What other functions yield while a value is not available yet.
            return ""
        if isinstance(collection, str):
            try:
                collection = json.loads(collection)
            except ValueError as exc:
                raise ValueError(f'"{self.fn_name}": {exc}') from None
        if isinstance(collection, Mapping):
            if not isinstance(index, str):
                raise TypeError(f'Index to "{self.fn_name}" must be a string')
            return collection.get(index, "")
        # A list index written as a string ("1") still counts.
        with contextlib.suppress(ValueError, TypeError):
            index = int(index)
        if _is_list(collection):
            if not isinstance(index, int):
                raise TypeError(f'Index to "{self.fn_name}" must be an integer')
            try:
                return collection[index]
            except IndexError:
                return ""
        if collection is None:
            return ""
        raise TypeError(f"Arguments to {self.fn_name} not fully resolved")


class Join(Function):
    """Join a list of strings with a delimiter, given as [delimiter, [s1, s2, ...]]."""

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        usage = (
            f'Incorrect arguments to "{fn_name}" should be: '
            f'"{fn_name}" : [ " ", [ "str1", "str2"]]'
        )
        if not isinstance(args, list):
            raise TypeError(usage)
        if len(args) != 2:
            raise ValueError(usage)
        self.delimiter, self.strings = args

    def result(self, ctx: ResolveContext) -> str:
        strings = resolve(self.strings, ctx)
        if strings is None:
            strings = []
        if not _is_list(strings):
            raise TypeError(f'"{self.fn_name}" must operate on a list')
        delimiter = resolve(self.delimiter, ctx)
        if not isinstance(delimiter, str):
            raise TypeError(f'"{self.fn_name}" delimiter must be a string')
        return delimiter.join(self._item(s) for s in strings)

    @staticmethod
    def _item(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise TypeError(f"Items to join must be strings not {repr(value)[:200]}")
        return value


class Split(Function):
    """Split a string into a list on a literal delimiter, given as [delimiter, string]."""

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        usage = (
            f'Incorrect arguments to "{fn_name}" should be: '
            f'"{fn_name}" : [ ",", "str1,str2"]]'
        )
        if isinstance(args, str | Mapping) or not _is_list(args):
            raise TypeError(usage)
        if len(args) != 2:
            raise ValueError(usage)
        # The delimiter is never resolved: it must be written as a string.
        self.delimiter, self.string = args

    def result(self, ctx: ResolveContext) -> list[str]:
        string = resolve(self.string, ctx)
        if not isinstance(self.delimiter, str):
            raise TypeError(f"Delimiter for {self.fn_name} must be string")
        if not isinstance(string, str):
            raise TypeError(f"String to split must be string; got {type(string)}")
        return string.split(self.delimiter)


class Replace(Function):
    """Substitute placeholders in a string, given as [{placeholder: value, ...}, string].

    Longer placeholders win over shorter ones they overlap (then the
    alphabetically first), and replaced text is never scanned again.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        usage = (
            f'Incorrect arguments to "{fn_name}" should be: '
            f'{{"{fn_name}": [ {{"$var1": "foo", "%var2%": "bar"}}, "$var1 is %var2%"]}}'
        )
        if isinstance(args, str | Mapping) or not _is_list(args):
            raise TypeError(usage)
        if len(args) != 2:
            raise ValueError(usage)
        self.mapping, self.string = args
        if not isinstance(self.mapping, Mapping | Function):
            raise TypeError(f'"{fn_name}" parameters must be a mapping')

    def result(self, ctx: ResolveContext) -> str:
        template = resolve(self.string, ctx)
        mapping = resolve(self.mapping, ctx)
        if not isinstance(template, str):
            raise TypeError(f'"{self.fn_name}" template must be a string')
        if not isinstance(mapping, Mapping):
            raise TypeError(f'"{self.fn_name}" params must be a map')
        if not all(isinstance(k, str) for k in mapping):
            raise TypeError(f'"{self.fn_name}" param placeholders must be strings')
        keys = sorted(sorted(mapping), key=len, reverse=True)
        values = {k: self._replacement(mapping[k], k) for k in keys}
        return _substitute(template, keys, values)

    def _replacement(self, value: Any, placeholder: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str | int | float | bool):
            raise TypeError(
                f'"{self.fn_name}" params must be strings or numbers, '
                f"param {placeholder} is not valid"
            )
        return str(value)


def _substitute(text: str, keys: Sequence[str], values: Mapping[str, str]) -> str:
    """Replace ``keys`` in order; pieces already replaced are left alone."""
    if not keys:
        return text
    first, rest = keys[0], keys[1:]
    return values[first].join(_substitute(part, rest, values) for part in text.split(first))


class Base64(Function):
    """Its string argument, unchanged (Heat takes user data as plain text)."""

    def result(self, ctx: ResolveContext) -> str:
        value = resolve(self.args, ctx)
        if not isinstance(value, str):
            raise TypeError(f'"{self.fn_name}" argument must be a string')
        return value


class GetAZs(Function):
    """The names of the cloud's availability zones (the region argument is ignored)."""

    def result(self, ctx: ResolveContext) -> list[str]:
        return list(ctx.availability_zones())


class FindInMap(Function):
    """A value from the Mappings section, given as [mapping, key, value]."""

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not _is_list(args) or len(args) != 3:
            raise ValueError(
                f'Arguments to "{fn_name}" must be of the form [mapping, key, value]'
            )
        self.map_name, self.key, self.value = args

    def result(self, ctx: ResolveContext) -> Any:
        map_name = resolve(self.map_name, ctx)
        mapping = self.scope.mapping(map_name) if isinstance(map_name, str) else None
        if mapping is None:
            raise KeyError(map_name)
        return mapping[resolve(self.key, ctx)][resolve(self.value, ctx)]


#: ``.member.<N>.<field>``: how the AWS query API spells list items.
_MEMBER = re.compile(r"\.member\.([0-9]+)\.(.*)")


class MemberListToMap(Function):
    """A map built from an AWS-style member list.

    Takes ``[key_name, value_name, ['.member.0.<key_name>=k', '.member.0.<value_name>=v', ...]]``
    and gives ``{k: v, ...}``.
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not _is_list(args) or len(args) != 3:
            example = (
                "{'Fn::MemberListToMap': ['Name', 'Value', "
                "['.member.0.Name=key', '.member.0.Value=door']]}"
            )
            raise TypeError(f'Wrong Arguments try: "{example}"')
        self.key_name, self.value_name, self.members = args
        if not isinstance(self.key_name, str):
            raise TypeError(f"{fn_name} Key Name must be a string")
        if not isinstance(self.value_name, str):
            raise TypeError(f"{fn_name} Value Name must be a string")

    def result(self, ctx: ResolveContext) -> dict[str, Any]:
        members = resolve(self.members, ctx)
        if isinstance(members, str | Mapping) or not _is_list(members):
            raise TypeError("Member list must be a list")
        fields: dict[int, dict[str, str]] = {}
        for entry in members:
            if not isinstance(entry, str):
                raise TypeError("Member list items must be strings")
            name, sep, value = entry.partition("=")
            if not sep:
                raise ValueError(f"Member list item {entry!r} has no '='")
            match = _MEMBER.match(name)
            if match:
                fields.setdefault(int(match.group(1)), {})[match.group(2)] = value
        return {
            item[self.key_name]: item[self.value_name]
            for _, item in sorted(fields.items())
            if self.key_name in item and self.value_name in item
        }


class ResourceFacade(Function):
    """The parent resource's Metadata, DeletionPolicy or UpdatePolicy (in a provider template)."""

    #: CFN spelling -> the key the resolve context knows.
    _KEYS: Mapping[str, str] = {
        "Metadata": "metadata",
        "DeletionPolicy": "deletion_policy",
        "UpdatePolicy": "update_policy",
    }

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not isinstance(args, str) or args not in self._KEYS:
            raise ValueError(
                f'Incorrect arguments to "{fn_name}" should be one of: '
                f"{', '.join(self._KEYS)}"
            )

    def result(self, ctx: ResolveContext) -> Any:
        return ctx.facade(self._KEYS[self.args])


class Not(ConditionBoolean):
    """True when the condition in its one-element list is false."""

    def check_args(self) -> None:
        if not self.args or not _is_list(self.args) or len(self.args) != 1:
            raise ValueError(f'Arguments to "{self.fn_name}" must be of the form: [condition]')
        self.condition = self.args[0]

    def result(self, ctx: ResolveContext) -> bool:
        return not self.condition_value(resolve(self.condition, ctx))

