"""The National Insurance Database: its port, its HTTP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.social_insurance.client import HttpSocialInsurance
from adapters.social_insurance.config import SocialInsuranceConfig
from adapters.social_insurance.port import SYSTEM, InsuranceQuery, SocialInsurance
from adapters.system import NationalSystem

PROBE_PERSONAL_ID = "001099000000"
"""A well-formed personal ID (Hà Nội, born 1999) that no one holds."""


async def probe(database: SocialInsurance, config: SocialInsuranceConfig) -> str:
    """Look up the synthetic person: the database answers only a signed, known platform
    account, and its answer (no record) tells nothing about anyone."""
    member = config.x_road_client.split("/")
    query = InsuranceQuery(
        personal_id=PROBE_PERSONAL_ID,
        purpose="Kiểm tra kết nối (lienthong doctor / thử kết nối)",
        officer="lienthong",
        unit=member[2] if len(member) > 2 else config.x_road_client,
        service_code="LIENTHONG-KIEM-TRA",
    )
    found = await database.find_insurance(query)
    answer = "a record (unexpected for a synthetic person)" if found else "no record, as expected"
    return f"signed in as {config.user}; a synthetic person: {answer}"


SOCIAL_INSURANCE: NationalSystem[SocialInsurance] = NationalSystem(
    name=SYSTEM,
    title="Cơ sở dữ liệu quốc gia về bảo hiểm",
    title_en="National insurance database",
    config=SocialInsuranceConfig,
    connect=lambda config, guard, transport: HttpSocialInsurance(
        config, guard=guard, transport=transport
    ),
    development={
        "user": "lienthong",
        "secret": "lienthong-dev",
        "api_key": "lienthong-dev-key",
        "x_road_client": "VN/GOV/000.00.00.H56/LIENTHONG",
    },
    probe=probe,
)

__all__ = [
    "SOCIAL_INSURANCE",
    "HttpSocialInsurance",
    "InsuranceQuery",
    "SocialInsurance",
    "SocialInsuranceConfig",
]
