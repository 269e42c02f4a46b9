"""The registry's operations, built once per adapter from the WSDL shipped in this package.

The WSDL is the contract's (``openapi/national/population_registry/population_registry.wsdl``),
copied here so that an installed wheel has it too; a test keeps the two identical.
``adapters.soap`` loads it without touching the network and points the port at ``url``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

WSDL_NAME = "population_registry.wsdl"
NAMESPACE = "http://dancuquocgia.bca"
BINDING = f"{{{NAMESPACE}}}DanCuQuocGiaBinding"


def wsdl() -> Traversable:
    """The packaged WSDL."""
    return resources.files(__package__).joinpath(WSDL_NAME)
