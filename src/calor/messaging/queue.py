"""The work-queue contract.

A producer ``put``s a message (a JSON-able mapping); a consumer ``get``s a
:class:`Delivery` and must ``ack`` it once the work is done and persisted,
or ``nack`` it to hand it back. A delivery neither acked nor nacked when its
consumer goes away is delivered again: at-least-once, as with RabbitMQ, so
consumers make their work idempotent (the engine checks the stored state of
a work unit before running it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class QueueClosed(Exception):
    """The queue was closed: no more messages will come."""


class Delivery(Protocol):
    """One received message, to be acknowledged or handed back."""

    @property
    def body(self) -> Mapping[str, Any]: ...

    @property
    def redelivered(self) -> bool:
        """True when an earlier delivery of this message was not acknowledged."""

    async def ack(self) -> None:
        """The work is done (and its result persisted): forget the message."""

    async def nack(self, *, requeue: bool = True) -> None:
        """Hand the message back (``requeue``) or drop it."""


class WorkQueue(Protocol):
    """A queue of work messages with explicit acknowledgement."""

    async def put(self, body: Mapping[str, Any]) -> None:
        """Queue ``body``; it is accepted (and, for durable transports, stored) on return."""

    async def get(self) -> Delivery:
        """The next message; waits for one. Raises :class:`QueueClosed` once closed."""

    async def close(self) -> None:
        """Stop: pending ``get`` calls raise QueueClosed; unacked messages stay queued."""
