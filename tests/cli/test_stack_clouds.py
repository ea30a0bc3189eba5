"""``calor stack`` builds in the embedded sandbox, or in the cloud ``--os-cloud`` names."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from openstack.connection import Connection
from tests.sandbox.running import SDK_WARNINGS, RunningSandbox, sandbox_config, serve

pytestmark = SDK_WARNINGS

NETWORK = textwrap.dedent("""\
    heat_template_version: 2018-08-31
    parameters:
      name: {type: string}
    resources:
      net:
        type: OS::Neutron::Net
        properties: {name: {get_param: name}}
      subnet:
        type: OS::Neutron::Subnet
        properties: {network: {get_resource: net}, cidr: 10.60.0.0/24}
    outputs:
      net: {value: {get_resource: net}}
    """)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    workdir = tmp_path_factory.mktemp("cli-cloud")
    with serve(sandbox_config(workdir / "sandbox.db"), workdir) as running:
        yield running


def calor(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    variables = {k: v for k, v in os.environ.items()
                 if k not in ("OS_CLOUD", "CALOR_CLOUD", "OS_CLIENT_CONFIG_FILE")}
    return subprocess.run([sys.executable, "-m", "calor", *args], capture_output=True,
                          text=True, cwd=home, timeout=120,
                          env={**variables, "CALOR_HOME": str(home), **env})


def test_os_cloud_builds_the_stack_in_that_cloud(tmp_path: Path, cloud: RunningSandbox) -> None:
    (tmp_path / "net.yaml").write_text(NETWORK)
    env = {"OS_CLIENT_CONFIG_FILE": str(cloud.clouds_yaml)}
    created = calor(tmp_path, "stack", "--os-cloud", "sandbox", "create", "-t", "net.yaml",
                    "--parameter", "name=cli-net", "--wait", "netstack", **env)
    assert created.returncode == 0, created.stderr
    sdk: Connection = cloud.connect()
    net = sdk.network.find_network("cli-net")
    assert net is not None
    deleted = calor(tmp_path, "stack", "--os-cloud", "sandbox", "delete", "--yes", "--wait",
                    "netstack", **env)
    assert deleted.returncode == 0, deleted.stderr
    assert sdk.network.find_network(net.id) is None
    # Nothing went to the embedded sandbox.
    assert not (tmp_path / "sandbox.db").exists()


def test_an_unknown_cloud_is_refused_with_the_loaders_message(tmp_path: Path,
                                                               cloud: RunningSandbox) -> None:
    done = calor(tmp_path, "stack", "--os-cloud", "nowhere", "list",
                 OS_CLIENT_CONFIG_FILE=str(cloud.clouds_yaml))
    assert done.returncode == 1
    assert done.stderr.strip() == "ERROR: Cloud nowhere was not found."


def networks_named(state: Path, name: str, workdir: Path) -> list[str]:
    """The ids of the networks so named in the sandbox state file ``state``."""
    config = sandbox_config(state)
    with serve(config, workdir) as running:
        sdk = running.connect()
        return [n.id for n in sdk.network.networks(name=name)]


def test_without_a_cloud_the_embedded_sandbox_keeps_the_state_between_commands(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "net.yaml").write_text(NETWORK)
    created = calor(home, "stack", "create", "-t", "net.yaml", "--parameter",
                    "name=local-net", "--wait", "local")
    assert created.returncode == 0, created.stderr
    state = home / "sandbox.db"
    assert len(networks_named(state, "local-net", tmp_path)) == 1
    # A later command (another process, another sandbox server) finds and deletes it.
    deleted = calor(home, "stack", "delete", "--yes", "--wait", "local")
    assert deleted.returncode == 0, deleted.stderr
    assert networks_named(state, "local-net", tmp_path) == []
