"""Land dossiers in the demo: a few dossiers of a land procedure, for people who hold land in
the land mock, are forwarded by the gateway to the land office; one is asked for a supplement,
which the one-stop system supplies; one is refused; the others are resolved with a certificate,
which the one-stop system downloads and hands over. Their holders' parcels are looked up too,
each look-up audited. The demo's other dossiers of land procedures are forwarded as well."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from gateway.demo.lookups import DECLARED
from gateway.demo.servers import DemoError

PROCEDURE = {"code": "1.012783", "name": "Cấp đổi Giấy chứng nhận quyền sử dụng đất"}
LAND_UNIT = "000.01.09.H56"
"""The demo province's unit that handles land (``gateway.demo.province``)."""
DOSSIERS = 4
POLL_SECONDS = 0.25
SETTLED = {"returned", "refused"}


def _story(receipt: str, answer: str) -> dict[str, Any]:
    return {
        "name": f"{answer} {receipt}",
        "entity": "dossier",
        "only": [receipt],
        "steps": [{"on": "TiepNhanHoSo", "answer": answer}],
    }


def _dossier(n: int, holder: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "code": f"{LAND_UNIT}-{now:%y%m%d}-{90001 + n}",
        "procedure": PROCEDURE,
        "field": {"code": "DD", "name": "Đất đai"},
        "receipt_number": f"TD-{now:%y%m%d}-{n + 1:03d}",
        "channel": "in_person",
        "applicant": {
            "kind": "citizen",
            "name": holder["HoTen"],
            "id_type": "personal_id",
            "id_number": holder["SoGiayTo"],
        },
        "summary": "Cấp đổi Giấy chứng nhận quyền sử dụng đất do bị hư hỏng",
        "status": "received",
        "handling_unit": LAND_UNIT,
        "received_at": now.isoformat(),
        "due_at": (now + timedelta(days=10)).isoformat(),
        "documents": [{"id": "don", "name": "Đơn đề nghị cấp đổi giấy chứng nhận"}],
    }


async def _statuses(gateway: httpx.AsyncClient, codes: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for code in codes:
        reply = await gateway.get(f"/v1/inbox/land/{code}")
        found[code] = reply.json()["status"] if reply.status_code == 200 else None
    return found


async def _until(
    gateway: httpx.AsyncClient, codes: list[str], done: set[str], patience: float, what: str
) -> dict[str, str | None]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while True:
        statuses = await _statuses(gateway, codes)
        if all(status in done for status in statuses.values()):
            return statuses
        if loop.time() > deadline:
            raise DemoError(f"gave up waiting for {what}: {statuses}")
        await asyncio.sleep(POLL_SECONDS)


async def land_round_trip(
    gateway: httpx.AsyncClient, mocks_url: str, *, patience: float = 120.0
) -> dict[str, Any]:
    """Forward ``DOSSIERS`` land dossiers, answer the land office to the end, look their
    holders' parcels up; what came of it and what the land mock holds."""
    now = datetime.now(UTC).replace(microsecond=0)
    async with httpx.AsyncClient(base_url=f"{mocks_url}/land-registry", timeout=10.0) as land:
        parcels = (await land.get("/__admin/sample", params={"n": DOSSIERS})).json()["parcels"]
        holders = [parcel["ChuSuDung"][0] for parcel in parcels]
        dossiers = [_dossier(n, holder, now) for n, holder in enumerate(holders)]
        for dossier, answer in zip(dossiers, ("supplement", "refuse"), strict=False):
            story = _story(dossier["receipt_number"], answer)
            if (await land.post("/__admin/stories", json=story)).status_code != 201:
                raise DemoError("the land registry mock refused a story")
        pushed = await gateway.post("/v1/dossiers:batch", json={"dossiers": dossiers})
        if pushed.status_code != 202:
            raise DemoError(f"the gateway refused the land dossiers: {pushed.text[:300]}")
        codes = [d["code"] for d in dossiers]
        waiting = {"supplement_requested", "resolved", "refused"}
        statuses = await _until(gateway, codes, waiting, patience, "the land office's answers")
        supplements = 0
        for code, status in statuses.items():
            if status == "supplement_requested":
                supplied = await gateway.post(
                    f"/v1/land/dossiers/{code}/supplement",
                    json={
                        "new_due_at": (now + timedelta(days=15)).isoformat(),
                        "note": "Đã bổ sung trích đo địa chính",
                        "documents": [{"name": "Trích đo địa chính thửa đất"}],
                    },
                )
                if supplied.status_code != 202:
                    raise DemoError(f"the gateway refused a supplement: {supplied.text[:300]}")
                supplements += 1
        resolved = {"resolved", "refused"}
        statuses = await _until(gateway, codes, resolved, patience, "every result")
        results = 0
        for code, status in statuses.items():
            if status != "resolved":
                continue
            for result in (await gateway.get(f"/v1/inbox/land/{code}")).json()["results"]:
                results += (await gateway.get(result["link"])).status_code == 200
            handed = await gateway.post(
                f"/v1/land/dossiers/{code}/handover",
                json={"at": datetime.now(UTC).isoformat()},
            )
            if handed.status_code != 202:
                raise DemoError(f"the gateway refused a handover: {handed.text[:300]}")
        statuses = await _until(gateway, codes, SETTLED, patience, "every handover")
        held = 0
        for holder in holders:
            reply = await gateway.post(
                "/v1/land/parcels/held", json={"id_number": holder["SoGiayTo"], **DECLARED}
            )
            held += len(reply.json()["parcels"]) if reply.status_code == 200 else 0
        state = (await land.get("/__admin/state")).json()
    audit = await gateway.get("/v1/audit", params={"action": "parcels_held", "limit": 1000})
    return {
        "land dossiers forwarded and answered": len(codes),
        "asked for a supplement, supplied": supplements,
        "refused by the land office": list(statuses.values()).count("refused"),
        "results downloaded and handed over": results,
        "parcels found for their holders": held,
        "parcel look-up audit records": len(audit.json()["records"]),
        "dossiers the land mock holds": state.get("dossiers", 0),
    }
