"""The inter-connected services (DVCLT: birth and death bundles): port, HTTP adapter, settings."""

from __future__ import annotations

from adapters.linked_services.client import HttpLinkedServices
from adapters.linked_services.config import LinkedServicesConfig
from adapters.linked_services.port import SYSTEM, Answer, LinkedServices
from adapters.system import NationalSystem


async def probe(linked: LinkedServices, config: LinkedServicesConfig) -> str:
    """Sign in and read the list (which changes nothing upstream)."""
    waiting = await linked.pending()
    return f"signed in as {config.username}; {len(waiting)} submissions wait for the province"


LINKED_SERVICES: NationalSystem[LinkedServices] = NationalSystem(
    name=SYSTEM,
    title="Dịch vụ công liên thông (khai sinh, khai tử)",
    title_en="Inter-connected public services (birth and death bundles)",
    config=LinkedServicesConfig,
    connect=lambda config, guard, transport: HttpLinkedServices(
        config, guard=guard, transport=transport
    ),
    development={"username": "lienthong", "password": "lienthong-dev"},
    probe=probe,
)

__all__ = [
    "LINKED_SERVICES",
    "Answer",
    "HttpLinkedServices",
    "LinkedServices",
    "LinkedServicesConfig",
]
