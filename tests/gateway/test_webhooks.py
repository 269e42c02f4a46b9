"""Webhooks: each new inbox item reaches a receiver on loopback, signed so that an independent
implementation of Standard Webhooks (and the README's own snippet) accepts it; a failing receiver
is retried, then dead-lettered like any event."""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.operations import FailureQuery, Operator, Selection
from gateway.settings import Settings
from gateway.webhooks import InboxEvent, Receiver, Webhooks, new_secret, signed_headers
from gateway.webhooks.signing import WebhookSecretError, secret_key
from tests.e2e.servers import ServerThread
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal

SECRET = new_secret()
README = Path(__file__).resolve().parents[2] / "README.md"


@dataclass
class Endpoint:
    """A one-stop system's webhook endpoint: answers ``status`` and keeps what it got."""

    status: int = 204
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        async def take(request: Request) -> Response:
            body = await request.body()
            with self.lock:
                self.received.append((dict(request.headers), body))
            return Response(status_code=self.status)

        return Starlette(routes=[Route("/hooks", take, methods=["POST"])])


@pytest.fixture
def receiver() -> Iterator[tuple[Endpoint, str]]:
    endpoint = Endpoint()
    with ServerThread(endpoint.app()) as server:
        yield endpoint, f"{server.url}/hooks"


@pytest.fixture
def hooked_settings(settings: Settings, receiver: tuple[Endpoint, str]) -> Settings:
    return settings.model_copy(
        update={
            "webhook_url": receiver[1],
            "webhook_secret": SecretStr(SECRET),
            "retry_base_seconds": 0.0,
            "retry_max_seconds": 0.0,
        }
    )


@pytest.fixture
async def hooked_app(hooked_settings: Settings, axis: FakeAxis) -> AsyncIterator[FastAPI]:
    application = create_app(
        hooked_settings, adapters={"national_portal": FakePortal(), "document_axis": axis}
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def hooked(hooked_app: FastAPI) -> AsyncIterator[tuple[Gateway, httpx.AsyncClient]]:
    transport = httpx.ASGITransport(app=hooked_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
        yield hooked_app.state.gateway, c


def readme_verify() -> Callable[[str, dict[str, str], bytes], None]:
    """The ``verify`` function the README shows receivers, run as written there."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Webhooks") :]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:1]
    scope: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the README's own example
    verify: Callable[[str, dict[str, str], bytes], None] = scope["verify"]
    return verify


async def _document_arrives(client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis) -> str:
    """A document sent to ourselves through the fake axis, taken in by the poller: its id."""
    sent = await client.post("/v1/documents", json=_document())
    assert sent.status_code == 202, sent.text
    package = (await client.get(f"/v1/documents/{sent.json()['id']}/package")).content
    axis.offer("axis-1", package)
    assert await gateway.documents.poller.poll_once() == 1
    (received,) = (await client.get("/v1/inbox/documents")).json()["documents"]
    identifier: str = received["id"]
    return identifier


def _document() -> dict[str, Any]:
    return {
        "to": [{"organ_id": "000.00.00.H49", "name": "Ủy ban nhân dân tỉnh Quảng Ninh"}],
        "number": "88",
        "notation": "UBND-VX",
        "promulgated_on": "2026-11-20",
        "type": "CV",
        "subject": "V/v phối hợp giải quyết thủ tục hành chính",
        "attachments": [],
    }


async def _deliver_webhooks(gateway: Gateway, rounds: int = 1) -> None:
    for _ in range(rounds):
        await gateway.worker.run_once()


def test_the_signature_is_the_one_standard_webhooks_libraries_check() -> None:
    body = b'{"type":"document.received","data":{"id":"\xc3\xa1"}}'
    headers = signed_headers(secret_key(SECRET), "msg_1", body)
    assert Webhook(SECRET).verify(body, headers) == {
        "type": "document.received",
        "data": {"id": "á"},
    }
    readme_verify()(SECRET, headers, body)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)
    with pytest.raises(ValueError, match="no signature"):
        readme_verify()(SECRET, headers, body + b" ")


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("not-whsec", "starts with whsec_"),
        ("whsec_!!!", "base64"),
        ("whsec_" + "QUJD", "24 to 64 bytes, not 3"),
    ],
)
def test_a_secret_that_is_not_whsec_base64_is_refused_at_start(secret: str, problem: str) -> None:
    with pytest.raises(WebhookSecretError, match=problem):
        Receiver.of("https://one-stop.example/hooks", secret)
    with pytest.raises(ValueError, match=problem):
        Settings(webhook_url="https://one-stop.example/hooks", webhook_secret=secret)


def test_a_url_without_a_secret_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="LIENTHONG_WEBHOOK_SECRET"):
        Settings(webhook_url="https://one-stop.example/hooks")


def test_without_a_receiver_nothing_is_queued() -> None:
    assert Webhooks().delivery() is None
    assert not Webhooks().enabled


def test_an_event_type_longer_than_the_outbox_keeps_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 32 characters"):
        InboxEvent(type="x" * 33, kind="question", item="1", link="/v1/inbox/questions/1")


async def test_a_received_document_reaches_the_receiver_signed_and_verified(
    hooked: tuple[Gateway, httpx.AsyncClient], axis: FakeAxis, receiver: tuple[Endpoint, str]
) -> None:
    gateway, client = hooked
    document = await _document_arrives(client, gateway, axis)
    await _deliver_webhooks(gateway)
    endpoint, _ = receiver
    ((headers, body),) = endpoint.received
    message = Webhook(SECRET).verify(body, headers)
    readme_verify()(SECRET, headers, body)
    assert message["type"] == "document.received"
    assert message["data"]["kind"] == "document"
    assert message["data"]["id"] == document
    assert message["data"]["link"] == f"/v1/documents/{document}"
    assert headers["webhook-id"].startswith("msg_")
    assert headers["content-type"] == "application/json"
    status = (await client.get("/v1/status")).json()["targets"]["webhooks"]
    assert (status["accepted"], status["delivered"], status["dead"]) == (1, 1, 0)


async def test_a_failing_receiver_is_retried_under_the_same_id_then_dead_lettered(
    hooked: tuple[Gateway, httpx.AsyncClient], axis: FakeAxis, receiver: tuple[Endpoint, str]
) -> None:
    gateway, client = hooked
    endpoint, _ = receiver
    endpoint.status = 503
    await _document_arrives(client, gateway, axis)
    await _deliver_webhooks(gateway, rounds=3)
    assert len(endpoint.received) == 3, "each attempt reached the receiver"
    ids = {headers["webhook-id"] for headers, _ in endpoint.received}
    assert len(ids) == 1, "a retry keeps the message's id"
    for headers, body in endpoint.received:
        Webhook(SECRET).verify(body, headers)
    status = (await client.get("/v1/status")).json()["targets"]["webhooks"]
    assert (status["pending"], status["retried"], status["dead"]) == (1, 1, 0)

    gateway.worker._config = replace(gateway.worker._config, dead_after_seconds=0.0)
    await _deliver_webhooks(gateway)
    status = (await client.get("/v1/status")).json()["targets"]["webhooks"]
    assert (status["pending"], status["dead"]) == (0, 1)
    (failed,) = (await gateway.operations.failures(FailureQuery(system="webhooks"))).items
    assert "the receiver answered HTTP 503" in (failed.last_error or "")

    endpoint.status = 200
    operator = Operator(id="os:tester", name="tester")
    await gateway.operations.replay(
        Selection(ids=(failed.id,)), operator=operator, reason="the receiver is mended"
    )
    await _deliver_webhooks(gateway)
    status = (await client.get("/v1/status")).json()["targets"]["webhooks"]
    assert (status["pending"], status["dead"], status["delivered"]) == (0, 0, 1)
    assert len({h["webhook-id"] for h, _ in endpoint.received}) == 1


async def test_a_receiver_refusing_the_message_kills_it_at_once(
    hooked: tuple[Gateway, httpx.AsyncClient], axis: FakeAxis, receiver: tuple[Endpoint, str]
) -> None:
    gateway, client = hooked
    endpoint, _ = receiver
    endpoint.status = 400
    await _document_arrives(client, gateway, axis)
    await _deliver_webhooks(gateway)
    status = (await client.get("/v1/status")).json()["targets"]["webhooks"]
    assert (status["pending"], status["dead"]) == (0, 1)


async def test_an_unreachable_receiver_is_retried(settings: Settings, axis: FakeAxis) -> None:
    unreachable = settings.model_copy(
        update={
            "webhook_url": "http://127.0.0.1:9/hooks",
            "webhook_secret": SecretStr(SECRET),
            "retry_base_seconds": 0.0,
            "retry_max_seconds": 0.0,
        }
    )
    application = create_app(
        unreachable, adapters={"national_portal": FakePortal(), "document_axis": axis}
    )
    async with application.router.lifespan_context(application):
        gateway: Gateway = application.state.gateway
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
            c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
            await _document_arrives(c, gateway, axis)
            await _deliver_webhooks(gateway)
            status = (await c.get("/v1/status")).json()["targets"]["webhooks"]
    assert (status["pending"], status["dead"]) == (1, 0)
    assert "could not reach the receiver" in (status["last_error"] or "")
