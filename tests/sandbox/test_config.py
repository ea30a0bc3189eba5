"""The sandbox's TOML config: users, latency, faults and quotas."""

from __future__ import annotations

from pathlib import Path

import pytest

from calor.sandbox import ConfigError, FaultRule, load_config


def test_a_config_file_names_users_faults_quotas_and_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.toml"
    path.write_text("""
[sandbox]
password = "s3cret"
latency = 0.5
state_file = "state/cloud.db"

[[sandbox.users]]
name = "alice"
password = "wonderland"
project = "demo"

[sandbox.faults."compute.server.create"]
failure_rate = 0.2
latency = 2

[sandbox.quotas.compute]
instances = 3
""")
    config = load_config(path)
    assert config.password == "s3cret" and config.latency == 0.5
    assert config.state_file == tmp_path / "state" / "cloud.db"
    assert [(u.name, u.project) for u in config.all_users] == [("admin", "admin"),
                                                               ("alice", "demo")]
    assert config.faults == {"compute.server.create": FaultRule(0.2, 2.0)}
    assert config.quotas == {"compute": {"instances": 3}}


def test_a_state_file_option_wins_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.toml"
    path.write_text('state_file = "a.db"\n')
    assert load_config(path, state_file=tmp_path / "b.db").state_file == tmp_path / "b.db"


@pytest.mark.parametrize(("text", "message"), [
    ("latency = -1", "latency must be"),
    ("colour = 'blue'", "unknown sandbox setting 'colour'"),
    ("[faults.x]\nfailure_rate = 3", "failure_rate must be between 0 and 1"),
    ("[[users]]\nname = 'bob'", "users[0] needs a name and a password"),
    ("latency = ", "sandbox.toml"),
])
def test_bad_settings_are_refused_with_what_is_wrong(tmp_path: Path, text: str,
                                                     message: str) -> None:
    path = tmp_path / "sandbox.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


def test_the_default_state_file_lives_in_calor_home(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("CALOR_HOME", str(tmp_path))
    assert load_config().state_file == tmp_path / "sandbox.db"
