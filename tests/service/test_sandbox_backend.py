"""The embedded sandbox: the cloud stacks are built in when no other is chosen."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.sandbox.running import SDK_WARNINGS

from calor.clouds import CloudConfigError
from calor.service.embedded import Embedded
from calor.service.sandbox_backend import default_cloud
from calor.template.loader import load_template

pytestmark = SDK_WARNINGS


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CALOR_HOME in a fresh directory, and no cloud named in the environment."""
    monkeypatch.setenv("CALOR_HOME", str(tmp_path))
    monkeypatch.delenv("CALOR_CLOUD", raising=False)
    monkeypatch.delenv("OS_CLOUD", raising=False)
    monkeypatch.delenv("CALOR_SANDBOX_CONFIG", raising=False)
    return tmp_path


def template(text: str) -> dict[str, object]:
    return load_template(textwrap.dedent(text))


async def test_a_stack_that_needs_a_cloud_starts_the_sandbox_in_this_process(home: Path) -> None:
    async with Embedded(f"sqlite:///{home / 'calor.db'}") as service:
        assert service.cloud is not None and service.cloud.name == "sandbox"
        stack = await service.create_stack("net", template("""\
            heat_template_version: 2018-08-31
            resources:
              net: {type: OS::Neutron::Net, properties: {name: embedded}}
            """))
        done = await service.wait(stack.id, timeout=60)
        assert done is not None and (done.action, done.status) == ("CREATE", "COMPLETE")
        answer = await service.cloud.request("network", "GET", "/networks",
                                             params={"name": "embedded"})
        assert len(answer.body["networks"]) == 1
        await service.delete_stack(stack.id)
        assert await service.wait(stack.id, timeout=60) is None
    assert (home / "sandbox.db").exists()


async def test_a_stack_that_needs_no_cloud_never_starts_the_sandbox(home: Path) -> None:
    async with Embedded(f"sqlite:///{home / 'calor.db'}") as service:
        stack = await service.create_stack("plain", template("""\
            heat_template_version: 2018-08-31
            resources:
              value: {type: OS::Heat::Value, properties: {value: 1}}
            """))
        assert await service.wait(stack.id, timeout=60) is not None
    assert not (home / "sandbox.db").exists()


def test_a_cloud_named_in_the_environment_must_be_in_clouds_yaml(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "clouds.yaml").write_text("clouds: {}\n")
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(home / "clouds.yaml"))
    with pytest.raises(CloudConfigError, match="Cloud elsewhere was not found"):
        default_cloud(env={"OS_CLOUD": "elsewhere"})
