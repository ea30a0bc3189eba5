"""OS::Heat::Delay: how long each action waits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.resources.heat.lifecycle_context import InMemoryContext, make, resolved

from calor.resources.heat import Delay
from calor.template.errors import StackValidationFailed


async def test_create_waits_min_wait_when_there_is_no_jitter() -> None:
    ctx = InMemoryContext()
    await make(Delay, ctx, min_wait=3).create()
    assert ctx.sleeps == [3]


async def test_by_default_nothing_waits() -> None:
    ctx = InMemoryContext()
    resource = make(Delay, ctx)
    await resource.create()
    await resource.delete()
    assert ctx.sleeps == []


async def test_only_create_waits_by_default() -> None:
    ctx = InMemoryContext()
    resource = make(Delay, ctx, min_wait=2)
    await resource.create()
    await resource.suspend()
    await resource.resume()
    await resource.delete()
    assert ctx.sleeps == [2]


@pytest.mark.parametrize(
    ("action", "method"),
    [("CREATE", "create"), ("DELETE", "delete"), ("SUSPEND", "suspend"), ("RESUME", "resume")],
)
async def test_each_listed_action_waits(action: str, method: str) -> None:
    ctx = InMemoryContext()
    resource = make(Delay, ctx, min_wait=5, actions=[action])
    for name in ("create", "delete", "suspend", "resume"):
        await getattr(resource, name)()
    assert ctx.sleeps == [5]
    assert resource.wait_secs(action) == 5


async def test_update_and_check_never_wait() -> None:
    ctx = InMemoryContext()
    resource = make(Delay, ctx, min_wait=5, actions=["CREATE", "DELETE", "SUSPEND", "RESUME"])
    await resource.update(resolved(Delay, min_wait=6), frozenset({"min_wait"}))
    await resource.check()
    assert ctx.sleeps == []


async def test_jitter_adds_max_jitter_times_multiplier_times_a_random_fraction() -> None:
    ctx = InMemoryContext(seed=3)
    expected = 2 + 4 * 0.5 * InMemoryContext(seed=3).random().random()
    await make(Delay, ctx, min_wait=2, max_jitter=4, jitter_multiplier=0.5).create()
    assert ctx.sleeps == [pytest.approx(expected)]


def test_delay_parameters_are_the_least_wait_and_the_jitter_in_seconds() -> None:
    least, jitter = Delay.delay_parameters(
        resolved(Delay, min_wait=2, max_jitter=111, jitter_multiplier=0.6)
    )
    assert least == 2
    assert jitter == pytest.approx(66.6)


@given(
    min_wait=st.floats(0, 1000),
    max_jitter=st.floats(0, 100),
    multiplier=st.floats(0, 10),
    seed=st.integers(0, 2**32),
)
def test_every_wait_lies_between_min_wait_and_min_wait_plus_jitter(
    min_wait: float, max_jitter: float, multiplier: float, seed: int
) -> None:
    values: dict[str, Any] = {
        "min_wait": min_wait,
        "max_jitter": max_jitter,
        "jitter_multiplier": multiplier,
    }
    resource = make(Delay, InMemoryContext(seed=seed), **values)
    wait = resource.wait_secs("CREATE")
    assert min_wait <= wait <= min_wait + max_jitter * multiplier
    assert resource.wait_secs("DELETE") == 0


def test_a_longest_delay_beyond_the_stack_timeout_fails_validation() -> None:
    properties = resolved(Delay, min_wait=60, max_jitter=10)
    with pytest.raises(StackValidationFailed) as caught:
        Delay.check_stack_timeout(properties, 60)
    assert caught.value.message == "OS::Heat::Delay maximum delay 70.0s exceeds stack timeout."


def test_a_longest_delay_equal_to_the_stack_timeout_passes() -> None:
    Delay.check_stack_timeout(resolved(Delay, min_wait=60, max_jitter=0), 60)
