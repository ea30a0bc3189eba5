"""openstacksdk's orchestration proxy against calor serve."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openstack
import pytest
from tests.api.conftest import ADMIN_PASSWORD, Server, Stacks

# openstacksdk 4.22 warns about its own internals on every connection (its InfluxDB
# metrics default); nothing Calor can change.
pytestmark = [
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedInSDK50Warning"),
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedInSDK60Warning"),
]

TEMPLATE = {"heat_template_version": "2018-08-31",
            "parameters": {"length": {"type": "number", "default": 4}},
            "resources": {"secret": {"type": "OS::Heat::RandomString",
                                     "properties": {"length": {"get_param": "length"}}}}}


@pytest.fixture
def conn(server: Server) -> Iterator[Any]:
    """A connection that logs in with a password; the catalog gives orchestration's URL."""
    connection = openstack.connect(
        auth_url=server.identity, username="admin", password=ADMIN_PASSWORD,
        project_name="admin", user_domain_name="Default", project_domain_name="Default",
        region_name="RegionOne",
    )
    try:
        yield connection
    finally:
        connection.close()


def test_create_get_list_and_delete_a_stack(conn: Any, stacks: Stacks) -> None:
    name = stacks.name("sdk")
    made = conn.orchestration.create_stack(name=name, template=TEMPLATE,
                                           parameters={"length": 6})
    stack = conn.orchestration.wait_for_status(
        conn.orchestration.get_stack(made.id), "CREATE_COMPLETE", failures=["CREATE_FAILED"],
        interval=0.1, wait=30)
    assert (stack.name, stack.status) == (name, "CREATE_COMPLETE")
    assert name in {s.name for s in conn.orchestration.stacks()}
    assert [r.name for r in conn.orchestration.resources(stack)] == ["secret"]
    conn.orchestration.delete_stack(stack)
    conn.orchestration.wait_for_delete(stack, interval=0.1, wait=30)
    assert conn.orchestration.find_stack(name) is None


def test_validate_template_gives_the_parameters(conn: Any) -> None:
    checked = conn.orchestration.validate_template(template=TEMPLATE)
    assert checked.parameters["length"]["Default"] == 4


def test_validate_template_raises_for_a_bad_template(conn: Any) -> None:
    bad = {"heat_template_version": "2018-08-31", "resources": {"r": {"type": "OS::No::Such"}}}
    with pytest.raises(openstack.exceptions.BadRequestException,
                       match=r"The Resource Type \(OS::No::Such\) could not be found"):
        conn.orchestration.validate_template(template=bad)
