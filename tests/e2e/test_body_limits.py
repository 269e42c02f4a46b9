"""Large bodies against a whole gateway (``lienthong serve`` in a process of its own): without a
token nothing of a body is read (401), a body past the limit is refused as it arrives (413), and
neither costs the gateway memory in proportion to what was sent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from mappings.dossier import EXAMPLE_DOSSIER
from tests.e2e.servers import GatewayProcess, gateway_client

pytestmark = pytest.mark.e2e

FIFTY_MB = 50 * 1024 * 1024
CHUNK = 1024 * 1024
PARALLEL = 4
BOUND = 50 * 1024 * 1024
"""How much the gateway's resident memory may grow over the whole run."""
ROUTES = [
    "/v1/dossiers",
    "/v1/dossiers:batch",
    f"/v1/dossiers/{EXAMPLE_DOSSIER['code']}/progress",
    "/v1/documents",
    f"/v1/documents/{'0' * 32}/status",
    f"/v1/documents/{'0' * 32}/recall",
    f"/v1/inbox/documents/{'0' * 32}/ack",
    "/v1/citizens/verify",
    "/v1/prefill",
    "/oauth/token",
]


def _resident(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
    assert match, status
    return int(match.group(1)) * 1024


def _chunks() -> Iterator[bytes]:
    block = b"x" * CHUNK
    for _ in range(FIFTY_MB // CHUNK):
        yield block


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    folder = tmp_path_factory.mktemp("limits")
    env = {
        "LIENTHONG_DATABASE_URL": f"sqlite:///{folder}/gateway.db",
        "LIENTHONG_KEYS_DIR": str(folder / "keys"),
        "LIENTHONG_WORKER_ENABLED": "false",
        "LIENTHONG_DOCUMENT_POLLER_ENABLED": "false",
        "LIENTHONG_LOG_LEVEL": "WARNING",
    }
    process = GatewayProcess(env, folder / "gateway.log").start()
    try:
        yield process
    finally:
        process.stop()


def _send(url: str, path: str, *, chunked: bool, token: str | None = None) -> int:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    content = _chunks() if chunked else b"x" * FIFTY_MB
    reply = httpx.post(f"{url}{path}", content=content, headers=headers, timeout=120)
    return reply.status_code


def _warm_up(gateway: GatewayProcess) -> str:
    """Every route answered once, so what loads on first use is loaded before measuring."""
    with gateway_client(gateway.url) as client:
        for path in ROUTES:
            client.post(path, json={})
        token = str(client.headers["Authorization"]).removeprefix("Bearer ")
    return token


def test_fifty_megabytes_to_every_write_route_four_at_once_cost_no_memory(
    gateway: GatewayProcess,
) -> None:
    assert gateway.process is not None
    token = _warm_up(gateway)
    before = _resident(gateway.process.pid)
    runs = [
        (path, chunked, with_token)
        for path in ROUTES
        for chunked, with_token in ((False, False), (True, False), (False, True))
    ]
    with ThreadPoolExecutor(PARALLEL) as pool:
        for path, chunked, with_token in runs:
            sent = [
                pool.submit(
                    _send, gateway.url, path, chunked=chunked, token=token if with_token else None
                )
                for _ in range(PARALLEL)
            ]
            answers = [future.result() for future in sent]
            public = path == "/oauth/token"
            expected = 413 if with_token or public else 401
            assert answers == [expected] * PARALLEL, (path, chunked, with_token, answers)
    grown = _resident(gateway.process.pid) - before
    assert grown < BOUND, f"the gateway grew by {grown / 2**20:.0f} MiB"


def test_a_batch_of_a_thousand_full_dossiers_fits_the_default_limit(
    gateway: GatewayProcess,
) -> None:
    code = str(EXAMPLE_DOSSIER["code"])[: -len("00012")]
    dossiers = [
        {
            **EXAMPLE_DOSSIER,
            "code": f"{code}{n:05d}",
            "summary": ("Đăng ký khai sinh cho con, kèm giấy chứng sinh " * 25)[:1000],
            "note": ("Hồ sơ đầy đủ, đã kiểm tra bản chính " * 60)[:2000],
        }
        for n in range(1000)
    ]
    body = json.dumps({"dossiers": dossiers}).encode()
    assert 6_000_000 < len(body) < 8 * 1024 * 1024
    with gateway_client(gateway.url) as client:
        reply = client.post(
            "/v1/dossiers:batch", content=body, headers={"Content-Type": "application/json"}
        )
    assert reply.status_code == 202, reply.text
    assert reply.json()["accepted"] == 1000
