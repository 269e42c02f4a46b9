"""A mock of the National Insurance Database, built from the project's contract.

``create_app()`` answers lookups of a person's insurance record by personal ID behind the data
platform's signed headers. The people are those of ``mocks.population`` with the same seed, so
the population registry mock knows every insured person. It shares nothing with the gateway's
adapter.
"""

from __future__ import annotations

from mocks.social_insurance.app import create_app
from mocks.social_insurance.records import Insured

__all__ = ["Insured", "create_app"]
