"""The one place blocking cloud calls cross into threads (DESIGN decision 2).

openstacksdk is synchronous. Every call into it runs on a bounded pool of
threads, so a stack of a thousand servers waits on the cloud in parallel
without a thousand threads, and the event loop never blocks. The size comes
from ``CALOR_CLOUD_THREADS`` (default 32).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from calor.clouds.errors import CloudConfigError

#: Threads for blocking cloud calls unless ``CALOR_CLOUD_THREADS`` says otherwise.
DEFAULT_CLOUD_THREADS = 32

P = ParamSpec("P")
T = TypeVar("T")


def cloud_threads(env: Mapping[str, str] | None = None) -> int:
    """``CALOR_CLOUD_THREADS``: how many blocking cloud calls run at once (at least 1)."""
    env = os.environ if env is None else env
    raw = env.get("CALOR_CLOUD_THREADS", "")
    if raw == "":
        return DEFAULT_CLOUD_THREADS
    try:
        value = int(raw)
    except ValueError:
        raise CloudConfigError(
            f"CALOR_CLOUD_THREADS must be a whole number, not {raw!r}") from None
    if value < 1:
        raise CloudConfigError(f"CALOR_CLOUD_THREADS must be at least 1, not {value}")
    return value


class ThreadPool:
    """A bounded pool of threads for blocking calls; threads start only when first needed."""

    def __init__(self, size: int | None = None) -> None:
        self.size = cloud_threads() if size is None else size
        if self.size < 1:
            raise CloudConfigError(f"a thread pool needs at least 1 thread, not {self.size}")
        self._executor: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` in a pool thread; the caller's loop keeps running meanwhile."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="calor-cloud")
        # The thread sees the caller's context variables (request ids, log context).
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        """Let running calls finish, then stop the threads."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
