"""What the population registry adapter needs to know, independent of where settings live.

The gateway fills a ``PopulationRegistryConfig`` from its ``LIENTHONG_POPULATION_REGISTRY_*``
settings; tests build one directly.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field


class PopulationRegistryConfig(SystemConfig):
    """Address, platform account and call policy for the population registry.

    - ``url`` is the SOAP endpoint itself, exactly as the platform knows it: it is part of every
      request's signature, so scheme, host, port and path must be the ones the platform sees.
      The WSDL's ``soap:address`` is a placeholder and never used.
    - ``user``, ``secret``, ``api_key`` and ``x_road_client`` are the platform account and the
      calling system's X-Road identifier, sent as the signed headers of the contract.
      ``integration_code`` is ``MaTichHop``.
    """

    title: ClassVar[str] = "population registry"

    user: str = Field(default="", description="Platform account for the population registry.")
    secret: str = secret_field(description="Secret that signs each request.")
    api_key: str = secret_field(description="The account's ApiKey header.")
    x_road_client: str = Field(default="", description="The X-Road-Client header.")
    integration_code: str = Field(default="LIENTHONG", description="MaTichHop of every query.")
    timeout: float = Field(default=5.0, description="Seconds for each phase of one exchange.")
    retry_max_wait: float = Field(default=5.0, description="Longest wait between attempts.")

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not (self.user and self.secret and self.api_key):
            found.append("user, secret and api_key of the platform account are needed")
        if not self.x_road_client:
            found.append("x_road_client (the calling system's X-Road identifier) is needed")
        return found
