"""Custom constraints checked against the cloud (``glance.image``, ``nova.flavor``, ...).

Template validation is synchronous and does no I/O, so the cloud is asked
beforehand: a first validation runs with a :class:`CloudConstraints` that
has no answers yet and notes every (constraint, value) it is asked about;
:meth:`CloudConstraints.look_up` then asks the cloud about all of them at
once (in parallel, on the cloud's thread pool, never blocking the event
loop); a second validation runs with the answers. A template with no
cloud-backed constraint is validated once and the cloud is never asked.

The checks that need no cloud (``ip_addr``, ``net_cidr``, ...) are
:class:`~calor.template.constraints.LocalConstraints`' as always.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from calor import clouds
from calor.clouds import Cloud
from calor.resources.openstack.errors import EntityNotFound
from calor.resources.openstack.finders import CLOUD_CONSTRAINTS
from calor.template.constraints import LocalConstraints

#: (constraint name, value) -> the error message, or None when the value passed.
Answers = Mapping[tuple[str, str], str | None]


class CloudConstraints:
    """A :class:`~calor.template.constraints.CustomConstraintChecker` backed by the cloud.

    A value it has no answer for passes, and is remembered in ``asked`` so
    that :meth:`look_up` can ask the cloud about it.
    """

    def __init__(self, answers: Answers | None = None) -> None:
        self._local = LocalConstraints()
        self._answers = dict(answers or {})
        #: Cloud-backed (constraint, value) pairs asked about and not answered yet.
        self.asked: set[tuple[str, str]] = set()

    def knows(self, name: str) -> bool:
        return self._local.knows(name)

    def check(self, name: str, value: Any) -> str | None:
        if name not in CLOUD_CONSTRAINTS:
            return self._local.check(name, value)
        if not isinstance(value, str) or not value:
            # Heat does not look up an empty key name (a KeyPair of the stack may fill it).
            return None
        key = (name, value)
        if key in self._answers:
            return self._answers[key]
        self.asked.add(key)
        return None

    async def look_up(self, cloud: Cloud) -> CloudConstraints:
        """A checker holding the cloud's answers about everything asked so far."""
        pairs = sorted(self.asked)
        results = await asyncio.gather(*(_answer(cloud, name, value) for name, value in pairs))
        return CloudConstraints({**self._answers, **dict(zip(pairs, results, strict=True))})


async def _answer(cloud: Cloud, name: str, value: str) -> str | None:
    try:
        await CLOUD_CONSTRAINTS[name](cloud, value)
    except EntityNotFound as exc:
        return f"Error validating value '{value}': {exc}"
    except clouds.CloudError as exc:
        # The cloud could not say (unreachable, refused): the value cannot be trusted.
        return f"Error validating value '{value}': {exc.message}"
    return None
