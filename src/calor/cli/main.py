"""The ``calor`` command."""

from __future__ import annotations

import typer

from calor.cli import orchestration

app = typer.Typer(
    help="Calor: a fast, standalone orchestration engine that speaks OpenStack Heat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(orchestration.app, name="orchestration")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
