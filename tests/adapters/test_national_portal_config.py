"""The adapter's configuration refuses what cannot work, naming every problem at once."""

from __future__ import annotations

import pytest

from adapters import AuthStyle, PortalConfig


def test_accepts_the_auth_style_as_its_string_value() -> None:
    config = PortalConfig(
        url="http://portal.test",
        unit_code="000.00.00.H56",
        auth="oauth2",
        client_id="lienthong",
        client_secret="secret",
    )

    assert config.auth is AuthStyle.oauth2


def test_names_every_problem_of_a_configuration_that_cannot_work() -> None:
    with pytest.raises(ValueError, match="invalid national portal configuration") as raised:
        PortalConfig(url="http://portal.test", unit_code="", retries=0, batch_size=1001)

    message = str(raised.value)
    for problem in ("unit_code is empty", "username and password", "retries", "batch_size"):
        assert problem in message


def test_refuses_an_unknown_auth_style() -> None:
    with pytest.raises(ValueError, match="auth"):
        PortalConfig(url="http://portal.test", unit_code="000.00.00.H56", auth="basic")


def test_keeps_secrets_out_of_its_repr() -> None:
    config = PortalConfig(
        url="http://portal.test",
        unit_code="000.00.00.H56",
        username="u",
        password="hunter2",
        client_secret="s3cr3t-value",
    )

    assert "hunter2" not in repr(config)
    assert "s3cr3t-value" not in repr(config)
