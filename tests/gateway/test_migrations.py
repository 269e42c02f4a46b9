"""The migrations build exactly the schema the code declares, on SQLite and on PostgreSQL, and
the newest step can be taken back and taken again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine

from gateway.store import Store, sync_url
from gateway.store.engine import MIGRATIONS
from gateway.store.schema import metadata


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))


async def test_migrations_build_the_declared_schema(store_url: str) -> None:
    store = Store(store_url)
    await store.migrate()
    await store.migrate()
    await store.dispose()
    engine = create_engine(sync_url(store_url))
    try:
        assert _differences(engine) == []
    finally:
        engine.dispose()


async def test_the_newest_migration_goes_down_and_up_again(store_url: str) -> None:
    store = Store(store_url)
    await store.migrate()
    await store.dispose()
    engine = create_engine(sync_url(store_url))
    try:
        for revision in ("0003", "head"):
            with engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                if revision == "head":
                    command.upgrade(config, revision)
                else:
                    command.downgrade(config, revision)
            if revision == "0003":
                assert _differences(engine) != [], "going down changed the schema"
        assert _differences(engine) == []
    finally:
        engine.dispose()
