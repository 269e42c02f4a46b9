"""The zeep client for the registry, built once per adapter from the WSDL shipped in this package.

The WSDL is the contract's (``openapi/national/population_registry/population_registry.wsdl``),
copied here so that an installed wheel has it too; a test keeps the two identical. It is loaded
from package data with DTDs, entities and external references forbidden, so building a client
never touches the network, and the port is pointed at ``base_url`` with ``create_service``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from zeep import AsyncClient, Settings
from zeep.proxy import AsyncServiceProxy

from adapters.population_registry.config import PopulationRegistryConfig
from adapters.population_registry.connection import RegistryTransport

WSDL_NAME = "population_registry.wsdl"
NAMESPACE = "http://dancuquocgia.bca"
BINDING = f"{{{NAMESPACE}}}DanCuQuocGiaBinding"


class RegistrySoapClient(AsyncClient):
    """zeep's ``AsyncClient`` whose ``create_service`` gives an async service proxy.

    zeep 4.3's ``AsyncClient.create_service`` returns a synchronous ``ServiceProxy`` whose calls
    fail with an async transport (python-zeep issues #1168 and #1288).
    """

    def create_service(self, binding_name: str, address: str) -> AsyncServiceProxy:
        try:
            binding = self.wsdl.bindings[binding_name]
        except KeyError:
            known = ", ".join(self.wsdl.bindings)
            raise ValueError(f"no binding {binding_name} in the WSDL; it has {known}") from None
        return AsyncServiceProxy(self, binding, address=address)


def soap_client(transport: RegistryTransport) -> RegistrySoapClient:
    """The zeep client: strict parsing, no DTDs, entities or external references."""
    settings = Settings(strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    wsdl = resources.files(__package__).joinpath(WSDL_NAME)
    with resources.as_file(wsdl) as path:
        # zeep's __init__ is unannotated
        return RegistrySoapClient(  # type: ignore[no-untyped-call]
            str(path), transport=transport, settings=settings
        )


def service(client: RegistrySoapClient, config: PopulationRegistryConfig) -> Any:
    """The registry's operations as awaitables, at ``config.base_url``.

    Typed ``Any`` because zeep makes one attribute per WSDL operation at run time.
    """
    return client.create_service(BINDING, config.base_url)
