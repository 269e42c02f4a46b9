"""The adapter's settings and the contract it ships with."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from adapters.document_axis import AxisConfig
from adapters.document_axis.binding import WSDL_NAME

CONTRACT = Path(__file__).resolve().parents[3] / "openapi" / "national" / "document_axis"


def test_the_shipped_wsdl_is_the_contracts() -> None:
    shipped = resources.files("adapters.document_axis").joinpath(WSDL_NAME).read_bytes()

    assert shipped == (CONTRACT / WSDL_NAME).read_bytes(), (
        f"copy {CONTRACT / WSDL_NAME} to adapters/document_axis/{WSDL_NAME}"
    )


def test_the_password_stays_out_of_repr() -> None:
    config = AxisConfig(url="https://axis.test/", username="000.00.00.H56", password="s3cr3t")

    assert "s3cr3t" not in repr(config)


def test_every_problem_of_a_configuration_is_named_at_once() -> None:
    with pytest.raises(ValueError, match="invalid document axis configuration") as raised:
        AxisConfig(url="axis.test", username="", password="", timeout=0, retries=0)

    message = str(raised.value)
    for named in ("url", "username and password", "timeout", "retries"):
        assert named in message


def test_a_deadline_shorter_than_the_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="deadline"):
        AxisConfig(url="https://axis.test/", username="u", password="p", timeout=30, deadline=5)
