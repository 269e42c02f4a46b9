"""Local mocks of the national systems, for integration tests, demos and benchmarks.

Each mock is an independent implementation of its contract under ``openapi/national/``; none
imports the gateway, the adapters or the mappings. ``create_mocks_app()`` mounts them all on one
ASGI app (``lienthong mocks --port N`` runs it with uvicorn). Every mock shares the admin side
of ``mocks.admin``: a journal of what clients sent, faults (``mocks.faults``: delays, error
statuses, hangs, resets, truncated and malformed replies, outages, also per request through the
``X-Mock-Fault`` header), scenario state a test can set, stories per entity
(``mocks.stories``), signed callbacks (``mocks.callbacks``), and session and token expiry.
``NationalMocks`` is a client of that admin API for test suites; the pytest plugin
(``mocks.pytest_plugin``) hands one out. ``mocks/README.md`` documents the vocabulary with
examples.

The names are imported when first used, so loading the pytest plugin (which imports this
package) does not build every mock's data for a test suite that never asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mocks.app import create_mocks_app
    from mocks.client import NationalMocks

__all__ = ["NationalMocks", "create_mocks_app"]


def __getattr__(name: str) -> Any:
    if name == "create_mocks_app":
        from mocks.app import create_mocks_app

        return create_mocks_app
    if name == "NationalMocks":
        from mocks.client import NationalMocks

        return NationalMocks
    raise AttributeError(f"module 'mocks' has no attribute {name!r}")
