"""Callbacks: the mocks call a receiver on loopback, signed with Standard Webhooks, and the
receiver checks every signature with an independent implementation (``standardwebhooks``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import webhooks
from mocks.app import admins, create_mocks_app
from mocks.document_axis import create_app as document_axis
from mocks.national_portal import create_app as national_portal
from mocks.scenario_files import parse_scenario
from mocks.server import MocksServer
from tests.mocks.document_axis.samples import NGHE_AN, THANH_HOA, Caller, document
from tests.mocks.samples import Portal, client_of, dossier

CODE = "000.00.01.H56-250301-00012"
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class Receiver:
    """A one-stop system's webhook endpoint: it verifies each message and keeps it."""

    def __init__(self, secret: str = SECRET, *, failures: int = 0) -> None:
        self.webhook = Webhook(secret)
        self.failures = failures
        self.received: list[dict[str, Any]] = []
        self.refused: list[str] = []

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        try:
            payload = self.webhook.verify(body, dict(request.headers))
        except WebhookVerificationError as exc:
            self.refused.append(str(exc))
            return JSONResponse({"error": str(exc)}, 401)
        if self.failures:
            self.failures -= 1
            return JSONResponse({"error": "busy"}, 503)
        self.received.append({"id": request.headers["webhook-id"], **payload})
        return Response(status_code=204)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def hook_url(receiver: Receiver) -> Iterator[str]:
    with MocksServer(receiver.app()) as server:
        yield f"{server.url}/hook"


def test_signatures_agree_with_the_standard_webhooks_package() -> None:
    body = json.dumps({"type": "x", "data": {"MaHoSo": "Hồ sơ"}}, ensure_ascii=False).encode()
    headers = webhooks.signed_headers(SECRET, "msg_1", body)

    assert Webhook(SECRET).verify(body, headers) == json.loads(body)
    webhooks.verify(SECRET, headers, body)
    with pytest.raises(webhooks.SignatureMismatch, match="no signature matches"):
        webhooks.verify(SECRET, headers, body + b" ")


async def test_a_document_arriving_for_an_agency_calls_its_hook(
    receiver: Receiver, hook_url: str
) -> None:
    app = document_axis()
    admin = app.state.admin
    async with client_of(app, "http://axis.test") as http:
        registered = await http.post(
            "/__admin/callbacks",
            json={
                "on": "document.arrived",
                "where": {"receiver": NGHE_AN},
                "url": hook_url,
                "secret": SECRET,
            },
        )
        document_id, _ = await Caller(http, THANH_HOA).send(document(THANH_HOA, (NGHE_AN,)))
        await admin.callbacks.settle()
        listed = (await http.get("/__admin/callbacks")).json()

    assert registered.status_code == 201
    assert [m["type"] for m in receiver.received] == ["document.arrived"]
    assert receiver.received[0]["data"] == {
        "documentId": document_id,
        "sender": THANH_HOA,
        "receiver": NGHE_AN,
        "kind": "document",
    }
    assert listed["messages"][0]["state"] == "delivered"
    assert listed["callbacks"][0]["fired"] == 1


async def test_a_timer_fires_once_after_its_delay(receiver: Receiver, hook_url: str) -> None:
    app = national_portal()
    admin = app.state.admin
    async with client_of(app) as http:
        await http.post(
            "/__admin/callbacks",
            json={
                "after_s": 0.2,
                "url": hook_url,
                "secret": SECRET,
                "type": "submission.created",
                "data": {"MaHoSo": "HS-1"},
            },
        )
        assert receiver.received == []
        await admin.callbacks.settle()

    assert [(m["type"], m["data"]) for m in receiver.received] == [
        ("submission.created", {"MaHoSo": "HS-1"})
    ]


async def test_a_failed_delivery_is_retried_under_the_same_id(hook_url: str) -> None:
    busy = Receiver(failures=1)
    with MocksServer(busy.app()) as server:
        app = national_portal()
        admin = app.state.admin
        admin.callbacks.add(
            {"on": "dossier.created", "url": f"{server.url}/hook", "secret": SECRET}
        )
        async with client_of(app) as http:
            portal = Portal(http)
            await portal.login()
            await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
            await admin.callbacks.settle()
        message = admin.callbacks.listing()["messages"][0]

    assert [a["status"] for a in message["attempts"]] == [503, 204]
    assert message["state"] == "delivered"
    assert busy.received[0]["id"] == message["id"]


async def test_a_wrong_secret_is_refused_by_the_receiver(receiver: Receiver, hook_url: str) -> None:
    app = national_portal()
    admin = app.state.admin
    admin.callbacks.add({"on": "dossier.created", "url": hook_url, "retries": 0})
    async with client_of(app) as http:
        portal = Portal(http)
        await portal.login()
        await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
        await admin.callbacks.settle()

    assert receiver.received == []
    assert receiver.refused == ["No matching signature found"]
    assert admin.callbacks.listing()["messages"][0]["state"] == "failed"


async def test_a_scenario_file_subscribes_and_a_story_step_calls_back(
    receiver: Receiver, hook_url: str
) -> None:
    scenario = parse_scenario(
        f"""
        mocks:
          national_portal:
            callbacks:
              - {{on: dossier.created, url: "{hook_url}", secret: "{SECRET}"}}
              - {{on: story.entered, where: {{state: done}}, url: "{hook_url}",
                  secret: "{SECRET}"}}
            stories:
              - name: một lần
                entity: dossier
                steps:
                  - on: DongBoHoSoMC
                    answer: exists
                    callback: {{url: "{hook_url}", secret: "{SECRET}", type: dossier.refused}}
        """
    )
    app = create_mocks_app(scenario=scenario)
    admin = admins(app)["national_portal"]
    async with client_of(app, "http://mocks.test/national-portal") as http:
        portal = Portal(http)
        await portal.login()
        for _ in range(2):
            await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
        await admin.callbacks.settle()

    assert sorted(m["type"] for m in receiver.received) == [
        "dossier.created",
        "dossier.refused",
        "story.entered",
    ]
    entered = next(m for m in receiver.received if m["type"] == "story.entered")
    assert entered["data"] == {"story": "một lần", "entity": CODE, "state": "done", "from": "1"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"url": "http://127.0.0.1/h"}, "on: a callback either subscribes"),
        ({"url": "ftp://x", "on": "a"}, 'url: "ftp://x" does not match'),
        ({"url": "http://127.0.0.1/h", "on": "a", "secret": "whsec_???"}, "secret:"),
    ],
)
async def test_a_callback_that_cannot_be_used_is_refused(
    spec: dict[str, Any], message: str
) -> None:
    async with client_of(national_portal()) as http:
        refused = await http.post("/__admin/callbacks", json=spec)

    assert refused.status_code == 400
    assert refused.json()["error"].startswith(message)
