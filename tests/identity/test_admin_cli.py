"""``calor admin bootstrap``: the first admin, idempotently, and a clouds.yaml entry."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import yaml
from tests.identity.conftest import password_auth

from calor.identity import IdentityService
from calor.store import Store


def calor(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calor", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


async def test_bootstrap_creates_an_admin_who_can_log_in_and_is_idempotent(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'calor.db'}"
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text(yaml.safe_dump({"clouds": {"other": {"auth": {"auth_url": "x"}}}}))
    first = calor("admin", "bootstrap", "--admin-password", "pw-1", "--database-url", url,
                  "--clouds-yaml", str(clouds), "--auth-url", "http://127.0.0.1:9999/identity",
                  cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "Created domain Default", "Created role admin", "Created role member",
        "Created role reader", "Created project admin", "Created user admin",
        "Granted role admin on project admin to user admin",
        f"Wrote cloud calor to {clouds}",
    ]
    again = calor("admin", "bootstrap", "--admin-password", "pw-2", "--database-url", url,
                  cwd=tmp_path)
    assert again.stdout.splitlines() == ["Reset the password of user admin"]
    async with Store.open(url) as store:
        identity = IdentityService(store)
        try:
            token = await identity.authenticator.authenticate(
                password_auth("admin", "pw-2", "admin")
            )
            assert token.is_admin
            assert len(await store.identity.users.list()) == 1
        finally:
            identity.close()

    # The clouds.yaml entry was merged beside the other cloud, readable by its owner only.
    data = yaml.safe_load(clouds.read_text())
    assert set(data["clouds"]) == {"other", "calor"}
    assert data["clouds"]["calor"]["auth"] == {
        "auth_url": "http://127.0.0.1:9999/identity", "username": "admin", "password": "pw-1",
        "project_name": "admin", "user_domain_name": "Default",
        "project_domain_name": "Default",
    }
    assert data["clouds"]["calor"]["region_name"] == "RegionOne"
    assert stat.S_IMODE(clouds.stat().st_mode) == 0o600


def test_bootstrap_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text("- just a list\n")
    wrong = calor("admin", "bootstrap", "--admin-password", "pw", "--database-url",
                  f"sqlite:///{tmp_path / 'c.db'}", "--clouds-yaml", str(clouds), cwd=tmp_path)
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines()[-1] == (
        f"ERROR: {clouds} is not a clouds.yaml file (no 'clouds' mapping)"
    )
    assert "Traceback" not in wrong.stderr


def test_the_clouds_yaml_region_is_the_catalogs() -> None:
    from calor.cli import admin
    from calor.identity import REGION

    assert admin.REGION == REGION
