"""Our mock against WireMock: the endpoint both serve, the stub, and the load driven at them.

Our side always runs: a real ``lienthong mocks``, the token and record taken from it, the stub
made of them, and (when wrk is installed) a short wrk run at it. WireMock's side runs when its
jar is already in ``bench/.cache`` (the bench installs it on first use; a test does not
download it) and Java is there.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench import mock_throughput, wiremock, wrk
from bench.scenarios import Workspace
from bench.servers import Server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("mock-throughput"))


@pytest.fixture(scope="module")
def ours(workspace: Workspace) -> Iterator[Server]:
    with mock_throughput.mocks_server(workspace, "mocks-under-test") as server:
        yield server


@pytest.fixture(scope="module")
def found(ours: Server) -> mock_throughput.Endpoint:
    return mock_throughput.endpoint(ours.url)


def test_the_endpoint_is_a_registry_record_behind_a_bearer_token(
    ours: Server, found: mock_throughput.Endpoint
) -> None:
    assert found.path == "/business-registry/TraCuuThongTinDoanhNghiep"
    record = httpx.Response(200, content=found.body).json()
    assert record["MaSoDoanhNghiep"] == found.query["MaSoDoanhNghiep"]
    assert found.content_type.startswith("application/json")
    refused = httpx.get(f"{ours.url}{found.target}", timeout=10.0)
    assert refused.status_code == 401


def test_the_stub_answers_the_same_request_with_the_same_bytes(
    found: mock_throughput.Endpoint,
) -> None:
    mapping = mock_throughput.wiremock_stub(found)
    request, response = mapping["request"], mapping["response"]
    assert request["method"] == "GET"
    assert request["urlPath"] == found.path
    assert request["queryParameters"] == {
        "MaSoDoanhNghiep": {"equalTo": found.query["MaSoDoanhNghiep"]}
    }
    assert request["headers"]["Authorization"] == {"matches": "Bearer .+"}
    assert response["status"] == 200
    assert response["body"].encode("utf-8") == found.body
    assert response["headers"]["Content-Type"] == found.content_type


def test_a_server_answering_other_bytes_is_caught_before_it_is_measured(
    ours: Server, found: mock_throughput.Endpoint
) -> None:
    mock_throughput.check_same_reply(ours.url, found)
    other = dataclasses.replace(found, body=found.body + b" ")
    with pytest.raises(mock_throughput.StubMismatch, match="not 200 with the"):
        mock_throughput.check_same_reply(ours.url, other)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_drives_our_mock_without_an_error_reply(
    workspace: Workspace, ours: Server, found: mock_throughput.Endpoint
) -> None:
    figures = mock_throughput.drive(
        wrk.ensure(), ours, found, workspace=workspace, seconds=1, warm_seconds=0, connections=4
    )
    assert figures["requests"] > 0
    assert figures["non_2xx"] == 0
    assert figures["socket_errors"] == 0
    assert figures["server_cpu_ms_per_request"] > 0


@pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("npm") is None,
    reason="WireMock needs Java, and npm to install its jar from the npm registry",
)
def test_wiremock_serves_the_stub_as_our_mock_does(
    workspace: Workspace, found: mock_throughput.Endpoint, tmp_path: Path
) -> None:
    mapping = mock_throughput.wiremock_stub(found)
    with wiremock.server(tmp_path / "root", mapping, log=tmp_path / "wiremock.log") as stub:
        mock_throughput.check_same_reply(stub.url, found)
        unauthorised = httpx.get(f"{stub.url}{found.target}", timeout=10.0)
        assert unauthorised.status_code == 404
        if shutil.which("wrk"):
            figures = mock_throughput.drive(
                wrk.ensure(), stub, found, workspace=workspace, seconds=1, warm_seconds=0,
                connections=4,
            )  # fmt: skip
            assert figures["requests"] > 0
            assert figures["non_2xx"] == 0


@pytest.mark.parametrize(
    ("rates", "done"),
    [
        ([], False),
        ([1000.0, 3000.0], False),
        ([1000.0, 3000.0, 3050.0, 3080.0], True),
        ([1000.0, 3000.0, 2000.0], False),
        ([1000.0, 3000.0, 2000.0, 5000.0], False),
        ([1000.0, 3000.0, 2000.0, 2900.0], True),
    ],
    ids=["none", "still-two", "level", "one-dip", "rising-after-a-dip", "two-without-best"],
)
def test_warm_up_ends_after_two_runs_in_a_row_with_no_new_best(
    rates: list[float], done: bool
) -> None:
    assert mock_throughput.warm(rates) is done
