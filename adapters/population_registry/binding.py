"""The registry's operations, built once per adapter from the WSDL shipped in this package.

The WSDL is the contract's (``openapi/national/population_registry/population_registry.wsdl``),
copied here so that an installed wheel has it too; a test keeps the two identical.
``adapters.soap`` loads it without touching the network and points the port at ``base_url``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from adapters.population_registry.config import PopulationRegistryConfig
from adapters.soap import QuietTransport, bound_service

WSDL_NAME = "population_registry.wsdl"
NAMESPACE = "http://dancuquocgia.bca"
BINDING = f"{{{NAMESPACE}}}DanCuQuocGiaBinding"


def service(config: PopulationRegistryConfig, transport: QuietTransport) -> Any:
    """The registry's operations as awaitables, at ``config.base_url``.

    Every request carries the platform's signed headers (``adapters.population_registry.signing``),
    given to the HTTP client; redirects are not followed, since the signature covers the URL.
    Bodies carry personal IDs and names, headers the signature: neither is logged.
    """
    return bound_service(
        resources.files(__package__).joinpath(WSDL_NAME), BINDING, config.base_url, transport
    )
