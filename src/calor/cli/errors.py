"""Turning user-caused failures into a message and exit code 1, never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from calor.cli.arguments import ArgumentError
from calor.cli.template_files import TemplateFileError, display_name
from calor.config import ConfigError
from calor.service.errors import ServiceError
from calor.service.templates import NotFound, TemplateValidationFailed
from calor.store.errors import StoreError
from calor.template.errors import TemplateError

F = TypeVar("F", bound=Callable[..., Any])


def render_error(error: TemplateError) -> str:
    """``ERROR: <path>: <message> (<file>, line <N>)``."""
    text = str(error)
    where = []
    if error.file:
        where.append(display_name(error.file))
    if error.line is not None:
        where.append(f"line {error.line}")
    if where:
        text += f" ({', '.join(where)})"
    return f"ERROR: {text}"


def fail(message: str) -> typer.Exit:
    print(message, file=sys.stderr)
    return typer.Exit(code=1)


def reports_errors(command: F) -> F:
    """Wrap a command so the errors a user can cause print cleanly and exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TemplateValidationFailed as exc:
            for error in exc.errors:
                print(render_error(error), file=sys.stderr)
            raise typer.Exit(code=1) from None
        except TemplateError as exc:
            errors = getattr(exc, "errors", None) or [exc]
            for error in errors:
                print(render_error(error), file=sys.stderr)
            raise typer.Exit(code=1) from None
        except (TemplateFileError, ArgumentError, NotFound, ConfigError, StoreError,
                ServiceError) as exc:
            raise fail(f"ERROR: {exc}") from None

    return wrapper  # type: ignore[return-value]
