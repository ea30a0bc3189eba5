"""``calor sandbox serve``: the sandbox cloud alone, on a local port."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The sandbox cloud (a local OpenStack for examples and tests).",
                  no_args_is_help=True)

_CLOUDS_YAML = """\
clouds:
  sandbox:
    auth:
      auth_url: {url}/identity
      username: admin
      password: {password}
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: {region}
    identity_api_version: 3
"""


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8799,
    state_file: Annotated[
        Path | None,
        typer.Option("--state-file", help="SQLite file of the cloud's state "
                     "(default: $CALOR_HOME/sandbox.db)."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config-file", help="TOML file with a [sandbox] table."),
    ] = None,
) -> None:
    """Serve the sandbox cloud: Keystone, Nova, Neutron, Cinder, Glance, Swift on one port."""
    import uvicorn

    from calor.sandbox import ConfigError, create_app, load_config

    try:
        config = load_config(config_file, state_file=state_file)
    except ConfigError as error:
        typer.echo(f"ERROR: {error}", err=True)
        raise typer.Exit(1) from None
    app_ = create_app(config)
    url = f"http://{host}:{port}"
    typer.echo(f"Sandbox cloud on {url} (state in {config.state_file}). clouds.yaml:\n")
    typer.echo(_CLOUDS_YAML.format(url=url, password=config.password, region=config.region))
    uvicorn.run(app_, host=host, port=port, log_level="warning")
