"""The axis's operations, built once per adapter from the WSDL shipped in this package.

The WSDL is the contract's (``openapi/national/document_axis/document_axis.wsdl``), copied here
so that an installed wheel has it too; a test keeps the two identical. ``adapters.soap`` loads
it without touching the network and points the port at ``AxisConfig.base_url``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from zeep.wsse.username import UsernameToken

from adapters.document_axis.config import AxisConfig
from adapters.soap import QuietTransport, bound_service

WSDL_NAME = "document_axis.wsdl"
BINDING = "{urn:lienthong:document-axis}DocumentAxisBinding"


def service(config: AxisConfig, transport: QuietTransport) -> Any:
    """The axis's operations as awaitables, with the account's UsernameToken (PasswordText)
    on every call.

    The envelope carries the password, so the log never holds a body and redirects are not
    followed.
    """
    return bound_service(
        resources.files(__package__).joinpath(WSDL_NAME),
        BINDING,
        config.base_url,
        transport,
        wsse=UsernameToken(config.username, config.password),
        xml_huge_tree=config.xml_huge_tree,
    )
