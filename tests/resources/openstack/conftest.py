"""A real sandbox cloud, a Calor engine building stacks in it, and openstacksdk to look."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from openstack.connection import Connection
from tests.sandbox.running import RunningSandbox, sandbox_config, serve

from calor.clouds import Cloud, cloud_from_config
from calor.service.embedded import Embedded
from calor.service.stacks import StackService


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """One sandbox cloud for these tests, with no latency."""
    workdir = tmp_path_factory.mktemp("os-resources")
    with serve(sandbox_config(workdir / "sandbox.db"), workdir) as running:
        yield running


@pytest.fixture(scope="session")
def cloud(sandbox: RunningSandbox) -> Iterator[Cloud]:
    """The sandbox as Calor reaches any cloud: its clouds.yaml entry."""
    found = cloud_from_config("sandbox", config_files=[str(sandbox.clouds_yaml)])
    yield found
    found.close()


@pytest.fixture(scope="session")
def sdk(sandbox: RunningSandbox) -> Iterator[Connection]:
    """openstacksdk, to look at what the stacks built."""
    connection = sandbox.connect()
    yield connection
    connection.close()


@pytest_asyncio.fixture
async def service(tmp_path: Path, cloud: Cloud) -> AsyncIterator[StackService]:
    """An embedded engine building stacks in the sandbox."""
    async with Embedded(f"sqlite:///{tmp_path / 'calor.db'}", cloud=cloud) as stacks:
        yield stacks
