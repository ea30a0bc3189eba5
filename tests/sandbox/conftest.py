"""A real sandbox cloud on a free port, and the real clients pointed at it."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from openstack.connection import Connection
from tests.sandbox.running import (
    Openstack,
    OpenstackBatch,
    RunningSandbox,
    sandbox_config,
    serve,
)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """One sandbox for the session, with no latency, a user ``demo`` in project ``demo``."""
    workdir = tmp_path_factory.mktemp("sandbox")
    with serve(sandbox_config(workdir / "sandbox.db"), workdir) as running:
        yield running


@pytest.fixture(scope="session")
def cloud(sandbox: RunningSandbox) -> Iterator[Connection]:
    """An openstacksdk connection as ``admin``."""
    connection = sandbox.connect()
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def openstack_cli(sandbox: RunningSandbox) -> Openstack:
    """Run the real ``openstack`` command against the sandbox; fails on a non-zero exit."""
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(sandbox.clouds_yaml),
           "OS_CLOUD": "sandbox"}

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["openstack", *args], capture_output=True, text=True,
                              env=env, timeout=120)
        if check:
            assert done.returncode == 0, done.stderr
        return done

    return run


@pytest.fixture(scope="session")
def openstack_batch(sandbox: RunningSandbox) -> OpenstackBatch:
    """Run several commands in one ``openstack`` process (its interactive mode, fed by stdin).

    One process pays the CLI's start-up once. Every command that prints must
    print JSON (``-f json``); the documents come back in order. Any error
    output fails the test (the interactive mode always exits with 1 at the
    end of its input, so the exit status says nothing).
    """
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(sandbox.clouds_yaml),
           "OS_CLOUD": "sandbox"}

    def run(*commands: str) -> list[Any]:
        done = subprocess.run(["openstack"], input="\n".join(commands) + "\n",
                              capture_output=True, text=True, env=env, timeout=120)
        assert not done.stderr.strip(), done.stderr
        decoder = json.JSONDecoder()
        text, documents, index = done.stdout, [], 0
        while True:
            while index < len(text) and text[index].isspace():
                index += 1
            if index >= len(text):
                return documents
            document, index = decoder.raw_decode(text, index)
            documents.append(document)

    return run
