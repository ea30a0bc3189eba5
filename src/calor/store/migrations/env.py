"""Alembic's environment for the store: runs on the connection ``calor.store.migrate`` lends it.

The store only has asyncio drivers, so Alembic never opens a connection of
its own: :mod:`calor.store.migrate` opens one and hands its synchronous face
in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from calor.store.models import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: later migrations rebuild tables.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError(
        "run the store's migrations with calor.store.upgrade() or `python -m calor.store`"
    )
run_migrations(_connection)
