"""Lookups the demo's one-stop officers make: citizens verified and businesses read from the
registries through the gateway, each citizen lookup leaving an audit record."""

from __future__ import annotations

from typing import Any

import httpx

DECLARED = {
    "purpose": "Xác minh thông tin người nộp hồ sơ khi tiếp nhận",
    "officer": "canbo.motcua.01",
    "dossier_code": "000.00.01.H56-261102-00001",
}


async def look_up(gateway: httpx.AsyncClient, mocks_url: str, count: int) -> dict[str, Any]:
    """Look ``count`` citizens up and verify them, read ``count`` businesses; what came of it."""
    async with httpx.AsyncClient(base_url=mocks_url, timeout=10.0) as mocks:
        people = (
            await mocks.get("/population-registry/__admin/sample", params={"n": count})
        ).json()["citizens"]
        firms = (await mocks.get("/business-registry/__admin/sample", params={"n": count})).json()[
            "enterprises"
        ]
    found = verified = read = 0
    for person in people:
        about = {"full_name": person["full_name"], "date_of_birth": person["date_of_birth"]}
        reply = await gateway.get(
            f"/v1/citizens/{person['personal_id']}", params={**about, **DECLARED}
        )
        found += reply.status_code == 200
        check = await gateway.post(
            "/v1/citizens/verify", json={"id_number": person["personal_id"], **about, **DECLARED}
        )
        verified += check.status_code == 200 and check.json()["match"]
    for firm in firms:
        read += (await gateway.get(f"/v1/businesses/{firm['MaSoDoanhNghiep']}")).status_code == 200
    audit = (await gateway.get("/v1/audit", params={"limit": 1000})).json()["records"]
    return {
        "citizens looked up": f"{found} of {len(people)}",
        "citizens verified": f"{verified} of {len(people)}",
        "businesses read": f"{read} of {len(firms)}",
        "audit records": len(audit),
    }
