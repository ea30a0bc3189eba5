"""A fuzzing pass over the served OpenAPI document: no request gives a 500 or breaks the schema.

Schemathesis generates requests for every operation the document describes
(valid and invalid bodies, queries and paths) and sends them to a real
server as the admin, on the admin's own project (a random project id would
only ever meet the 403 in front of everything). Each operation is one
Hypothesis run, so one failing operation does not hide the others.

The server is this module's own: as the admin the fuzzer may delete
projects, users and role assignments, and does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from tests.api.conftest import (
    FAST_HASHER,
    Keystone,
    Server,
    bootstrap_admin,
    start,
    stop,
)

from calor.api.app import ServerSettings, create_app

#: Examples per operation: enough to try each parameter's edge values, in about a minute in all.
EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'calor.db'}"
    bootstrap_admin(database_url)
    settings = ServerSettings(database_url=database_url, password_hasher=FAST_HASHER)
    running, thread, url = start(create_app(settings))
    try:
        yield Server(url, database_url)
    finally:
        stop(running, thread)


def test_no_request_gives_a_server_error_or_breaks_the_schema(fuzzed: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.url}/openapi.json")
    keystone = Keystone(fuzzed)
    admin = keystone.admin
    failures: list[str] = []
    operations = 0
    sent = 0
    # The orchestration API first: the identity operations after it may take
    # the admin's own project and roles away.
    results = sorted(schema.get_all_operations(),
                     key=lambda r: not (isinstance(r, Ok) and r.ok().path.startswith("/v1/")))
    for result in results:
        if not isinstance(result, Ok):
            failures.append(f"the document describes an operation badly: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        # Valid requests and invalid ones (wrong types, missing fields, bad values).
        cases = (operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
                 | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

        @given(case=cases)
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case: Any) -> None:
            nonlocal sent
            sent += 1
            if case.path.startswith("/v1/") and "project_id" in (case.path_parameters or {}):
                case.path_parameters["project_id"] = admin.project_id
            response = case.call(headers={"X-Auth-Token": admin.token}, timeout=30)
            assert response.status_code < 500, response.text[:300]
            case.validate_response(
                response, checks=[response_schema_conformance, content_type_conformance],
            )

        try:
            exercise()
        except Exception as exc:  # collected: every operation gets its turn
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    keystone.close()
    assert operations > 30  # the document describes the API, not a stub of it
    assert sent >= 3 * operations
    assert not failures, "\n\n".join(failures)
