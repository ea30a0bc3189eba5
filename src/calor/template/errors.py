"""Errors raised by the template language.

Every error a user can cause carries ``path``: the tuple of keys and list
indexes that leads from the top of the template (or environment) to the
offending node. ``file`` and ``line`` are filled in once, where the source is
known (see :func:`calor.template.loader.locate`).

Hierarchy::

    TemplateError
    ├── TemplateSyntaxError          malformed YAML/JSON, not a mapping, too big
    ├── InvalidTemplateVersion       missing, ambiguous or unknown version key
    ├── InvalidTemplateSection       unknown top-level section
    ├── InvalidSchemaError           bad parameter declaration
    ├── StackValidationFailed        anything wrong at a path (the general case)
    │   ├── InvalidTemplateReference get_resource/get_attr/depends_on to nothing
    │   ├── CircularDependency       resources that depend on each other
    │   ├── ResourceTypeNotFound     a type nobody registered
    │   ├── UserParameterMissing     required parameter without a value
    │   ├── UnknownUserParameter     a value for a parameter the template lacks
    │   └── InvalidParameterValue    a value that breaks the parameter's type or constraints
    ├── EnvironmentError_            a malformed environment file
    ├── TemplateLimitExceeded        too many resources
    └── ValidationErrors             several of the above, reported together
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from calor.template.types import Path


def format_path(path: Sequence[str | int]) -> str:
    """Render a path as ``resources.web.properties.networks[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class TemplateError(Exception):
    """Base class of every error the template language raises.

    ``error_type`` is the name Heat gives the same error in its API error
    body, so the API layer can answer exactly as Heat does.
    """

    error_type = "StackValidationFailed"

    def __init__(
        self,
        message: str,
        *,
        path: Path = (),
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path: Path = tuple(path)
        self.file = file
        self.line = line

    def with_path_prefix(self, prefix: Path) -> TemplateError:
        """Prepend ``prefix`` to this error's path (walks wrap errors once)."""
        self.path = tuple(prefix) + self.path
        return self

    @property
    def location(self) -> str:
        """``path (file, line N)``, as much of it as is known."""
        where = format_path(self.path)
        extra = []
        if self.file:
            extra.append(self.file)
        if self.line is not None:
            extra.append(f"line {self.line}")
        if extra:
            where = f"{where} ({', '.join(extra)})" if where else ", ".join(extra)
        return where

    def __str__(self) -> str:
        # Heat's own wording: "<dotted.path>: <message>" when a path is known.
        if self.path:
            return f"{format_path(self.path)}: {self.message}"
        return self.message

    def describe(self) -> str:
        """The message with file and line, for a terminal."""
        loc = self.location
        return f"{loc}: {self.message}" if loc else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, path={format_path(self.path)!r})"


class TemplateSyntaxError(TemplateError):
    """The text is not a YAML/JSON mapping, or it is too large."""

    error_type = "HTTPBadRequest"


class InvalidTemplateVersion(TemplateError):
    error_type = "InvalidTemplateVersion"


class InvalidTemplateSection(TemplateError):
    error_type = "InvalidTemplateSection"


class InvalidSchemaError(TemplateError):
    error_type = "InvalidSchemaError"


class StackValidationFailed(TemplateError):
    error_type = "StackValidationFailed"


class InvalidTemplateReference(StackValidationFailed):
    error_type = "InvalidTemplateReference"

    def __init__(self, resource: str, key: str, *, path: Path = ()) -> None:
        super().__init__(
            f'The specified reference "{resource}" (in {key}) is incorrect.', path=path
        )
        self.resource = resource
        self.key = key

    def __str__(self) -> str:
        # Heat's message already names where the reference sits.
        return self.message


class CircularDependency(StackValidationFailed):
    error_type = "CircularDependencyException"

    def __init__(self, cycle: Sequence[str], *, path: Path = ()) -> None:
        rendered = " -> ".join([*cycle, cycle[0]]) if cycle else ""
        super().__init__(f"Circular Dependency Found: {rendered}", path=path)
        self.cycle = tuple(cycle)

    def __str__(self) -> str:
        return self.message


class ResourceTypeNotFound(StackValidationFailed):
    error_type = "HTTPBadRequest"

    def __init__(self, type_name: str, *, path: Path = ()) -> None:
        super().__init__(f"The Resource Type ({type_name}) could not be found.", path=path)
        self.type_name = type_name

    def __str__(self) -> str:
        return self.message


class UserParameterMissing(StackValidationFailed):
    error_type = "UserParameterMissing"

    def __init__(self, name: str, *, path: Path = ()) -> None:
        super().__init__(f"The Parameter ({name}) was not provided.", path=path)
        self.name = name

    def __str__(self) -> str:
        return self.message


class UnknownUserParameter(StackValidationFailed):
    error_type = "UnknownUserParameter"

    def __init__(self, name: str, *, path: Path = ()) -> None:
        super().__init__(f"The Parameter ({name}) was not defined in template.", path=path)
        self.name = name

    def __str__(self) -> str:
        return self.message


class InvalidParameterValue(StackValidationFailed):
    """A value breaks a parameter's type or one of its constraints."""

    error_type = "StackValidationFailed"

    def __init__(self, name: str, reason: str, *, path: Path = ()) -> None:
        super().__init__(f'Parameter \'{name}\' is invalid: {reason}', path=path)
        self.name = name
        self.reason = reason


class EnvironmentError_(TemplateError):
    """A malformed environment file."""

    error_type = "HTTPBadRequest"


class TemplateLimitExceeded(TemplateError):
    error_type = "RequestLimitExceeded"


class ValidationErrors(TemplateError):
    """Several problems found in one pass, reported together."""

    def __init__(self, errors: Iterable[TemplateError]) -> None:
        self.errors = list(errors)
        first = self.errors[0] if self.errors else None
        super().__init__(
            str(first) if first else "validation failed",
            path=first.path if first else (),
            file=first.file if first else None,
            line=first.line if first else None,
        )
        if first is not None:
            self.error_type = first.error_type

    def __str__(self) -> str:
        return str(self.errors[0]) if self.errors else self.message

    def describe(self) -> str:
        return "\n".join(e.describe() for e in self.errors)
