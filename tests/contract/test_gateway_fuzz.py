"""The gateway against its own contract, driven by the contract: schemathesis generates requests
from openapi/gateway.yaml (the document's examples, then data that fits the schemas, then data
that breaks them) and sends them to a real gateway on loopback, its national systems faked.

It fails on any 5xx and on any answer the contract does not describe: a status a route does not
declare, another content type, a body or headers that do not fit their schema. And every write
route must have accepted something: a contract whose patterns and examples a tester cannot
satisfy exercises nothing but 422s. Seeded and bounded (``EXAMPLES`` per operation and mode).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.app import create_app
from gateway.settings import Settings
from mappings.dossier import EXAMPLE_DOSSIER
from tests.e2e.servers import ServerThread, wait_until
from tests.gateway.fakes import FakeAxis, FakeBusinesses, FakePopulation, FakePortal
from tests.gateway.land_fakes import FakeLand
from tests.gateway.registry_fakes import FakeInsurance, FakeResults

pytestmark = pytest.mark.e2e

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "gateway.yaml"
EXAMPLES = 15
"""Generated cases per operation and generation mode (the contract's own examples come on top)."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
WRITES = [
    "POST /v1/dossiers",
    "POST /v1/dossiers:batch",
    "POST /v1/dossiers/{code}/progress",
    "POST /v1/documents",
    "POST /v1/documents/{document}/status",
    "POST /v1/documents/{document}/recall",
    "POST /v1/inbox/documents/{document}/ack",
    "POST /v1/citizens/verify",
    "POST /v1/prefill",
    "POST /v1/questions",
    "POST /v1/evaluations",
    "POST /oauth/token",
]
SKIPPED = ("/sso/",)
"""Sign-on sends browsers to the national provider, which is not faked here, so it answers 502
(declared, but a 5xx all the same); tests/gateway/test_sso.py and tests/e2e cover it."""


@dataclass
class Gateway:
    url: str
    token: str
    incoming: str
    """A received document: its status can be answered and it can be acknowledged."""
    outgoing: str
    """A sent document: it can be recalled."""
    reached: dict[str, set[int]] = field(default_factory=dict)


def _seed(url: str, axis: FakeAxis) -> tuple[str, str, str]:
    token = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("demo", "demo-secret"),
    ).json()["access_token"]
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.post("/v1/dossiers", json=EXAMPLE_DOSSIER).status_code == 202
        document = {
            "to": [{"organ_id": "000.00.00.H49", "name": "Ủy ban nhân dân tỉnh Quảng Ninh"}],
            "number": "1",
            "notation": "UBND-SEED",
            "promulgated_on": "2026-01-02",
            "type": "CV",
            "subject": "Văn bản gốc",
            "attachments": [{"name": "cv.pdf", "content": base64.b64encode(b"%PDF").decode()}],
        }
        sent = client.post("/v1/documents", json=document)
        assert sent.status_code == 202, sent.text
        outgoing = sent.json()["id"]
        axis.offer("axis-seed", client.get(f"/v1/documents/{outgoing}/package").content)

        def received() -> bool:
            return bool(client.get("/v1/inbox/documents").json()["documents"])

        wait_until(received, timeout=20, what="the poller to receive the seeded document")
        incoming = client.get("/v1/inbox/documents").json()["documents"][0]["id"]
    return token, incoming, outgoing


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    folder = tmp_path_factory.mktemp("fuzz")
    settings = Settings(
        database_url=f"sqlite:///{folder}/gateway.db",
        worker_enabled=False,
        document_poller_enabled=True,
        document_poll_interval=0.1,
        sqlite_synchronous="OFF",
        keys_dir=folder / "keys",
        document_max_bytes=200_000,
        max_body_bytes=200_000,
    )
    axis = FakeAxis()
    app = create_app(
        settings,
        adapters={
            "national_portal": FakePortal(),
            "document_axis": axis,
            "population_registry": FakePopulation(),
            "business_registry": FakeBusinesses(),
            "social_insurance": FakeInsurance(),
            "results_store": FakeResults(),
            "land_registry": FakeLand(),
        },
    )
    with ServerThread(app) as server:
        token, incoming, outgoing = _seed(server.url, axis)
        yield Gateway(server.url, token, incoming, outgoing)


def _strategies(operation: Any, gateway: Gateway) -> list[Any]:
    schema = operation.schema
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    strategies += schema.get_strategies_from_examples(operation)
    if operation.path == "/oauth/token":
        demo = {"grant_type": "client_credentials", "client_id": "demo"}
        strategies.append(operation.as_strategy(body={**demo, "client_secret": "demo-secret"}))
    if "{document}" in operation.path:
        known = gateway.outgoing if operation.path.endswith("/recall") else gateway.incoming
        strategies.append(
            operation.as_strategy(
                generation_mode=GenerationMode.POSITIVE, path_parameters={"document": known}
            )
        )
    return strategies


def _exercise(operation: Any, gateway: Gateway) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    statuses = gateway.reached.setdefault(label, set())
    headers = {"Authorization": f"Bearer {gateway.token}"}

    @settings(
        max_examples=EXAMPLES * 3,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(_strategies(operation, gateway)))
    def call(case: Any) -> None:
        response = case.call_and_validate(base_url=gateway.url, headers=headers, checks=CHECKS)
        statuses.add(response.status_code)

    call()


def test_every_operation_answers_as_its_contract_says_and_every_write_is_reachable(
    gateway: Gateway,
) -> None:
    schema = schemathesis.openapi.from_path(CONTRACT)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(SKIPPED):
            continue
        try:
            _exercise(operation, gateway)
        except Exception as failure:  # every operation is tried; all failures are reported
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n\n".join(failures)
    unreached = [w for w in WRITES if not any(200 <= s < 300 for s in gateway.reached.get(w, ()))]
    assert not unreached, f"no 2xx from {unreached}: {gateway.reached}"
