"""The National Population Database: its port, its SOAP adapter and that adapter's settings."""

from __future__ import annotations

from datetime import date

from adapters.population_registry.client import SoapPopulationRegistry
from adapters.population_registry.config import PopulationRegistryConfig
from adapters.population_registry.port import SYSTEM, CitizenQuery, PopulationRegistry
from adapters.system import NationalSystem

PROBE_PERSON = {
    "personal_id": "001099000000",
    "full_name": "Kiểm Tra Kết Nối",
    "date_of_birth": date(1999, 1, 1),
}
"""A synthetic person who matches nobody: a well-formed ID (Hà Nội, born 1999) with a name and
date of birth no one registered with it."""


async def probe(registry: PopulationRegistry, config: PopulationRegistryConfig) -> str:
    """Verify the synthetic person: the registry answers only a signed, known platform account,
    and its answer (no match) tells nothing about anyone."""
    member = config.x_road_client.split("/")
    query = CitizenQuery(
        **PROBE_PERSON,  # type: ignore[arg-type]
        purpose="Kiểm tra kết nối (lienthong doctor / thử kết nối)",
        officer="lienthong",
        unit=member[2] if len(member) > 2 else config.x_road_client,
        service_code="LIENTHONG-KIEM-TRA",
    )
    matched = await registry.verify_citizen(query)
    answer = "matched (unexpected for a synthetic person)" if matched else "no match, as expected"
    return f"signed in as {config.user}; a synthetic person: {answer}"


POPULATION_REGISTRY: NationalSystem[PopulationRegistry] = NationalSystem(
    name=SYSTEM,
    title="Cơ sở dữ liệu quốc gia về dân cư",
    title_en="National population database",
    config=PopulationRegistryConfig,
    connect=lambda config, guard, transport: SoapPopulationRegistry(
        config, guard=guard, transport=transport
    ),
    mock="/population-registry/",
    development={
        "user": "lienthong",
        "secret": "lienthong-dev",
        "api_key": "lienthong-dev-key",
        "x_road_client": "VN/GOV/000.00.00.H56/LIENTHONG",
    },
    probe=probe,
)

__all__ = [
    "POPULATION_REGISTRY",
    "CitizenQuery",
    "PopulationRegistry",
    "PopulationRegistryConfig",
    "SoapPopulationRegistry",
]
