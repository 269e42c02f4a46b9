"""A stateful mock of the national document exchange axis, built from the project's contract.

``create_app()`` answers the axis's SOAP 1.1 operations, authenticating each call by its
WS-Security UsernameToken, validating packages against ``edxml.xsd`` and routing them between
the organisations of its seeded directory, so tests can exchange documents between provinces and
ministries and check what a client really sent. It shares nothing with the gateway's adapter: it
reads only ``openapi/national/document_axis`` (WSDL and XSD).
"""

from __future__ import annotations

from mocks.document_axis.app import OPERATIONS, create_app

__all__ = ["OPERATIONS", "create_app"]
