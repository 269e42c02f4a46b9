"""Local mocks of the national systems, for integration tests, demos and benchmarks.

Each mock is an independent implementation of its contract under ``openapi/national/``; none
imports the gateway, the adapters or the mappings. ``create_mocks_app()`` mounts them all on one
ASGI app (``lienthong mocks --port N`` runs it with uvicorn).
"""

from __future__ import annotations

from mocks.app import create_mocks_app

__all__ = ["create_mocks_app"]
