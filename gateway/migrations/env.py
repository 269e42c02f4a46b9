"""Alembic environment: runs on the connection the store hands it, or on LIENTHONG_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from gateway.settings import Settings
from gateway.store.engine import sync_url
from gateway.store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    with create_engine(sync_url(Settings().database_url)).begin() as connection:
        _run(connection)
