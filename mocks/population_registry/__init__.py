"""A mock of the National Population Database (CSDL quốc gia về dân cư), from the contract.

``create_app()`` answers ``TraCuuThongTinCongDan`` and ``XacThucThongTinCongDan`` over SOAP 1.1
for the seeded population of ``mocks.population``, checking the data-sharing platform's signed
headers on every call. It reads only ``openapi/national/population_registry`` (the WSDL).
"""

from __future__ import annotations

from mocks.population_registry.app import OPERATIONS, create_app
from mocks.population_registry.signing import DEFAULT_ACCOUNT, Account, authorization

__all__ = ["DEFAULT_ACCOUNT", "OPERATIONS", "Account", "authorization", "create_app"]
