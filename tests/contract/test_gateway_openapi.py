"""The committed OpenAPI document is the gateway's contract: it must match the app exactly."""

from __future__ import annotations

from pathlib import Path

import yaml

from gateway.cli import gateway_openapi

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "gateway.yaml"


def test_committed_openapi_matches_the_app() -> None:
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert committed == gateway_openapi(), (
        "openapi/gateway.yaml has drifted from the app: run `make openapi` and commit the result"
    )


def test_every_write_documents_its_validation_error() -> None:
    document = gateway_openapi()
    for path, operations in document["paths"].items():  # type: ignore[attr-defined]
        for method, operation in operations.items():
            if method == "post":
                assert "422" in operation["responses"], f"POST {path} does not document 422"
