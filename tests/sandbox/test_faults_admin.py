"""``/sandbox-admin/faults``: fault rules set and shown through the admin endpoint."""

from __future__ import annotations

import httpx
from tests.sandbox.running import RunningSandbox


def test_fault_rules_are_replaced_and_shown(sandbox: RunningSandbox) -> None:
    sandbox.set_faults({"network.*": {"failure_rate": 0.2, "latency": 0.0}})
    try:
        shown = httpx.get(f"{sandbox.url}/sandbox-admin/faults",
                          headers={"X-Auth-Token": sandbox.token()}).json()
    finally:
        sandbox.set_faults({})
    assert shown["faults"] == {"network.*": {"failure_rate": 0.2, "latency": 0.0,
                                             "message": None}}


def test_a_failing_synchronous_operation_answers_the_services_500(
        sandbox: RunningSandbox) -> None:
    sandbox.set_faults({"network.network.create": {"failure_rate": 1.0}})
    try:
        answer = httpx.post(f"{sandbox.url}/networking/v2.0/networks",
                            json={"network": {"name": "doomed"}},
                            headers={"X-Auth-Token": sandbox.token()})
    finally:
        sandbox.set_faults({})
    assert answer.status_code == 500
    assert "Injected fault" in answer.json()["NeutronError"]["message"]


def test_bad_fault_rules_are_refused(sandbox: RunningSandbox) -> None:
    headers = {"X-Auth-Token": sandbox.token()}
    for body in ({"faults": {"x": {"failure_rate": 2}}}, {"faults": {"x": {"oops": 1}}},
                 {"faults": []}, {"nothing": 1}):
        answer = httpx.put(f"{sandbox.url}/sandbox-admin/faults", json=body, headers=headers)
        assert answer.status_code == 400, body


def test_only_admins_may_set_faults(sandbox: RunningSandbox) -> None:
    answer = httpx.put(f"{sandbox.url}/sandbox-admin/faults", json={"faults": {}},
                       headers={"X-Auth-Token": sandbox.token("demo", "demo-pass", "demo")})
    assert answer.status_code == 403
