"""The Government monitoring centre mock (EMC tracking of one-stop events); see ``app``."""

from __future__ import annotations

from mocks.monitoring_centre.app import create_app

__all__ = ["create_app"]
