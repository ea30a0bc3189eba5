"""``calor stack snapshot ...``, ``abandon``, ``adopt``, ``export``, ``preview``.

Also ``stack template show`` and ``stack environment show``. Each prints
what ``openstack stack ...`` prints: the same columns, and the same default
format (JSON for abandon and export, YAML for the template, the
environment and a snapshot shown, tables for the rest).

``calor stack create --dry-run`` and ``calor stack update --dry-run`` print
through :func:`create_preview` and :func:`update_preview` here.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from calor.cli.arguments import format_parameters
from calor.cli.errors import fail, reports_errors
from calor.cli.output import Format, emit_list, emit_one
from calor.cli.progress import follow_events, latest_event
from calor.cli.stack_common import (
    STACK_COLUMNS,
    DatabaseOption,
    EnvironmentOption,
    FormatOption,
    ParameterFileOption,
    ParameterOption,
    WaitOption,
    app,
    environment_app,
    run,
    snapshot_app,
    stack_row,
    template_app,
)
from calor.cli.template_files import (
    TemplateBundle,
    add_environment_files,
    load_stack_inputs,
    read_url,
    to_url,
)
from calor.config import Limits
from calor.service.abandon import (
    abandon_stack,
    adopt_stack,
    export_stack,
    stack_environment,
    stack_template,
)
from calor.service.preview import preview_stack, preview_update_stack
from calor.service.snapshots import (
    create_snapshot,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
    show_snapshot,
    snapshot_body,
)
from calor.service.stacks import StackService
from calor.store.records import StackRecord

StackArgument = Annotated[str, typer.Argument(help="Name or ID of the stack.")]
SnapshotArgument = Annotated[str, typer.Argument(help="ID of the snapshot.")]
OutputFileOption = Annotated[
    str | None, typer.Option("--output-file", help="Write the data (JSON) to this file.")
]

#: ``snapshot create`` shows these fields (osc's names for Heat's keys).
SNAPSHOT_CREATE_COLUMNS = ["ID", "name", "action", "status", "status_reason", "data",
                           "creation_time"]
#: ``snapshot list`` columns.
SNAPSHOT_LIST_COLUMNS = ["id", "name", "action", "status", "status_reason", "creation_time"]
#: What ``stack environment show`` prints of the environment.
ENVIRONMENT_FIELDS = ["parameters", "resource_registry", "parameter_defaults"]


# -- snapshots -----------------------------------------------------------------


@snapshot_app.command("create")
@reports_errors
def snapshot_create(
    stack: StackArgument,
    name: Annotated[str | None, typer.Option("--name", help="Name of the snapshot.")] = None,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Snapshot a stack: its template, environment and every resource's data."""
    snapshot = run(database_url, lambda s: create_snapshot(s, stack, name))
    body = snapshot_body(snapshot)
    emit_one(SNAPSHOT_CREATE_COLUMNS, [body[c.lower()] for c in SNAPSHOT_CREATE_COLUMNS], fmt)


@snapshot_app.command("list")
@reports_errors
def snapshot_list(
    stack: StackArgument, database_url: DatabaseOption = None, fmt: FormatOption = Format.table,
) -> None:
    """List a stack's snapshots, oldest first."""
    snapshots = run(database_url, lambda s: list_snapshots(s, stack))
    bodies = [snapshot_body(s) for s in snapshots]
    emit_list(SNAPSHOT_LIST_COLUMNS, [[b[c] for c in SNAPSHOT_LIST_COLUMNS] for b in bodies],
              fmt)


@snapshot_app.command("show")
@reports_errors
def snapshot_show(
    stack: StackArgument, snapshot: SnapshotArgument, database_url: DatabaseOption = None,
    fmt: FormatOption = Format.yaml,
) -> None:
    """Show a snapshot, with the data it keeps."""
    body = snapshot_body(run(database_url, lambda s: show_snapshot(s, stack, snapshot)))
    emit_one(list(body), list(body.values()), fmt)


@snapshot_app.command("delete")
@reports_errors
def snapshot_delete(
    stack: StackArgument, snapshot: SnapshotArgument,
    yes: Annotated[bool, typer.Option("-y", "--yes", help="Do not ask for confirmation.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Delete a snapshot."""
    if not yes and sys.stdin.isatty():
        answer = input("Are you sure you want to delete the snapshot of this stack [Y/N]?")
        if not answer.strip().lower().startswith("y"):
            return
    run(database_url, lambda s: delete_snapshot(s, stack, snapshot))


@snapshot_app.command("restore")
@reports_errors
def snapshot_restore(
    stack: StackArgument, snapshot: SnapshotArgument, wait: WaitOption = False,
    database_url: DatabaseOption = None,
) -> None:
    """Restore a stack to a snapshot (a RESTORE: an update back to what it saved)."""

    async def work(service: StackService) -> StackRecord | None:
        last = await latest_event(service, await service.find(stack))
        restoring = await restore_snapshot(service, stack, snapshot)
        if wait:
            await follow_events(service, restoring, after=last)
        return await service.wait(restoring.id)

    _exit_unless_complete(run(database_url, work))


# -- abandon, export, adopt ---------------------------------------------------------


@app.command("abandon")
@reports_errors
def stack_abandon(
    stack: StackArgument, output_file: OutputFileOption = None,
    database_url: DatabaseOption = None, fmt: FormatOption = Format.json,
) -> None:
    """Forget a stack, keeping every resource it made, and print its abandon data."""
    # Checked before the stack goes, so the data is not lost to a path that cannot be written.
    _check_writable(output_file)
    _emit_data(run(database_url, lambda s: abandon_stack(s, stack)), output_file, fmt)


@app.command("export")
@reports_errors
def stack_export(
    stack: StackArgument, output_file: OutputFileOption = None,
    database_url: DatabaseOption = None, fmt: FormatOption = Format.json,
) -> None:
    """Print a stack's abandon data (the stack stays)."""
    _emit_data(run(database_url, lambda s: export_stack(s, stack)), output_file, fmt)


@app.command("adopt")
@reports_errors
def stack_adopt(
    name: Annotated[str, typer.Argument(help="Name of the stack to adopt.")],
    adopt_file: Annotated[
        str, typer.Option("--adopt-file", help="Path to the adopt data (from abandon).")
    ],
    environment: EnvironmentOption = None,
    parameter: ParameterOption = None,
    timeout: Annotated[
        int | None, typer.Option("--timeout", help="Stack adopt timeout in minutes.")
    ] = None,
    enable_rollback: Annotated[
        bool, typer.Option("--enable-rollback", help="Roll back if the adopt fails.")
    ] = False,
    wait: WaitOption = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Create a stack that takes over the resources named in abandon data."""
    url = to_url(adopt_file)
    data = read_url(url)
    # Environment files are read as for create; their files ride along.
    environments = TemplateBundle(data={}, text="", url=url)
    add_environment_files(environments, environment or [])
    params = format_parameters(parameter)

    async def work(service: StackService) -> StackRecord | None:
        stack = await adopt_stack(
            service, name, data, files=environments.files,
            environment_files=environments.environment_files, parameters=params,
            timeout_mins=timeout, disable_rollback=not enable_rollback,
        )
        if wait:
            await follow_events(service, stack)
        return await service.wait(stack.id)

    stack = run(database_url, work)
    if stack is not None:
        emit_one(STACK_COLUMNS, stack_row(stack), fmt)
    _exit_unless_complete(stack, quiet=True)


# -- previews -----------------------------------------------------------------------


def print_create_preview(body: Mapping[str, Any], fmt: Format) -> None:
    """A create preview as ``openstack stack create --dry-run`` prints it: sorted fields."""
    columns = sorted(body)
    emit_one(columns, [body[c] for c in columns], fmt)


def print_update_preview(changes: Mapping[str, Any], fmt: Format) -> None:
    """An update preview as ``openstack stack update --dry-run`` prints it."""
    found = changes.get("resource_changes", {})
    columns = sorted(found)
    emit_one(columns, [found[c] for c in columns], fmt)


def create_preview(
    database_url: str | None, name: str, bundle: TemplateBundle, params: Mapping[str, Any],
    *, timeout: int | None = None, enable_rollback: bool = False,
    tags: list[str] | None = None, fmt: Format = Format.table,
) -> None:
    """``stack create --dry-run``: preview, print; nothing is stored."""
    body = run(database_url, lambda s: preview_stack(
        s, name, bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files,
        environment_files=bundle.environment_files, parameters=params, timeout_mins=timeout,
        disable_rollback=not enable_rollback, tags=tags or [],
    ))
    print_create_preview(body, fmt)


def update_preview(
    database_url: str | None, stack: str, bundle: TemplateBundle, params: Mapping[str, Any],
    *, show_nested: bool = False, fmt: Format = Format.table,
) -> None:
    """``stack update --dry-run``: what would be added, deleted, replaced, updated, kept."""
    changes = run(database_url, lambda s: preview_update_stack(
        s, stack, bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files,
        environment_files=bundle.environment_files, parameters=params, show_nested=show_nested,
    ))
    print_update_preview(changes, fmt)


@app.command("preview", hidden=True)
@reports_errors
def stack_preview(
    name: Annotated[str, typer.Argument(help="Name of the stack to preview.")],
    template: Annotated[str, typer.Option("-t", "--template", help="Path to the template.")],
    environment: EnvironmentOption = None,
    parameter: ParameterOption = None,
    parameter_file: ParameterFileOption = None,
    timeout: Annotated[int | None, typer.Option("--timeout", help="Minutes.")] = None,
    enable_rollback: Annotated[bool, typer.Option("--enable-rollback")] = False,
    tags: Annotated[str | None, typer.Option("--tags", help="Comma-separated tags.")] = None,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Preview a create (as ``stack create --dry-run``): nothing is stored."""
    bundle, params = load_stack_inputs(
        template, environment, parameter, parameter_file,
        max_size=Limits.from_environment().max_template_size,
    )
    create_preview(database_url, name, bundle, params, timeout=timeout,
                   enable_rollback=enable_rollback,
                   tags=[t for t in (tags or "").split(",") if t], fmt=fmt)


# -- what the store keeps ------------------------------------------------------------


@template_app.command("show")
@reports_errors
def template_show(
    stack: StackArgument, database_url: DatabaseOption = None, fmt: FormatOption = Format.yaml,
) -> None:
    """Show the template a stack was created (or last updated) with."""
    template = run(database_url, lambda s: stack_template(s, stack))
    columns = sorted(template)
    emit_one(columns, [template[c] for c in columns], fmt)


@environment_app.command("show")
@reports_errors
def environment_show(
    stack: StackArgument, database_url: DatabaseOption = None, fmt: FormatOption = Format.yaml,
) -> None:
    """Show a stack's environment (hidden parameters masked)."""
    environment = run(database_url, lambda s: stack_environment(s, stack))
    columns = [f for f in ENVIRONMENT_FIELDS if f in environment]
    emit_one(columns, [environment[c] for c in columns], fmt)


# -- helpers --------------------------------------------------------------------------


def _check_writable(path: str | None) -> None:
    """Fail now if ``path`` cannot be written (leaving no trace of the check)."""
    if path is None:
        return
    existed = os.path.exists(path)
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise fail(f"ERROR: {exc}") from None
    if not existed:
        os.remove(path)


def _emit_data(data: Mapping[str, Any], path: str | None, fmt: Format) -> None:
    """Abandon data to the file (as JSON, like heatclient), else printed in ``fmt``."""
    if path is None:
        emit_one(list(data), list(data.values()), fmt)
        return
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=2))
    except OSError as exc:
        raise fail(f"ERROR: {exc}") from None


def _exit_unless_complete(stack: StackRecord | None, *, quiet: bool = False) -> None:
    """Exit 1 (saying why, unless the stack table already shows it) if the action failed."""
    if stack is None or stack.status == "COMPLETE":
        return
    if not quiet:
        print(f"ERROR: Stack {stack.name} is {stack.action}_{stack.status}: "
              f"{stack.status_reason}", file=sys.stderr)
    raise typer.Exit(code=1)
