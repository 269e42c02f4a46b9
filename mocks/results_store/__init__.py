"""A mock of the digitised-results store (Kho quản lý dữ liệu điện tử), built from the project's
contract.

``create_app()`` answers a citizen's results by personal ID and kind, and a result's file,
behind OAuth2 client credentials. The owners are the people of ``mocks.population`` with the
same seed, so the population registry mock knows each of them. It shares nothing with the
gateway's adapter.
"""

from __future__ import annotations

from mocks.results_store.app import create_app
from mocks.results_store.results import KINDS, Results

__all__ = ["KINDS", "Results", "create_app"]
