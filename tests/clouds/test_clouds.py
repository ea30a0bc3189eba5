"""calor.clouds: choosing a cloud from clouds.yaml, and talking to it through openstacksdk."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.sandbox.running import SDK_WARNINGS, RunningSandbox, free_socket, sandbox_config, serve

import calor.clouds
from calor.clouds import (
    BadRequest,
    Cloud,
    CloudConfigError,
    CloudUnreachable,
    NotFound,
    ThreadPool,
    chosen_cloud_name,
    cloud_from_config,
    cloud_threads,
)

pytestmark = SDK_WARNINGS


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    workdir = tmp_path_factory.mktemp("clouds")
    with serve(sandbox_config(workdir / "sandbox.db"), workdir) as running:
        yield running


@pytest.fixture(scope="module")
def cloud(sandbox: RunningSandbox) -> Iterator[Cloud]:
    found = cloud_from_config("sandbox", config_files=[str(sandbox.clouds_yaml)])
    yield found
    found.close()


def test_the_package_exports_exactly_its_public_names() -> None:
    exported = {n for n in dir(calor.clouds) if not n.startswith("_")}
    modules = {n for n in exported if type(getattr(calor.clouds, n)).__name__ == "module"}
    assert set(calor.clouds.__all__) == exported - modules - {"annotations"}


def test_the_package_imports_nothing_else_of_calor_and_no_openstacksdk() -> None:
    code = ("import sys, calor.clouds; print(sorted(m for m in sys.modules if "
            "(m.startswith('calor.') and not m.startswith('calor.clouds')) "
            "or m.split('.')[0] in ('openstack', 'keystoneauth1')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_explicit_cloud_wins_over_calor_cloud_which_wins_over_os_cloud() -> None:
    env = {"CALOR_CLOUD": "calor-one", "OS_CLOUD": "os-one"}
    assert chosen_cloud_name("given", env) == "given"
    assert chosen_cloud_name(None, env) == "calor-one"
    assert chosen_cloud_name(None, {"OS_CLOUD": "os-one"}) == "os-one"
    assert chosen_cloud_name(None, {}) is None


def test_the_thread_pool_size_comes_from_calor_cloud_threads() -> None:
    assert cloud_threads({}) == 32
    assert cloud_threads({"CALOR_CLOUD_THREADS": "4"}) == 4
    with pytest.raises(CloudConfigError, match="must be at least 1, not 0"):
        cloud_threads({"CALOR_CLOUD_THREADS": "0"})
    with pytest.raises(CloudConfigError, match="must be a whole number, not 'many'"):
        cloud_threads({"CALOR_CLOUD_THREADS": "many"})


async def test_blocking_calls_run_at_most_pool_size_at_once() -> None:
    pool = ThreadPool(2)
    running = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()

    def blocking() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        release.wait(5)
        with lock:
            running -= 1

    calls = asyncio.gather(*(pool.run(blocking) for _ in range(5)))
    await asyncio.sleep(0.2)
    assert most == 2  # and the event loop kept running meanwhile
    release.set()
    await calls
    pool.close()


def test_a_cloud_clouds_yaml_lacks_is_refused_at_once(sandbox: RunningSandbox) -> None:
    with pytest.raises(CloudConfigError, match=r"^Cloud nowhere was not found\.$"):
        cloud_from_config("nowhere", config_files=[str(sandbox.clouds_yaml)])


async def test_a_request_answers_the_services_own_json(cloud: Cloud) -> None:
    answer = await cloud.request("network", "GET", "/networks", params={"name": "public"})
    assert [n["name"] for n in answer.body["networks"]] == ["public"]


async def test_errors_carry_the_services_own_message(cloud: Cloud) -> None:
    with pytest.raises(NotFound) as missing:
        await cloud.request("network", "GET", "/networks/nope")
    assert (missing.value.status_code, missing.value.message) == (
        404, "Network nope could not be found.")
    with pytest.raises(BadRequest) as refused:
        await cloud.request("network", "POST", "/subnets", json={"subnet": {"cidr": "x"}})
    assert refused.value.status_code == 400


async def test_the_microversion_is_the_older_of_what_both_sides_speak(cloud: Cloud) -> None:
    assert await cloud.microversion("compute", "2.10") == "2.10"
    assert await cloud.microversion("compute", "9.99") == "2.96"
    assert await cloud.microversion("network", "2.10") is None


async def test_an_unreachable_cloud_says_so(tmp_path: Path) -> None:
    with free_socket() as sock:  # a port nobody listens on
        port = sock.getsockname()[1]
    clouds_yaml = tmp_path / "clouds.yaml"
    clouds_yaml.write_text(f"""\
clouds:
  down:
    auth: {{auth_url: 'http://127.0.0.1:{port}/identity', username: u, password: p,
            project_name: p, user_domain_name: Default, project_domain_name: Default}}
    identity_api_version: 3
""")
    down = cloud_from_config("down", config_files=[str(clouds_yaml)])
    try:
        with pytest.raises(CloudUnreachable):
            await down.request("network", "GET", "/networks")
    finally:
        down.close()
