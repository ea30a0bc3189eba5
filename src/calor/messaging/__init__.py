"""Work queues between the engine's planner and its workers.

One small Protocol (:class:`WorkQueue`) with interchangeable transports:
in memory for the embedded mode now, AMQP (RabbitMQ) for the distributed
mode later. The engine never asks which one it has.
"""

from __future__ import annotations

from calor.messaging.memory import InMemoryWorkQueue
from calor.messaging.queue import Delivery, QueueClosed, WorkQueue

__all__ = ["Delivery", "InMemoryWorkQueue", "QueueClosed", "WorkQueue"]
