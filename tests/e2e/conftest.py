from __future__ import annotations

from collections.abc import Iterator

import pytest

from mocks import create_mocks_app
from tests.e2e.servers import ServerThread


@pytest.fixture
def mocks_server() -> Iterator[ServerThread]:
    """Every national mock on a real uvicorn server on loopback."""
    with ServerThread(create_mocks_app(seed=7)) as server:
        yield server
