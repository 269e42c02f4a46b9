"""A mock of the national reporting system, built from the project's contract.

``create_app()`` takes periodic one-stop reports behind OAuth2 client credentials, checks them by
the contract's rules, holds them and answers receipts. It shares nothing with the gateway's
adapter.
"""

from __future__ import annotations

from mocks.national_reporting.app import create_app
from mocks.national_reporting.reports import COUNT_FIELDS, ReportRefused, check

__all__ = ["COUNT_FIELDS", "ReportRefused", "check", "create_app"]
