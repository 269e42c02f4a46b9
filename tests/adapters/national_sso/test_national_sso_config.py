"""The national SSO settings: what cannot work is refused naming the field, and the registry
entry reads them from LIENTHONG_SSO_*."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from adapters.national_sso import NATIONAL_SSO, ClientAuthMethod, OidcNationalSso, SsoConfig

BASE: dict[str, Any] = {
    "url": "https://sso.dichvucong.gov.vn",
    "client_id": "lienthong",
    "client_secret": "s3cret",
}


def test_defaults_ask_for_openid_at_loa1_with_basic_authentication() -> None:
    config = SsoConfig(**BASE)

    assert config.issuer == "https://sso.dichvucong.gov.vn"
    assert config.scopes == "openid"
    assert config.acr_values == "LoA1"
    assert config.client_auth_method is ClientAuthMethod.client_secret_basic
    assert config.min_acr is None and config.redirect_url is None
    assert config.timeout == 10.0
    assert "s3cret" not in repr(config)


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"client_id": ""}, "client_id"),
        ({"client_secret": ""}, "client_secret is needed with client_secret_basic"),
        ({"client_auth_method": "private_key_jwt"}, "private_key (a PEM file) is needed"),
        (
            {"client_auth_method": "private_key_jwt", "private_key": "/nonexistent.pem"},
            "private_key '/nonexistent.pem' is not a file",
        ),
        ({"client_auth_method": "client_secret_jwt"}, "client_auth_method"),
        ({"scopes": "profile vneid"}, "scopes must include openid"),
        ({"min_acr": "substantial"}, "min_acr must end in a level number"),
        ({"acr_values": "LoA1", "min_acr": "LoA2"}, "asks for no level as high as min_acr"),
        ({"redirect_url": "/sso/callback"}, "redirect_url must be an http(s) URL"),
        ({"url": "sso.example"}, "url must be an http(s) URL"),
    ],
)
def test_a_configuration_that_cannot_work_is_refused_naming_the_field(
    overrides: dict[str, Any], said: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        SsoConfig(**{**BASE, **overrides})

    assert said in str(refused.value)


def test_empty_variables_leave_optional_fields_unset() -> None:
    config = SsoConfig(**BASE, min_acr="", redirect_url="", private_key="")

    assert (config.min_acr, config.redirect_url, config.private_key) == (None, None, None)


def test_private_key_jwt_needs_no_secret(tmp_path: Path) -> None:
    key = tmp_path / "sso.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")

    config = SsoConfig(
        **{**BASE, "client_secret": ""}, client_auth_method="private_key_jwt", private_key=key
    )

    assert config.private_key == key


def test_an_unreadable_private_key_is_refused_when_the_adapter_is_built(tmp_path: Path) -> None:
    key = tmp_path / "sso.pem"
    key.write_text("not a key")
    config = SsoConfig(
        **BASE,
        client_auth_method="private_key_jwt",
        private_key=key,
        redirect_url="http://127.0.0.1:8600/sso/callback",
    )

    with pytest.raises(ValueError, match=r"private_key .*cannot be read as a PEM RSA private key"):
        OidcNationalSso(config)


def test_the_adapter_needs_the_redirect_url_filled_in() -> None:
    with pytest.raises(ValueError, match="redirect_url must be filled in"):
        OidcNationalSso(SsoConfig(**BASE))


def test_the_registry_entry_reads_lienthong_sso_and_reaches_the_mock() -> None:
    assert NATIONAL_SSO.name == "national_sso"
    assert NATIONAL_SSO.env_prefix == "LIENTHONG_SSO_"
    assert NATIONAL_SSO.mock_path == "/sso"
    assert NATIONAL_SSO.config is SsoConfig
    config = SsoConfig(
        url="http://127.0.0.1:8700/sso",
        redirect_url="http://127.0.0.1:8600/sso/callback",
        **NATIONAL_SSO.development,  # type: ignore[arg-type]
    )
    adapter = NATIONAL_SSO.connect(config, config.guard(NATIONAL_SSO.name), None)
    assert isinstance(adapter, OidcNationalSso)
    assert adapter.guard.system == "national_sso"


def test_every_setting_is_described_for_the_readme() -> None:
    undescribed = [name for name, field in SsoConfig.model_fields.items() if not field.description]

    assert undescribed == []
