"""SQLite commits writes that queue up together; one that fails is undone alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from calor.store import Store
from calor.store.column_types import utc_now
from calor.store.models import RawTemplate, table_of

_TEMPLATE = table_of(RawTemplate)


async def test_a_failing_write_in_a_batch_leaves_the_others_committed(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        def adding(n: int, *, fail: bool = False) -> Callable[[Connection], int]:
            def work(conn: Connection) -> int:
                conn.execute(insert(_TEMPLATE).values(
                    id=n, template={"n": n}, files={}, environment={},
                    created_at=utc_now()))
                if fail:
                    raise ValueError(f"write {n} refused")
                return n
            return work

        results = await asyncio.gather(
            # Launched together, they queue up and are committed as one batch.
            *[store.db.write(adding(n, fail=n == 5)) for n in range(1, 10)],
            return_exceptions=True,
        )
        assert next(r for r in results if isinstance(r, ValueError)).args == ("write 5 refused",)
        assert [r for r in results if not isinstance(r, Exception)] == [1, 2, 3, 4, 6, 7, 8, 9]
        kept = await store.db.read(
            lambda conn: sorted(conn.execute(select(_TEMPLATE.c.id)).scalars()))
        assert kept == [1, 2, 3, 4, 6, 7, 8, 9]
    finally:
        await store.close()
