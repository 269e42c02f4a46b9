"""What the gateway needs from the National Business Registration Database, in its own verbs."""

from __future__ import annotations

from typing import Protocol

from mappings.registries.business import Business

SYSTEM = "business_registry"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


class BusinessRegistry(Protocol):
    """The business registry, looked up by enterprise code (= tax code).

    Every method raises only ``adapters.errors`` errors: ``PermanentError`` naming the rule when
    the registry refuses the code as malformed, ``AuthError`` when it refuses the client,
    ``TransientError`` when trying again later may succeed (including while the circuit breaker
    is open).
    """

    async def find_business(self, code: str) -> Business | None:
        """The full record of a head office (10 digits) or a branch (``NNNNNNNNNN-NNN``), or
        None when the registry holds no such enterprise."""
        ...

    async def branches(self, code: str) -> list[Business]:
        """The full records of the branches of head office ``code`` (10 digits); an empty list
        when it has none or the registry holds no such head office."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
