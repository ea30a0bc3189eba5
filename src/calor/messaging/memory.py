"""An in-process work queue on asyncio, for the embedded engine."""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from calor.messaging.queue import QueueClosed


@dataclass(eq=False)
class _Message:
    tag: int
    body: Mapping[str, Any]
    redelivered: bool = False


@dataclass(eq=False)
class InMemoryDelivery:
    """A message taken from an :class:`InMemoryWorkQueue`."""

    queue: InMemoryWorkQueue
    message: _Message
    #: As it was when this delivery was made (the message may be redelivered later).
    was_redelivered: bool = False
    settled: bool = field(default=False)

    @property
    def body(self) -> Mapping[str, Any]:
        return self.message.body

    @property
    def redelivered(self) -> bool:
        return self.was_redelivered

    async def ack(self) -> None:
        self._settle()
        self.queue._unacked.pop(self.message.tag, None)

    async def nack(self, *, requeue: bool = True) -> None:
        self._settle()
        self.queue._unacked.pop(self.message.tag, None)
        if requeue:
            self.message.redelivered = True
            self.queue._ready.put_nowait(self.message)

    def _settle(self) -> None:
        if self.settled:
            raise RuntimeError("delivery already acknowledged or rejected")
        self.settled = True


class InMemoryWorkQueue:
    """A :class:`~calor.messaging.queue.WorkQueue` living in this process.

    Bodies are deep-copied on ``put`` so that a producer changing its dict
    afterwards cannot change queued work (as with a real broker, which gets
    bytes). :meth:`requeue_unacked` hands back whatever was taken and not
    settled, which is what a broker does when a consumer's connection drops.
    """

    def __init__(self) -> None:
        self._ready: asyncio.Queue[_Message | None] = asyncio.Queue()
        self._unacked: dict[int, _Message] = {}
        self._tags = itertools.count(1)
        self._closed = False

    async def put(self, body: Mapping[str, Any]) -> None:
        if self._closed:
            raise QueueClosed("the queue is closed")
        self._ready.put_nowait(_Message(next(self._tags), copy.deepcopy(dict(body))))

    async def get(self) -> InMemoryDelivery:
        if self._closed:
            raise QueueClosed("the queue is closed")
        message = await self._ready.get()
        if message is None:
            # The close sentinel: pass it on to the next waiting consumer.
            self._ready.put_nowait(None)
            raise QueueClosed("the queue is closed")
        self._unacked[message.tag] = message
        return InMemoryDelivery(self, message, was_redelivered=message.redelivered)

    def qsize(self) -> int:
        """Messages waiting to be taken (not counting unacknowledged ones)."""
        return self._ready.qsize() - (1 if self._closed else 0)

    def unacked(self) -> int:
        return len(self._unacked)

    def requeue_unacked(self) -> int:
        """Give every taken, unsettled message back; returns how many."""
        count = 0
        for tag in sorted(self._unacked):
            message = self._unacked.pop(tag)
            message.redelivered = True
            self._ready.put_nowait(message)
            count += 1
        return count

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._ready.put_nowait(None)
