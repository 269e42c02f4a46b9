"""Prefill and reuse as the demo's one-stop officers see it: for citizens who hold an insurance
card and a birth certificate extract, one prefill fills the form from every registry at once and
says the birth certificate need not be submitted; each registry asked leaves an audit record."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx

from gateway.demo.lookups import DECLARED

PROCEDURE = "1.004194"
"""Đăng ký thường trú: asks for a birth certificate among its papers."""
BIRTH_CERTIFICATE = {"code": "TP.KS", "result_kinds": ["KQ.KS"]}


async def _applicants(mocks_url: str, count: int) -> list[dict[str, Any]]:
    """Seeded adults the insurance database and the results store both hold."""
    async with httpx.AsyncClient(base_url=mocks_url, timeout=10.0) as mocks:
        insured = await mocks.get("/social-insurance/__admin/sample", params={"n": 100})
        extracts = await mocks.get(
            "/results-store/__admin/sample", params={"n": 100, "kind": "KQ.KS"}
        )
    with_card = {p["personal_id"] for p in insured.json()["citizens"]}
    return [p for p in extracts.json()["citizens"] if p["personal_id"] in with_card][:count]


async def prefill_and_reuse(
    gateway: httpx.AsyncClient, mocks_url: str, count: int
) -> dict[str, Any]:
    """Prefill the forms of up to ``count`` citizens; the fields each registry filled, the
    papers they need not submit, and the audit records it left."""
    applicants = await _applicants(mocks_url, count)
    filled: Counter[str] = Counter()
    reused = answered = 0
    for person in applicants:
        reply = await gateway.post(
            "/v1/prefill",
            json={
                "procedure": PROCEDURE,
                "applicant": {
                    "id_number": person["personal_id"],
                    "full_name": person["full_name"],
                    "date_of_birth": person["date_of_birth"],
                },
                "components": [BIRTH_CERTIFICATE],
                **DECLARED,
            },
        )
        if reply.status_code != 200:
            continue
        answered += 1
        filled.update(field["source"] for field in reply.json()["fields"])
        reused += len(reply.json()["reusable"])
    audit = (await gateway.get("/v1/audit", params={"action": "prefill", "limit": 1000})).json()[
        "records"
    ]
    return {
        "citizens prefilled": f"{answered} of {len(applicants)}",
        "fields by source": dict(sorted(filled.items())),
        "papers not asked again": reused,
        "prefill audit records": len(audit),
    }
