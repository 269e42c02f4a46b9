"""A mock of the National Business Registration Database, built from the project's contract.

``create_app()`` answers enterprise lookups by code (head offices and branches) behind OAuth2
client credentials. ``registry(seed)`` is its seeded data, for tests and demos that want to name
an enterprise: the legal representatives are people of ``mocks.population`` with the same seed.
It shares nothing with the gateway's adapter.
"""

from __future__ import annotations

from mocks.business_registry.app import create_app
from mocks.business_registry.codes import check_digit
from mocks.business_registry.registry import Enterprise, Registry, Status, registry

__all__ = ["Enterprise", "Registry", "Status", "check_digit", "create_app", "registry"]
