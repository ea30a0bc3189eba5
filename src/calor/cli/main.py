"""The ``calor`` command."""

from __future__ import annotations

from typing import Annotated

import typer

from calor import __version__
from calor.cli import orchestration, sandbox, stack
from calor.cli.admin import app as admin_app
from calor.cli.serve import serve

app = typer.Typer(
    help="Calor: a fast, standalone orchestration engine that speaks OpenStack Heat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(orchestration.app, name="orchestration")
app.add_typer(stack.app, name="stack")
app.add_typer(admin_app, name="admin")
app.command("serve")(serve)
app.add_typer(sandbox.app, name="sandbox")


def _show_version(value: bool) -> None:
    if value:
        print(f"calor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """Calor: a fast, standalone orchestration engine that speaks OpenStack Heat."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
