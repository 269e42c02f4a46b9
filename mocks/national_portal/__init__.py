"""A stateful mock of the National Public Service Portal, built from the project's contract.

``create_app()`` answers the portal's services in both authentication styles and keeps the
dossiers pushed to it, so tests can check what a client really sent. It shares nothing with the
gateway's adapter: it validates against the JSON Schemas of
``openapi/national/national_portal/schemas``.
"""

from __future__ import annotations

from mocks.national_portal.app import create_app

__all__ = ["create_app"]
