"""The pull direction in the demo: inter-connected submissions the mock holds for the province
are taken in by the gateway's poller, taken by the one-stop system, and answered: statuses
reported through the gateway reach the mock, which says what it heard.

One extra submission, of a procedure the province does not take, shows a submission kept
aside; one dossier is asked for a supplement, resubmitted by the citizen (the mock's admin
API) and comes back to the inbox as version 2 before it is answered to the end; one in ten is
refused.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from gateway.demo.servers import DemoError

FOREIGN_PROCEDURE = "1.999999"
"""A procedure the province's settings do not take: that submission is kept aside."""
CERTIFICATE = base64.b64encode(b"%PDF-1.4\n% trich luc khai sinh (demo)\n").decode()
POLL_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class PullReport:
    """What the pull direction did, and what the mock says it heard."""

    offered: int
    """Submissions the mock held for the province."""
    taken_in: int
    """Of those, in the gateway's inbox."""
    set_aside: int
    """Of those, kept aside (a procedure the province does not take)."""
    resubmitted: int
    statuses: int
    """Statuses reported through the gateway."""
    refused: int
    heard: dict[str, int]
    """The mock's own counts once delivery settled (acknowledgements, statuses accepted)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "offered": self.offered,
            "taken_in": self.taken_in,
            "set_aside": self.set_aside,
            "resubmitted": self.resubmitted,
            "statuses": self.statuses,
            "refused": self.refused,
            "mock_acknowledged": self.heard.get("acknowledged", 0),
            "mock_statuses_accepted": self.heard.get("statuses_accepted", 0),
        }


async def _inbox(gateway: httpx.AsyncClient, state: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {
            "state": state,
            "limit": 100,
            **({"after": after} if after else {}),
        }
        reply = await gateway.get("/v1/inbox/dossiers", params=params)
        reply.raise_for_status()
        page = reply.json()
        found += page["dossiers"]
        after = page["next_after"]
        if after is None:
            return found


async def _until(check: Any, patience: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while not await check():
        if loop.time() > deadline:
            raise DemoError(f"gave up waiting for {what}")
        await asyncio.sleep(POLL_SECONDS)


async def _report(gateway: httpx.AsyncClient, code: str, body: dict[str, Any]) -> None:
    reply = await gateway.post(f"/v1/inbox/dossiers/{code}/status", json=body)
    if reply.status_code != 202:
        raise DemoError(f"the gateway refused a status of {code}: {reply.text[:300]}")


class _Answers:
    def __init__(self, gateway: httpx.AsyncClient) -> None:
        self.gateway = gateway
        self.sent = 0
        self.refused = 0
        self.today = date.today()

    async def begin(self, n: int, code: str) -> None:
        await self.gateway.post(f"/v1/inbox/dossiers/{code}/ack")
        province = f"000.00.41.H56-{self.today:%y%m%d}-{n:05d}"
        await self.send(code, {"status": "received", "province_code": province})

    async def finish(self, n: int, code: str) -> None:
        if n % 10 == 9:
            note = "Người yêu cầu không đủ điều kiện đăng ký tại đơn vị này"
            await self.send(code, {"status": "refused", "note": note})
            self.refused += 1
            return
        officer = {"name": "Lê Thị Hoa", "title": "Công chức tư pháp - hộ tịch"}
        await self.send(code, {"status": "accepted", "officer": officer})
        result = {
            "number": str(100 + n),
            "book": f"01/{self.today.year}",
            "registered_on": self.today.isoformat(),
            "certificate": {"file_name": f"trich-luc-{n}.pdf", "content": CERTIFICATE},
        }
        await self.send(code, {"status": "registered", "result": result, "officer": officer})
        await self.send(code, {"status": "handed_over", "note": "Trả kết quả qua VNeID"})

    async def send(self, code: str, body: dict[str, Any]) -> None:
        await _report(self.gateway, code, body)
        self.sent += 1


async def pull(
    gateway: httpx.AsyncClient, linked: httpx.AsyncClient, *, patience: float = 120.0
) -> PullReport:
    """Show the pull direction end to end; ``linked`` is the mock's base URL."""
    foreign = {"module": "KS", "maTTHC": FOREIGN_PROCEDURE}
    if (await linked.post("/__admin/submissions", json=foreign)).status_code != 201:
        raise DemoError("the inter-connected services mock refused a made-up submission")
    offered = int((await linked.get("/__admin/state")).json()["submissions"])

    async def all_in() -> bool:
        return len(await _inbox(gateway, "all")) >= offered

    await _until(all_in, patience, "the poller to take in the mock's submissions")
    waiting = await _inbox(gateway, "new")
    answers = _Answers(gateway)
    codes = [d["code"] for d in waiting]
    for n, code in enumerate(codes):
        await answers.begin(n, code)
    resubmitted = 0
    if codes:
        first = codes[0]
        deadline = datetime.now(UTC) + timedelta(days=5)
        await answers.send(
            first,
            {
                "status": "supplement_requested",
                "supplement_deadline": deadline.isoformat(),
                "note": "Bổ sung bản sao giấy xác nhận cư trú",
            },
        )

        async def asked() -> bool:
            heard = await linked.get("/__admin/statuses", params={"maHoSo": first})
            return any(
                s["body"]["trangThai"] == 2 and s["accepted"] for s in heard.json()["statuses"]
            )

        await _until(asked, patience, "the supplement request to reach the mock")
        again = await linked.post(f"/__admin/submissions/{first}/resubmit")
        if again.status_code != 200:
            raise DemoError(f"the mock did not take {first} back: {again.text[:200]}")

        async def back() -> bool:
            reply = await gateway.get(f"/v1/inbox/dossiers/{first}")
            return bool(reply.json().get("version", 1) >= 2)

        await _until(back, patience, "the resubmission to come back to the inbox")
        await gateway.post(f"/v1/inbox/dossiers/{first}/ack")
        resubmitted = 1
    for n, code in enumerate(codes):
        await answers.finish(n, code)
    aside = await _inbox(gateway, "set_aside")
    return PullReport(
        offered=offered,
        taken_in=offered - len(aside),
        set_aside=len(aside),
        resubmitted=resubmitted,
        statuses=answers.sent,
        refused=answers.refused,
        heard={},
    )


async def heard(linked: httpx.AsyncClient, report: PullReport) -> PullReport:
    """``report`` with what the mock says it heard, read once delivery has settled."""
    state = (await linked.get("/__admin/state")).json()
    counts = {k: int(state.get(k, 0)) for k in ("acknowledged", "statuses", "statuses_accepted")}
    return replace(report, heard=counts)
