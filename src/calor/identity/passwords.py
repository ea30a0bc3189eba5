"""Password and secret hashing: argon2id, off the event loop, a few at a time."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

#: Hashes computed at once. Each argon2 hash takes 64 MiB and a core for a
#: moment, so a burst of logins queues here instead of exhausting memory.
CONCURRENT_HASHES = 2


class Passwords:
    """Hashes passwords (and application credential secrets) with argon2id.

    The work runs in a small thread pool of its own: argon2 releases the GIL,
    so the event loop keeps serving while a hash is computed.
    """

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()
        self._pool: ThreadPoolExecutor | None = None
        # Verified against when there is no hash, so that an unknown user takes
        # as long to refuse as a wrong password (no user enumeration by timing).
        self._decoy: str | None = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(CONCURRENT_HASHES, thread_name_prefix="calor-argon2")
        return self._pool

    async def hash(self, password: str) -> str:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), self._hasher.hash, password)

    async def verify(self, hashed: str | None, password: str) -> bool:
        """Whether ``password`` matches ``hashed``; always False (but as slow) without one."""
        if hashed is None:
            if self._decoy is None:
                self._decoy = await self.hash("calor-decoy-password")
            await self._run_verify(self._decoy, "not-the-decoy")
            return False
        return await self._run_verify(hashed, password)

    async def _run_verify(self, hashed: str, password: str) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), self._check, hashed, password)

    def _check(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
