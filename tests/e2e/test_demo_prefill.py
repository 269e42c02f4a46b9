"""The demo's prefill step against the gateway and the national mocks as real servers: every
citizen it picks is prefilled from at least three registries, and their birth certificate is
not asked again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.demo.prefill import prefill_and_reuse
from gateway.settings import Settings
from tests.e2e.servers import ServerThread, gateway_client

pytestmark = pytest.mark.e2e


@pytest.fixture
def gateway_url(tmp_path: Path, mocks_server: ServerThread) -> Iterator[str]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        mocks_url=mocks_server.url,
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
    )
    with ServerThread(create_app(settings)) as server:
        yield server.url


def test_the_demo_prefills_from_every_registry_and_reuses_the_birth_certificate(
    gateway_url: str, mocks_server: ServerThread
) -> None:
    with gateway_client(gateway_url) as sync:
        token = sync.headers["Authorization"]

    async def run() -> dict[str, object]:
        async with httpx.AsyncClient(
            base_url=gateway_url, headers={"Authorization": token}, timeout=30
        ) as gateway:
            return await prefill_and_reuse(gateway, mocks_server.url, 3)

    shown = asyncio.run(run())

    assert shown["citizens prefilled"] == "3 of 3"
    sources = shown["fields by source"]
    assert isinstance(sources, dict)
    assert {"population_registry", "social_insurance", "results_store"} <= sources.keys()
    assert shown["papers not asked again"] == 3
    registries_asked = 4
    assert shown["prefill audit records"] == 3 * registries_asked, (
        "the land registry is asked too, and audited, even when it holds no parcel"
    )
