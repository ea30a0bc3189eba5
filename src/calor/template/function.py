"""The intrinsic-function machinery: base classes, parsing and tree walks.

A template snippet is parsed once into a tree of plain data with
:class:`Function` objects where the template wrote ``{name: args}`` with a
name from the version's function table. The tree is then validated,
searched for dependencies, or resolved against a :class:`ResolveContext`
any number of times. Each function class implements three things:

- ``validate()``: static checks of its arguments (no outside state);
- ``result(ctx)``: its value, given the outside world through ``ctx``;
- ``dependencies()``: the names of resources it refers to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from calor.template.errors import StackValidationFailed, TemplateError, format_path
from calor.template.types import Path, ResolveContext

if TYPE_CHECKING:
    from calor.template.scope import Scope

#: What parsing a raw snippet at a path produces.
ParseFunc = Callable[[Any, Path], Any]


class Function:
    """One parsed call of an intrinsic function, ``{fn_name: args}``.

    ``path`` leads to the function itself: the path of the mapping that holds
    it, plus its name (``resources.x.properties.y.get_param``), which is how
    Heat names the place in its error messages.
    """

    #: Documented in ``template function list``; the first docstring line
    #: is used when this is empty.
    description: ClassVar[str] = ""

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        self.scope = scope
        self.fn_name = fn_name
        self.args = args
        self.path = path

    # -- the contract --------------------------------------------------

    def validate(self) -> None:
        """Check the arguments; raise a TemplateError (or ValueError/TypeError)."""
        validate(self.args, self.path)

    def result(self, ctx: ResolveContext) -> Any:
        raise NotImplementedError

    def dependencies(self) -> Iterator[str]:
        """Names of the resources this call refers to, directly or in its args."""
        return dependencies(self.args)

    def dep_attrs(self) -> Iterator[tuple[str, str]]:
        """``(resource, attribute)`` pairs this call reads, in its args too."""
        return dep_attrs(self.args)

    # -- helpers -------------------------------------------------------

    def error(self, message: str) -> StackValidationFailed:
        """A validation error placed at this function."""
        return StackValidationFailed(message, path=self.path)

    def to_snippet(self) -> dict[str, Any]:
        """The unparsed ``{name: args}`` form (for templates shown back to users)."""
        return {self.fn_name: to_snippet(self.args)}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.fn_name} at {format_path(self.path)}>"


class Macro(Function):
    """A function that rewrites the template at parse time (``if``).

    A macro receives its raw arguments and the parse callback; it chooses
    what to parse, so a branch it discards is never parsed, validated or
    searched for dependencies.
    """

    def __init__(
        self, scope: Scope, fn_name: str, raw_args: Any, path: Path, parse: ParseFunc
    ) -> None:
        super().__init__(scope, fn_name, raw_args, path)
        self.parsed = self.parse_args(parse)

    def parse_args(self, parse: ParseFunc) -> Any:
        raise NotImplementedError

    def validate(self) -> None:
        validate(self.parsed, self.path)

    def result(self, ctx: ResolveContext) -> Any:
        return resolve(self.parsed, ctx)

    def dependencies(self) -> Iterator[str]:
        return dependencies(self.parsed)

    def dep_attrs(self) -> Iterator[tuple[str, str]]:
        return dep_attrs(self.parsed)

    def to_snippet(self) -> Any:
        # What the template means once the macro has chosen.
        return to_snippet(self.parsed)


class Removed(Function):
    """A name the version knows only to reject it."""

    def validate(self) -> None:
        raise self.error(self.scope.version.removed_message(self.fn_name))

    def result(self, ctx: ResolveContext) -> Any:
        raise self.error(self.scope.version.removed_message(self.fn_name))


class Invalid(Function):
    """An ordinary function used where only condition functions may stand."""

    def __init__(self, scope: Scope, fn_name: str, args: Any, path: Path) -> None:
        super().__init__(scope, fn_name, args, path)
        raise StackValidationFailed(
            f'The function "{fn_name}" is invalid in this context', path=path
        )


#: Marks a value that a two-argument ``if`` removed (2021-04-16 and later).
class _Omitted:
    _instance: ClassVar[_Omitted | None] = None

    def __new__(cls) -> _Omitted:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OMITTED"

    def __bool__(self) -> bool:
        return False


OMITTED: Any = _Omitted()


# -- parsing ---------------------------------------------------------------


def parse(
    scope: Scope,
    snippet: Any,
    path: Path = (),
    table: Mapping[str, type[Function]] | None = None,
) -> Any:
    """Turn ``{name: args}`` maps whose name is in ``table`` into Functions.

    Arguments are parsed first (inside out). Errors raised by a function's
    constructor are reported at the function's path.
    """
    functions = scope.version.functions if table is None else table

    def walk(node: Any, here: Path) -> Any:
        if isinstance(node, dict):
            if len(node) == 1:
                ((key, value),) = node.items()
                cls = functions.get(key) if isinstance(key, str) else None
                if cls is not None:
                    fn_path = (*here, key)
                    try:
                        if issubclass(cls, Macro):
                            return cls(scope, key, value, fn_path, walk)
                        return cls(scope, key, walk(value, fn_path), fn_path)
                    except TemplateError:
                        raise
                    except (ValueError, TypeError, KeyError) as exc:
                        raise StackValidationFailed(_exc_message(exc), path=fn_path) from None
            # Scalars are most of a template: copy them without a call.
            return {
                k: walk(v, (*here, k)) if isinstance(v, (dict, list)) else v
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [
                walk(v, (*here, i)) if isinstance(v, (dict, list)) else v
                for i, v in enumerate(node)
            ]
        return node

    return walk(snippet, tuple(path))


def _exc_message(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc)


# -- walks over parsed trees -----------------------------------------------

#: What a walk descends into; anything else is a scalar.
_NODES = (Function, dict, list)


def resolve(snippet: Any, ctx: ResolveContext, nullable: bool = False) -> Any:
    """The value of a parsed snippet.

    Values a two-argument ``if`` omitted vanish from the lists and maps that
    hold them; at the top they become None unless ``nullable`` asks to see
    :data:`OMITTED`.
    """
    if isinstance(snippet, Function):
        try:
            value = snippet.result(ctx)
        except TemplateError as exc:
            if not exc.path:
                exc.path = snippet.path
            raise
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise StackValidationFailed(_exc_message(exc), path=snippet.path) from None
        if value is OMITTED and not nullable:
            return None
        return value
    # Scalars are copied without a call: they are most of any template.
    if isinstance(snippet, dict):
        out = {}
        for k, v in snippet.items():
            if isinstance(v, _NODES):
                v = resolve(v, ctx, nullable=True)
                if v is OMITTED:
                    continue
            out[k] = v
        return out
    if isinstance(snippet, list):
        items = []
        for v in snippet:
            if isinstance(v, _NODES):
                v = resolve(v, ctx, nullable=True)
                if v is OMITTED:
                    continue
            items.append(v)
        return items
    return snippet


def validate(snippet: Any, path: Path = ()) -> None:
    """Run every function's static checks; the first problem is raised."""
    if isinstance(snippet, Function):
        try:
            snippet.validate()
        except TemplateError as exc:
            if not exc.path:
                exc.path = snippet.path
            raise
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise StackValidationFailed(_exc_message(exc), path=snippet.path) from None
    elif isinstance(snippet, dict):
        for v in snippet.values():
            if isinstance(v, _NODES):
                validate(v)
    elif isinstance(snippet, list):
        for v in snippet:
            if isinstance(v, _NODES):
                validate(v)


def dependencies(snippet: Any) -> Iterator[str]:
    """Every resource name the functions in ``snippet`` refer to."""
    if isinstance(snippet, Function):
        yield from snippet.dependencies()
    elif isinstance(snippet, dict):
        for v in snippet.values():
            if isinstance(v, _NODES):
                yield from dependencies(v)
    elif isinstance(snippet, list):
        for v in snippet:
            if isinstance(v, _NODES):
                yield from dependencies(v)


def dep_attrs(snippet: Any) -> Iterator[tuple[str, str]]:
    """Every ``(resource, attribute)`` pair read by ``get_attr`` in ``snippet``."""
    if isinstance(snippet, Function):
        yield from snippet.dep_attrs()
    elif isinstance(snippet, dict):
        for v in snippet.values():
            if isinstance(v, _NODES):
                yield from dep_attrs(v)
    elif isinstance(snippet, list):
        for v in snippet:
            if isinstance(v, _NODES):
                yield from dep_attrs(v)


def functions_in(snippet: Any) -> Iterator[Function]:
    """Every Function object in a parsed tree, outermost first."""
    if isinstance(snippet, Function):
        yield snippet
        inner = snippet.parsed if isinstance(snippet, Macro) else snippet.args
        yield from functions_in(inner)
    elif isinstance(snippet, dict):
        for v in snippet.values():
            yield from functions_in(v)
    elif isinstance(snippet, list):
        for v in snippet:
            yield from functions_in(v)


def has_functions(snippet: Any) -> bool:
    return next(functions_in(snippet), None) is not None


def to_snippet(snippet: Any) -> Any:
    """The raw template form of a parsed tree."""
    if isinstance(snippet, Function):
        return snippet.to_snippet()
    if isinstance(snippet, dict):
        return {k: to_snippet(v) for k, v in snippet.items()}
    if isinstance(snippet, list):
        return [to_snippet(v) for v in snippet]
    return snippet
