"""References to parameters, resources, attributes, files and the parent resource."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from calor.template import function
from calor.template.errors import InvalidTemplateReference, StackValidationFailed
from calor.template.function import Function
from calor.template.scope import Scope
from calor.template.types import Path, ResolveContext

#: The resource sections Heat walks for dependencies, by their CFN names,
#: which Heat uses in reference errors whatever the template's format.
_DEPENDENCY_SECTIONS = {
    "properties": "Properties",
    "Properties": "Properties",
    "metadata": "Metadata",
    "Metadata": "Metadata",
}

#: The attribute every resource offers besides its schema.
_SHOW_ATTRIBUTE = "show"

#: What ``dep_attrs`` reports for the all-attributes form of ``get_attr``.
ALL_ATTRIBUTES = "*"


def reference_key(path: Path) -> str:
    """Where a reference stands, as Heat names it in InvalidTemplateReference.

    Inside a resource's properties or metadata that is
    ``<resource>.Properties.<key>[<index>]...`` (the place holding the
    function, without its name). Heat finds bad references elsewhere only
    when it resolves them, and then says ``unknown``.
    """
    where = path[:-1]
    if (
        len(where) >= 3
        and where[0] in ("resources", "Resources")
        and isinstance(where[2], str)
        and where[2] in _DEPENDENCY_SECTIONS
    ):
        key = f"{where[1]}.{_DEPENDENCY_SECTIONS[where[2]]}"
        for part in where[3:]:
            if isinstance(part, int) and not isinstance(part, bool):
                key += f"[{part}]"
            else:
                key += f".{part}"
        return key
    return "unknown"


def select_from_attribute(value: Any, path: Sequence[Any]) -> Any:
    """Walk ``path`` into an attribute value; None when any step fails.

    Components must be strings or integers and are used as they are (a
    string never indexes a list), unlike ``get_param``'s walk.
    """
    for key in path:
        if not _can_step(value, key):
            return None
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _can_step(collection: Any, key: Any) -> bool:
    """Whether a path walk may look ``key`` up in ``collection``."""
    return isinstance(collection, (Mapping, Sequence)) and isinstance(key, (str, int))


def _check_reference(scope: Scope, name: Any, path: Path) -> None:
    """Raise unless ``name`` is a resource of the stack (enabled by its condition)."""
    if not isinstance(name, str) or not scope.has_resource(name):
        raise InvalidTemplateReference(str(name), reference_key(path), path=path)


_MISSING = object()


def _param_component(collection: Any, key: Any) -> Any:
    """One step of get_param's walk (``_MISSING`` when it leads nowhere)."""
    if not _can_step(collection, key):
        return _MISSING
    if isinstance(collection, Sequence) and isinstance(key, str):
        # Unlike get_attr, get_param lets "0" index a list.
        try:
            key = int(key)
        except ValueError:
            return _MISSING
    try:
        return collection[key]
    except (KeyError, IndexError, TypeError):
        return _MISSING


class GetParam(Function):
    """A function for resolving a parameter's value, optionally walking into it.

    ``get_param: name`` or ``get_param: [name, key_or_index, ...]``. A path
    that leads nowhere yields an empty string.
    """

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.args, Function):
            name, _ = self._split(self.args)
            if not isinstance(name, (str, Function)):
                raise TypeError(f'Parameter name in "{self.fn_name}" must be string')

    def _split(self, args: Any) -> tuple[Any, list[Any]]:
        if not args:
            raise ValueError(f'Function "{self.fn_name}" must have arguments')
        if isinstance(args, str):
            return args, []
        if isinstance(args, Sequence):
            return args[0], list(args[1:])
        raise TypeError(f'Argument to "{self.fn_name}" must be string or list')

    def result(self, ctx: ResolveContext) -> Any:
        name, path = self._split(function.resolve(self.args, ctx))
        if not isinstance(name, str):
            raise TypeError(f'Parameter name in "{self.fn_name}" must be string')
        value = ctx.param(name)
        for key in path:
            value = _param_component(value, key)
            if value is _MISSING:
                return ""
        return value


class GetResource(Function):
    """A function for referring to another resource of the stack (its reference id)."""

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.args, Function):
            _check_reference(self.scope, self.args, self.path)

    def dependencies(self) -> Iterator[str]:
        yield from super().dependencies()
        if isinstance(self.args, str):
            yield self.args

    def result(self, ctx: ResolveContext) -> Any:
        name = function.resolve(self.args, ctx)
        if isinstance(self.args, Function):
            # A computed name could not be checked before now.
            _check_reference(self.scope, name, self.path)
        return ctx.resource_ref(name)


class GetAttThenSelect(Function):
    """A function for reading a resource attribute, then walking a path into it.

    ``get_attr: [resource, attribute, key_or_index, ...]`` (2013-05-23: the
    attribute is fetched whole and the path walked here).
    """

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        self.resource_name, self.attribute, self.attr_path = self._parse_args()

    def _parse_args(self) -> tuple[Any, Any, list[Any]]:
        if not isinstance(self.args, Sequence) or isinstance(self.args, str):
            raise TypeError(f'Argument to "{self.fn_name}" must be a list')
        if len(self.args) < 2:
            raise ValueError(
                f'Arguments to "{self.fn_name}" must be of the form '
                "[resource_name, attribute, (path), ...]"
            )
        return self.args[0], self.args[1], list(self.args[2:])

    # -- static checks -------------------------------------------------

    def validate(self) -> None:
        super().validate()
        name = self.resource_name
        if isinstance(name, Function):
            return
        _check_reference(self.scope, name, self.path)
        if self.attribute is None or not isinstance(self.attribute, str):
            return
        known = self.scope.attribute_names(name)
        if known is not None and self.attribute not in known and self.attribute != _SHOW_ATTRIBUTE:
            raise StackValidationFailed(
                f"The Referenced Attribute ({name} {self.attribute}) is incorrect.",
                path=self.path,
            )

    def dependencies(self) -> Iterator[str]:
        yield from super().dependencies()
        if isinstance(self.resource_name, str):
            yield self.resource_name

    def dep_attrs(self) -> Iterator[tuple[str, str]]:
        yield from super().dep_attrs()
        if isinstance(self.resource_name, str):
            if self.attribute is None:
                yield (self.resource_name, ALL_ATTRIBUTES)
            elif isinstance(self.attribute, str):
                yield (self.resource_name, self.attribute)

    # -- resolution ----------------------------------------------------

    def _resolved_name(self, ctx: ResolveContext) -> Any:
        name = function.resolve(self.resource_name, ctx)
        if isinstance(self.resource_name, Function):
            # A computed name could not be checked before now.
            _check_reference(self.scope, name, self.path)
        return name

    def result(self, ctx: ResolveContext) -> Any:
        name = self._resolved_name(ctx)
        attribute = function.resolve(self.attribute, ctx)
        value = ctx.resource_attr(name, attribute, ())
        if value is None:
            return None
        return select_from_attribute(value, function.resolve(self.attr_path, ctx))


class GetAtt(GetAttThenSelect):
    """A function for reading a resource attribute, optionally walking into it.

    ``get_attr: [resource, attribute, key_or_index, ...]``; the resource
    interprets the path (groups use it to reach into their members).
    """

    def result(self, ctx: ResolveContext) -> Any:
        name = self._resolved_name(ctx)
        attribute = function.resolve(self.attribute, ctx)
        return ctx.resource_attr(name, attribute, function.resolve(self.attr_path, ctx))


class GetAttAllAttributes(GetAtt):
    """A function for reading one resource attribute, or all of them as a map.

    ``get_attr: [resource]`` yields every attribute; ``get_attr: [resource,
    attribute, key_or_index, ...]`` one of them.
    """

    def _parse_args(self) -> tuple[Any, Any, list[Any]]:
        if not self.args:
            raise ValueError(
                f'Arguments to "{self.fn_name}" can be of the next forms: '
                "[resource_name] or [resource_name, attribute, (path), ...]"
            )
        if isinstance(self.args, Sequence) and not isinstance(self.args, str) and len(
            self.args
        ) == 1:
            return self.args[0], None, []
        return super()._parse_args()

    def result(self, ctx: ResolveContext) -> Any:
        if self.attribute is not None:
            return super().result(ctx)
        attrs = ctx.resource_attrs(self._resolved_name(ctx))
        return None if attrs is None else dict(attrs)


class GetFile(Function):
    """A function for including the contents of a file from the files map."""

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.args, (str, Function)):
            raise TypeError(f'Argument to "{self.fn_name}" must be a string')

    def result(self, ctx: ResolveContext) -> Any:
        key = function.resolve(self.args, ctx)
        if not isinstance(key, str):
            raise TypeError(f'Argument to "{self.fn_name}" must be a string')
        contents = ctx.file(key)
        if contents is None:
            raise ValueError(
                f'No content found in the "files" section for {self.fn_name} path: {key}'
            )
        return contents


class ResourceFacade(Function):
    """A function for reading the parent resource's metadata, deletion or update policy.

    Meaningful in a provider template: ``resource_facade: metadata``,
    ``deletion_policy`` or ``update_policy``.
    """

    FACETS = ("metadata", "deletion_policy", "update_policy")

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        if not isinstance(args, str) or args not in self.FACETS:
            raise ValueError(
                f'Incorrect arguments to "{fn_name}" should be one of: '
                f"{', '.join(self.FACETS)}"
            )

    def result(self, ctx: ResolveContext) -> Any:
        return ctx.facade(self.args)
