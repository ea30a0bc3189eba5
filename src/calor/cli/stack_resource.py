"""``calor stack resource show|metadata|signal`` and ``stack event show``.

The shapes follow python-heatclient's osc commands: ``resource show`` is a
show-one of Heat's resource body (fields sorted, as cliff sorts a dict),
``resource metadata`` prints JSON unless told otherwise, ``resource signal``
prints nothing when the signal was delivered, and ``event show`` lists the
event's fields in the API's order (links as ``href (rel)`` lines and the
properties as indented JSON in a table, raw in JSON or YAML).

A signal is delivered by this process, into the shared database: a
``calor stack create --wait`` running in another shell sees it at its next
look (every 0.1 s for a wait condition).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from calor.cli.errors import fail, reports_errors
from calor.cli.output import Format, emit_one
from calor.cli.stack_common import DatabaseOption, FormatOption, event_app, resource_app, run
from calor.service.signals import (
    SignalError,
    event_show,
    resource_metadata,
    resource_show,
    signal_resource,
)
from calor.service.stacks import StackService
from calor.store.errors import EntityNotFound

F = TypeVar("F", bound=Callable[..., Any])


def _not_found_says(message: str | None) -> Callable[[F], F]:
    """Report a missing stack or resource as heatclient does for this command.

    ``message`` is formatted with the command's arguments; None repeats the
    engine's own words (what heatclient does for ``event show``).
    """

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except EntityNotFound as exc:
                text = str(exc) if message is None else message.format(**kwargs)
                raise fail(f"ERROR: {text}") from None
            except SignalError as exc:
                raise fail(f"ERROR: {exc}") from None

        return wrapper  # type: ignore[return-value]

    return decorate


@resource_app.command("show")
@reports_errors
@_not_found_says("Stack or resource not found: {stack} {resource}")
def resource_show_command(
    stack: Annotated[str, typer.Argument(help="Name or ID of stack to query.")],
    resource: Annotated[str, typer.Argument(help="Name of resource.")],
    with_attr: Annotated[
        list[str] | None,
        typer.Option("--with-attr", help="Attribute to show, can be specified multiple times."),
    ] = None,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Display stack resource."""

    async def work(service: StackService) -> dict[str, Any]:
        return await resource_show(service, stack, resource, with_attr=with_attr or ())

    body = run(database_url, work)
    keys = sorted(body)
    emit_one(keys, [body[k] for k in keys], fmt)


@resource_app.command("metadata")
@reports_errors
@_not_found_says("Stack {stack} or resource {resource} not found.")
def resource_metadata_command(
    stack: Annotated[str, typer.Argument(help="Stack to display (name or ID).")],
    resource: Annotated[str, typer.Argument(help="Name of the resource to show the metadata for.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Show resource metadata."""

    async def work(service: StackService) -> dict[str, Any]:
        return await resource_metadata(service, stack, resource)

    metadata = run(database_url, work)
    emit_one(list(metadata), list(metadata.values()), fmt)


@resource_app.command("signal")
@reports_errors
@_not_found_says("Stack {stack} or resource {resource} not found.")
def resource_signal_command(
    stack: Annotated[str, typer.Argument(help="Name or ID of stack the resource belongs to.")],
    resource: Annotated[str, typer.Argument(help="Name of the resource to signal.")],
    data: Annotated[
        str | None, typer.Option("--data", help="JSON Data to send to the signal handler.")
    ] = None,
    data_file: Annotated[
        str | None,
        typer.Option("--data-file", help="File with the JSON data to send to the signal handler."),
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Signal a resource with optional data."""
    details = _signal_details(data, data_file)

    async def work(service: StackService) -> None:
        await signal_resource(service, stack, resource, details)

    run(database_url, work)


def _signal_details(data: str | None, data_file: str | None) -> dict[str, Any] | None:
    """The JSON object to send, as heatclient reads and checks it."""
    if data and data_file:
        raise fail("ERROR: Should only specify one of data or data-file")
    if data_file:
        try:
            data = Path(data_file).expanduser().read_text()
        except OSError as exc:
            raise fail(f"ERROR: Could not read {data_file}: {exc.strerror}") from None
    if not data:
        return None
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        raise fail(f"ERROR: Data should be in JSON format: {exc}") from None
    if not isinstance(parsed, dict):
        raise fail("ERROR: Data should be a JSON dict")
    return parsed


@event_app.command("show")
@reports_errors
@_not_found_says(None)
def event_show_command(
    stack: Annotated[str, typer.Argument(help="Name or ID of stack to show events for.")],
    resource: Annotated[str, typer.Argument(help="Name of the resource event belongs to.")],
    event: Annotated[str, typer.Argument(help="ID of event to display details for.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show event details."""

    async def work(service: StackService) -> dict[str, Any]:
        return await event_show(service, stack, resource, event)

    body = run(database_url, work)
    if fmt in (Format.table, Format.value):
        body = {**body, "links": _links_text(body["links"]),
                "resource_properties": json.dumps(body["resource_properties"], indent=2,
                                                  ensure_ascii=False)}
    emit_one(list(body), list(body.values()), fmt)


def _links_text(links: list[Mapping[str, str]]) -> str:
    return "\n".join(f"{link.get('href', '')} ({link.get('rel', '')})" for link in links)
