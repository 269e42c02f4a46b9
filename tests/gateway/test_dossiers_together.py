"""Single dossiers pushed at once are accepted together in one call, and each request keeps what
is its own: its answer and its events' request id. (One failing item failing only its caller is
``tests/gateway/test_store_together.py``.)"""

from __future__ import annotations

import asyncio
import threading

import httpx
from sqlalchemy import select

from gateway.bootstrap import Gateway
from gateway.store.schema import outbox as outbox_table
from tests.gateway.samples import dossier_json


async def _pushed_while_the_writer_is_held(
    client: httpx.AsyncClient, gateway: Gateway, bodies: list[dict[str, object]]
) -> list[httpx.Response]:
    held = threading.Event()
    holding = asyncio.create_task(gateway.store.write(lambda connection: held.wait(10)))
    await asyncio.sleep(0.05)
    pushes = [
        asyncio.create_task(
            client.post("/v1/dossiers", json=body, headers={"X-Request-ID": f"one-stop:{n}"})
        )
        for n, body in enumerate(bodies)
    ]
    await asyncio.sleep(0.3)
    held.set()
    await holding
    return list(await asyncio.gather(*pushes))


async def test_each_request_gets_its_answer_and_its_events_carry_its_request_id(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    bodies = [dossier_json(n) for n in range(1, 9)]
    answers = await _pushed_while_the_writer_is_held(client, gateway, bodies)
    assert [a.status_code for a in answers] == [202] * 8
    assert [a.json()["code"] for a in answers] == [b["code"] for b in bodies]
    rows = await gateway.store.read(
        lambda c: c.execute(select(outbox_table.c.ordering_key, outbox_table.c.request_id)).all()
    )
    assert rows
    for code, request_id in rows:
        n = [b["code"] for b in bodies].index(code)
        assert request_id == f"one-stop:{n}"
    queued = {q["id"] for a in answers for q in a.json()["queued"]}
    assert len(queued) == len(rows)
