"""The Alembic environment of the hub, configured in code (no ``alembic.ini`` at run time).

:func:`dttshub.migrations.upgrade` hands over an open connection, already inside the transaction that
holds the migration lock, as ``config.attributes["connection"]``; the migrations run in that transaction.
Only online migrations exist: the hub always migrates a database it can reach.
"""

from __future__ import annotations

from alembic import context

from dttshub.db import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: Alembic's batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
