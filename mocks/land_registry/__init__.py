"""The provincial land registration system mock (ILIS / VBDLIS): ``create_app``."""

from __future__ import annotations

from mocks.land_registry.app import create_app

__all__ = ["create_app"]
