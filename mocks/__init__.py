"""Local mocks of the national systems, for integration tests, demos and benchmarks.

Each mock is an independent implementation of its contract under ``openapi/national/``; none
imports the gateway, the adapters or the mappings. ``create_mocks_app()`` mounts them all on one
ASGI app (``lienthong mocks --port N`` runs it with uvicorn). Every mock shares the admin side
of ``mocks.admin``: a journal of what clients sent, faults (``mocks.faults``: delays, error
statuses, hangs, resets, truncated and malformed replies, outages, also per request through the
``X-Mock-Fault`` header), scenario state a test can set, and session and token expiry.
``mocks/README.md`` documents that vocabulary with examples.
"""

from __future__ import annotations

from mocks.app import create_mocks_app

__all__ = ["create_mocks_app"]
