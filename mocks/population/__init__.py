"""A deterministic, seeded population of Vietnamese citizens, shared by the registry mocks.

``population(seed, size)`` builds (once per seed and size, then cached) at least ``size``
citizens in coherent households: valid 12-digit personal IDs whose province, century/sex and
birth-year digits agree with the person, realistic names in NFC with their diacritics, addresses
across the 63 provinces, parents and spouses linked by ID. The same seed always gives the same
people, so tests and demos can name them.
"""

from __future__ import annotations

from mocks.population.geography import Address, Province, provinces
from mocks.population.people import (
    REFERENCE_DATE,
    Person,
    Population,
    Relation,
    Sex,
    population,
)

__all__ = [
    "REFERENCE_DATE",
    "Address",
    "Person",
    "Population",
    "Province",
    "Relation",
    "Sex",
    "population",
    "provinces",
]
