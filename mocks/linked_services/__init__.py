"""The inter-connected services mock (DVCLT: birth and death bundles); see ``app``."""

from __future__ import annotations

from mocks.linked_services.app import create_app

__all__ = ["create_app"]
