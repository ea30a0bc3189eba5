"""Fault injection: per operation, a failure rate and a latency.

An *operation* is a dotted name, ``<service>.<resource>.<verb>``:
``compute.server.create``, ``compute.server.reboot``, ``network.port.create``,
``image.image.upload``, ... A rule is looked up by the exact name first, then
by the longest matching pattern (``compute.server.*``, ``*``).

Failures are spread evenly rather than drawn at random, so tests are
repeatable: a rate of 0.2 fails the 5th, 10th, 15th ... call.

Asynchronous operations (a server build, a reboot, a delete) take the rule's
latency, or the config's default ``latency``, in their transitional state and,
when failing, end in ERROR. Synchronous ones (a network create) wait the
rule's latency (default none) before answering, and a failing one answers
the service's 500 error.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from calor.sandbox.config import FaultRule
from calor.sandbox.errors import ServerFault


@dataclass(frozen=True)
class Decision:
    """What happens to one call of an operation."""

    operation: str
    fails: bool
    latency: float
    message: str

    def raise_if_failed(self) -> None:
        if self.fails:
            raise ServerFault(self.message)


class Faults:
    """The rules in force (replaced as a whole through the admin endpoint) and call counts."""

    def __init__(self, rules: Mapping[str, FaultRule], *, default_latency: float) -> None:
        self._rules = dict(rules)
        self._calls: dict[str, int] = {}
        self.default_latency = default_latency

    @property
    def rules(self) -> dict[str, FaultRule]:
        return dict(self._rules)

    def replace(self, rules: Mapping[str, FaultRule]) -> None:
        self._rules = dict(rules)
        self._calls.clear()

    def rule_for(self, operation: str) -> FaultRule | None:
        if operation in self._rules:
            return self._rules[operation]
        patterns = [p for p in self._rules if fnmatchcase(operation, p)]
        if not patterns:
            return None
        return self._rules[max(patterns, key=len)]

    def decide(self, operation: str, *, asynchronous: bool) -> Decision:
        """Count one call of ``operation`` and say whether it fails and how long it takes."""
        rule = self.rule_for(operation)
        calls = self._calls.get(operation, 0) + 1
        self._calls[operation] = calls
        rate = rule.failure_rate if rule else 0.0
        fails = math.floor(calls * rate + 1e-9) > math.floor((calls - 1) * rate + 1e-9)
        if rule is not None and rule.latency is not None:
            latency = rule.latency
        else:
            latency = self.default_latency if asynchronous else 0.0
        message = (rule.message if rule and rule.message
                   else f"Injected fault: {operation} failed (sandbox fault injection).")
        return Decision(operation, fails, latency, message)

    async def gate(self, operation: str,
                   error: Callable[[str], Exception] | None = None) -> None:
        """For a synchronous operation: wait its latency, then raise if it fails."""
        decision = self.decide(operation, asynchronous=False)
        if decision.latency > 0:
            await asyncio.sleep(decision.latency)
        if decision.fails:
            raise (error(decision.message) if error else ServerFault(decision.message))
