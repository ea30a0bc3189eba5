"""What every ``calor stack ...`` command module shares: the typer groups, options, the runner.

Each group of verbs lives in its own module (``stack.py``, ``stack_resource.py``,
...) and adds its commands to the groups here; ``calor.cli.stack`` imports them all.
"""

from __future__ import annotations

import asyncio
import contextvars
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

from calor.cli.output import Format
from calor.clouds import Cloud, CloudConfigError
from calor.service.embedded import Embedded
from calor.service.sandbox_backend import default_cloud
from calor.service.stacks import StackService
from calor.store.records import StackRecord

app = typer.Typer(help="Stacks: create, list, show, delete, and what they hold.",
                  no_args_is_help=True)
resource_app = typer.Typer(help="Resources of a stack.", no_args_is_help=True)
event_app = typer.Typer(help="Events of a stack.", no_args_is_help=True)
output_app = typer.Typer(help="Outputs of a stack.", no_args_is_help=True)
failures_app = typer.Typer(help="Failed resources of a stack.", no_args_is_help=True)
snapshot_app = typer.Typer(help="Snapshots of a stack.", no_args_is_help=True)
hook_app = typer.Typer(help="Hooks (breakpoints) of a stack.", no_args_is_help=True)
template_app = typer.Typer(help="A stack's stored template.", no_args_is_help=True)
environment_app = typer.Typer(help="A stack's stored environment.", no_args_is_help=True)
app.add_typer(resource_app, name="resource")
app.add_typer(event_app, name="event")
app.add_typer(output_app, name="output")
app.add_typer(failures_app, name="failures")
app.add_typer(snapshot_app, name="snapshot")
app.add_typer(hook_app, name="hook")
app.add_typer(template_app, name="template")
app.add_typer(environment_app, name="environment")

T = TypeVar("T")

FormatOption = Annotated[
    Format, typer.Option("-f", "--format", help="Output format.", case_sensitive=False)
]
EnvironmentOption = Annotated[
    list[str] | None, typer.Option("-e", "--environment", help="Environment file.")
]
ParameterOption = Annotated[
    list[str] | None, typer.Option("--parameter", help="key=value (repeatable).")
]
ParameterFileOption = Annotated[
    list[str] | None, typer.Option("--parameter-file", help="key=path.")
]
WaitOption = Annotated[bool, typer.Option("--wait", help="Wait, showing events.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", envvar="CALOR_DATABASE_URL",
                 help="Database URL (default: SQLite in CALOR_HOME)."),
]


#: ``--os-cloud`` of the ``stack`` group, for the command that runs after it.
_OS_CLOUD: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "calor_os_cloud", default=None)


@app.callback()
def _stack_group(
    os_cloud: Annotated[
        str | None,
        typer.Option("--os-cloud", envvar="CALOR_CLOUD",
                     help="The clouds.yaml cloud to build stacks in (default: OS_CLOUD, "
                          "else the built-in sandbox)."),
    ] = None,
) -> None:
    """Stacks: create, list, show, delete, and what they hold."""
    _OS_CLOUD.set(os_cloud)


def _chosen_cloud() -> Cloud | None:
    """The cloud ``--os-cloud`` (or CALOR_CLOUD) names; None leaves the choice to Embedded."""
    name = _OS_CLOUD.get()
    if not name:
        return None
    try:
        return default_cloud(name)
    except CloudConfigError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        raise typer.Exit(code=1) from None


def run(database_url: str | None, work: Callable[[StackService], Awaitable[T]]) -> T:
    """Run ``work`` against an embedded engine (store, queue and worker in this process)."""
    cloud = _chosen_cloud()

    async def main() -> T:
        try:
            async with Embedded(database_url, cloud=cloud) as service:
                return await work(service)
        finally:
            if cloud is not None:
                await asyncio.to_thread(cloud.close)

    return asyncio.run(main())


def time_text(value: Any) -> str | None:
    return None if value is None else str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))


def stack_row(stack: StackRecord) -> list[Any]:
    return [stack.id, stack.name, f"{stack.action}_{stack.status}",
            time_text(stack.created_at), time_text(stack.updated_at)]


STACK_COLUMNS = ["ID", "Stack Name", "Stack Status", "Creation Time", "Updated Time"]
