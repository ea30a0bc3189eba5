"""``calor admin ...``: operator tasks, run against the database directly.

``calor admin bootstrap`` does what ``keystone-manage bootstrap`` does for
Keystone: the default domain, the roles admin/member/reader, a project and
an admin user holding the admin role on it. Running it again is safe: it
creates what is missing, enables the admin user and resets its password to
the one given. With ``--clouds-yaml`` it also writes (or updates) a
clouds.yaml entry, so ``openstack --os-cloud calor ...`` works at once.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml

from calor.cli.errors import fail, reports_errors
from calor.cli.stack_common import DatabaseOption

if TYPE_CHECKING:
    from calor.identity import BootstrapResult

app = typer.Typer(help="Administration: bootstrap the identity service.", no_args_is_help=True)

DEFAULT_AUTH_URL = "http://127.0.0.1:8004/identity"
#: The region every endpoint of Calor's catalog is in (``calor.identity.REGION``).
REGION = "RegionOne"


@app.command("bootstrap")
@reports_errors
def bootstrap_command(
    admin_password: Annotated[
        str, typer.Option("--admin-password", envvar="CALOR_BOOTSTRAP_PASSWORD",
                          help="Password of the admin user (set or reset).")
    ],
    admin_username: Annotated[
        str, typer.Option("--admin-username", help="Name of the admin user.")
    ] = "admin",
    project_name: Annotated[
        str, typer.Option("--project-name", help="Project the admin role is granted on.")
    ] = "admin",
    database_url: DatabaseOption = None,
    clouds_yaml: Annotated[
        Path | None, typer.Option("--clouds-yaml", help="Write a clouds.yaml entry here.")
    ] = None,
    cloud_name: Annotated[
        str, typer.Option("--cloud-name", help="Name of the clouds.yaml entry.")
    ] = "calor",
    auth_url: Annotated[
        str, typer.Option("--auth-url", help="Identity URL the clouds.yaml entry names.")
    ] = DEFAULT_AUTH_URL,
) -> None:
    """Create the first project and admin user (idempotently), like keystone-manage bootstrap."""
    if not admin_password:
        raise fail("ERROR: --admin-password must not be empty")
    for option, value in (("--admin-username", admin_username),
                          ("--project-name", project_name)):
        if not value.strip() or len(value) > 64:
            raise fail(f"ERROR: {option} must be 1 to 64 characters, not {value!r}")
    result = asyncio.run(_bootstrap(database_url, admin_password, admin_username, project_name))
    for change in result.changes:
        print(change)
    if not result.changes:
        print(f"Nothing to do: user {admin_username} is admin of project {project_name}")
    if clouds_yaml is not None:
        write_cloud(clouds_yaml, cloud_name, cloud_entry(
            auth_url, admin_username, admin_password, project_name
        ))
        print(f"Wrote cloud {cloud_name} to {clouds_yaml}")


async def _bootstrap(
    database_url: str | None, password: str, username: str, project: str
) -> BootstrapResult:
    # Imported here: every other ``calor`` command starts faster without argon2 and httpx.
    from calor.identity import Passwords, bootstrap
    from calor.store import Store

    passwords = Passwords()
    try:
        async with Store.open(database_url) as store:
            return await bootstrap(store.identity, passwords, admin_password=password,
                                   admin_username=username, project_name=project)
    finally:
        passwords.close()


def cloud_entry(auth_url: str, username: str, password: str, project: str) -> dict[str, Any]:
    """A clouds.yaml entry for password authentication against Calor's identity."""
    return {
        "auth": {
            "auth_url": auth_url,
            "username": username,
            "password": password,
            "project_name": project,
            "user_domain_name": "Default",
            "project_domain_name": "Default",
        },
        "region_name": REGION,
        "identity_api_version": 3,
        "interface": "public",
    }


def write_cloud(path: Path, name: str, entry: dict[str, Any]) -> None:
    """Add or replace ``clouds.<name>`` in the file, keeping every other cloud."""
    data: Any = {}
    try:
        if path.exists():
            data = yaml.safe_load(path.read_text()) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"ERROR: Cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise fail(f"ERROR: {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.setdefault("clouds", {}), dict):
        raise fail(f"ERROR: {path} is not a clouds.yaml file (no 'clouds' mapping)")
    data["clouds"][name] = entry
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # It holds a password: readable by its owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            yaml.safe_dump(data, out, default_flow_style=False, sort_keys=False)
        path.chmod(0o600)
    except OSError as exc:
        raise fail(f"ERROR: Cannot write {path}: {exc.strerror}") from None
