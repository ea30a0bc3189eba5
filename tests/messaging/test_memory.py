"""The in-memory work queue: at-least-once delivery with explicit acks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from calor.messaging import InMemoryWorkQueue, QueueClosed


def run(test: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(test(), timeout=5))


def test_messages_come_out_in_order() -> None:
    async def scenario() -> list[Any]:
        queue = InMemoryWorkQueue()
        for n in range(3):
            await queue.put({"n": n})
        out = []
        for _ in range(3):
            delivery = await queue.get()
            out.append(delivery.body["n"])
            await delivery.ack()
        return out

    assert run(scenario) == [0, 1, 2]


def test_a_nacked_message_is_delivered_again_marked_redelivered() -> None:
    async def scenario() -> tuple[bool, bool, int]:
        queue = InMemoryWorkQueue()
        await queue.put({"unit": "a"})
        first = await queue.get()
        await first.nack()
        second = await queue.get()
        await second.ack()
        return first.redelivered, second.redelivered, queue.unacked()

    assert run(scenario) == (False, True, 0)


def test_rejecting_without_requeue_drops_the_message() -> None:
    async def scenario() -> int:
        queue = InMemoryWorkQueue()
        await queue.put({"unit": "a"})
        await (await queue.get()).nack(requeue=False)
        return queue.qsize() + queue.unacked()

    assert run(scenario) == 0


def test_unsettled_deliveries_return_when_their_consumer_is_gone() -> None:
    async def scenario() -> tuple[int, str, bool]:
        queue = InMemoryWorkQueue()
        await queue.put({"unit": "a"})
        await queue.get()  # taken, never settled: its worker "died"
        returned = queue.requeue_unacked()
        again = await queue.get()
        return returned, again.body["unit"], again.redelivered

    assert run(scenario) == (1, "a", True)


def test_a_delivery_settles_once() -> None:
    async def scenario() -> None:
        queue = InMemoryWorkQueue()
        await queue.put({})
        delivery = await queue.get()
        await delivery.ack()
        with pytest.raises(RuntimeError, match="already"):
            await delivery.nack()

    run(scenario)


def test_queued_bodies_do_not_change_when_the_producer_changes_its_dict() -> None:
    async def scenario() -> Any:
        queue = InMemoryWorkQueue()
        body = {"names": ["a"]}
        await queue.put(body)
        body["names"].append("b")
        return (await queue.get()).body

    assert run(scenario) == {"names": ["a"]}


def test_close_wakes_every_waiting_consumer() -> None:
    async def scenario() -> list[bool]:
        queue = InMemoryWorkQueue()

        async def consume() -> bool:
            try:
                await queue.get()
            except QueueClosed:
                return True
            return False

        waiters = [asyncio.create_task(consume()) for _ in range(3)]
        await asyncio.sleep(0)
        await queue.close()
        return list(await asyncio.gather(*waiters))

    assert run(scenario) == [True, True, True]


def test_put_after_close_is_refused() -> None:
    async def scenario() -> None:
        queue = InMemoryWorkQueue()
        await queue.close()
        with pytest.raises(QueueClosed):
            await queue.put({})

    run(scenario)


def test_many_consumers_share_the_work() -> None:
    async def scenario() -> list[int]:
        queue = InMemoryWorkQueue()
        for n in range(100):
            await queue.put({"n": n})
        done: list[int] = []

        async def worker() -> None:
            while True:
                try:
                    delivery = await queue.get()
                except QueueClosed:
                    return
                done.append(delivery.body["n"])
                await delivery.ack()
                if len(done) == 100:
                    await queue.close()

        await asyncio.gather(*(worker() for _ in range(4)))
        return sorted(done)

    assert run(scenario) == list(range(100))
