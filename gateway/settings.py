"""Every setting of the gateway, from ``LIENTHONG_`` environment variables or a ``.env`` file.

Every national base URL defaults to the local mocks (``lienthong mocks`` on port 8700), so a fresh
checkout runs with nothing set.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.auth import SCOPES, ApiClient, secret_digest

DEFAULT_MOCKS_URL = "http://127.0.0.1:8700"
DEFAULT_TOKEN_SECRET = "lienthong-dev-token-secret-not-for-production"  # noqa: S105
DEFAULT_SESSION_SECRET = "lienthong-dev-session-secret"  # noqa: S105
DEFAULT_AUDIT_KEY = "lienthong-dev-audit-key"
DEMO_CLIENT_ID = "demo"
DEMO_CLIENT_SECRET = "demo-secret"  # noqa: S105 - the documented development client


def _demo_clients() -> dict[str, ApiClient]:
    return {
        DEMO_CLIENT_ID: ApiClient(
            secret_sha256=secret_digest(DEMO_CLIENT_SECRET),
            scopes=list(SCOPES),
            per_minute=60_000,
        )
    }


class Mode(StrEnum):
    development = "development"
    production = "production"


class PortalAuth(StrEnum):
    session = "session"
    oauth2 = "oauth2"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./lienthong.db",
        description="SQLAlchemy URL of the store; SQLite (a file, WAL) by default, "
        "`postgresql://user:password@host/db` for several replicas sharing one store.",
    )
    host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    port: int = Field(default=8600, description="Port the API listens on.")
    log_level: str = Field(default="INFO", description="Python logging level.")
    province_overrides: Path | None = Field(
        default=None,
        description="YAML file of per-province code overrides (procedure codes, status remaps).",
    )

    national_portal_url: str = Field(
        default=f"{DEFAULT_MOCKS_URL}/national-portal",
        description="Base URL of the National Public Service Portal.",
    )
    national_portal_auth: PortalAuth = Field(
        default=PortalAuth.session,
        description="How to authenticate to the portal: session login or OAuth2 (LGSP/NGSP).",
    )
    national_portal_unit_code: str = Field(
        default="000.00.00.H56",
        description="The province's unit code (madonvi, header dstcode).",
    )
    national_portal_username: str = Field(default="lienthong", description="Session login user.")
    national_portal_password: SecretStr = Field(
        default=SecretStr("lienthong-dev"), description="Session login password."
    )
    national_portal_client_id: str = Field(
        default="lienthong", description="OAuth2 client id at the integration platform."
    )
    national_portal_client_secret: SecretStr = Field(
        default=SecretStr("lienthong-dev"), description="OAuth2 client secret."
    )
    national_portal_timeout: float = Field(default=10.0, description="Seconds per portal call.")
    national_portal_max_connections: int = Field(
        default=20, description="Connection pool size towards the portal."
    )
    national_portal_retries: int = Field(
        default=3, description="Attempts of one call on transient failures, before giving up."
    )
    national_portal_batch_size: int = Field(
        default=100, description="Dossiers or progress steps sent in one portal call."
    )
    national_portal_rate_limit: float = Field(
        default=0.0,
        ge=0,
        description="Requests a second sent to the portal, all calls together; 0 is no limit.",
    )
    national_portal_rate_burst: int = Field(
        default=10,
        ge=1,
        description="Requests sent to the portal at once before its rate limit paces them.",
    )

    document_axis_url: str = Field(
        default=f"{DEFAULT_MOCKS_URL}/document-axis/",
        description="Address of the national document exchange axis (SOAP).",
    )
    document_axis_username: str = Field(
        default="000.00.00.H56", description="The province's account on the axis."
    )
    document_axis_password: SecretStr = Field(
        default=SecretStr("lienthong-dev"), description="Password of the axis account."
    )
    document_axis_timeout: float = Field(default=30.0, description="Seconds per axis call.")
    document_axis_retries: int = Field(
        default=3, description="Attempts of one axis call on transient failures."
    )
    document_axis_rate_limit: float = Field(
        default=0.0,
        ge=0,
        description="Requests a second sent to the axis, all calls together; 0 is no limit.",
    )
    document_axis_rate_burst: int = Field(
        default=10,
        ge=1,
        description="Requests sent to the axis at once before its rate limit paces them.",
    )
    organ_id: str = Field(
        default="000.00.00.H56",
        description="The province's organisation identifier on the axis (From/OrganId).",
    )
    organ_name: str = Field(
        default="Ủy ban nhân dân tỉnh Thanh Hóa",
        description="The province's organisation name, as written in outgoing packages.",
    )
    document_max_bytes: int = Field(
        default=25 * 1024 * 1024,
        description="Largest document request accepted (with its attachments, base64); else 413.",
    )
    document_poll_interval: float = Field(
        default=5.0, description="Seconds between looks for documents waiting on the axis."
    )
    document_poller_enabled: bool = Field(
        default=True, description="Fetch documents waiting on the axis while serving."
    )
    signature_mode: str = Field(
        default="verify_if_present",
        description="Incoming signatures: off, verify_if_present or required.",
    )
    signing_key: Path | None = Field(
        default=None, description="PEM private key that signs outgoing packages."
    )
    signing_cert: Path | None = Field(
        default=None, description="PEM X.509 certificate of the signing key."
    )
    keys_dir: Path = Field(
        default=Path(".lienthong/keys"),
        description="Where a development key pair is made on first run when none is set.",
    )
    trust_anchors: str = Field(
        default="",
        description="PEM certificates (files or folders, comma-separated) trusted for incoming "
        "signatures; the gateway's own certificate is always trusted.",
    )

    population_registry_url: str = Field(
        default=f"{DEFAULT_MOCKS_URL}/population-registry/",
        description="Address of the population registry (SOAP, through the data platform).",
    )
    population_registry_user: str = Field(
        default="lienthong", description="Platform account for the population registry."
    )
    population_registry_secret: SecretStr = Field(
        default=SecretStr("lienthong-dev"), description="Secret that signs each request."
    )
    population_registry_api_key: SecretStr = Field(
        default=SecretStr("lienthong-dev-key"), description="The account's ApiKey header."
    )
    population_registry_client: str = Field(
        default="VN/GOV/000.00.00.H56/LIENTHONG", description="The X-Road-Client header."
    )
    population_registry_rate_limit: float = Field(
        default=0.0,
        ge=0,
        description="Requests a second sent to the population registry, all calls together; "
        "0 is no limit.",
    )
    population_registry_rate_burst: int = Field(
        default=10,
        ge=1,
        description="Requests sent to the population registry at once before its rate limit "
        "paces them.",
    )
    business_registry_url: str = Field(
        default=f"{DEFAULT_MOCKS_URL}/business-registry",
        description="Address of the business registry (REST).",
    )
    business_registry_client_id: str = Field(
        default="lienthong", description="OAuth2 client id at the business registry."
    )
    business_registry_client_secret: SecretStr = Field(
        default=SecretStr("lienthong-dev"), description="OAuth2 client secret."
    )
    business_registry_rate_limit: float = Field(
        default=0.0,
        ge=0,
        description="Requests a second sent to the business registry, all calls together; "
        "0 is no limit.",
    )
    business_registry_rate_burst: int = Field(
        default=10,
        ge=1,
        description="Requests sent to the business registry at once before its rate limit "
        "paces them.",
    )
    breaker_failures: int = Field(
        default=5,
        ge=1,
        description="Consecutive failed calls that open a national system's circuit breaker: "
        "calls to it then fail at once, sparing it, until the cool-down is over.",
    )
    breaker_cool_down: float = Field(
        default=30.0,
        gt=0,
        description="Seconds an open circuit waits before letting one trial call through.",
    )
    registry_timeout: float = Field(default=5.0, description="Seconds per registry call.")
    business_cache_seconds: float = Field(
        default=3600.0, description="How long a business record is served from the cache."
    )
    business_stale_seconds: float = Field(
        default=86400.0,
        description="How long past that an expired record is served, marked stale, while the "
        "registry is down.",
    )
    audit_key: SecretStr = Field(
        default=SecretStr(DEFAULT_AUDIT_KEY),
        description="Key of the hash under which audit records keep ID numbers.",
    )

    worker_enabled: bool = Field(default=True, description="Run the delivery worker in `serve`.")
    worker_batch_size: int = Field(default=500, description="Outbox rows claimed at a time.")
    worker_poll_interval: float = Field(
        default=0.5, description="Seconds between looks at the outbox when idle."
    )
    worker_lease_seconds: float = Field(
        default=60.0, description="How long a claimed row stays with its worker."
    )
    retry_base_seconds: float = Field(default=1.0, description="First backoff delay.")
    retry_max_seconds: float = Field(default=600.0, description="Longest backoff delay.")
    dead_after_hours: float = Field(
        default=72.0, description="An event still undelivered after this long is dead-lettered."
    )
    worker_concurrency: int = Field(
        default=2, description="Delivery loops running side by side in one process."
    )
    sqlite_synchronous: str = Field(
        default="FULL",
        description="SQLite synchronous pragma: FULL survives power loss, NORMAL only crashes.",
    )
    batch_max: int = Field(default=1000, description="Most dossiers in one batch request.")
    max_backlog: int = Field(
        default=1_000_000,
        ge=0,
        description="Most events waiting for delivery, all national systems together: at that "
        "many, intake answers 503 with Retry-After instead of accepting more; 0 is no limit.",
    )

    sso_issuer: str = Field(
        default=f"{DEFAULT_MOCKS_URL}/sso",
        description="Issuer of the national SSO provider (OpenID Connect); its discovery "
        "document is read from <issuer>/.well-known/openid-configuration.",
    )
    sso_client_id: str = Field(
        default="lienthong", description="The gateway's client id at the national SSO provider."
    )
    sso_client_secret: SecretStr = Field(
        default=SecretStr("lienthong-dev"),
        description="The gateway's client secret at the national SSO provider.",
    )
    sso_redirect_url: str | None = Field(
        default=None,
        description="Where the provider sends people back after signing in; by default "
        "http://<host>:<port>/sso/callback of this gateway.",
    )
    sso_acr_values: str = Field(
        default="LoA1",
        description="Level(s) of assurance asked of the provider (acr_values, space-separated).",
    )
    sso_portal_urls: str = Field(
        default="",
        description="Provincial portal URLs (comma-separated) that /sso/handoff may send a "
        "signed-in person to, with a signed assertion of who they are.",
    )
    sso_timeout: float = Field(default=10.0, description="Seconds per call to the SSO provider.")
    session_secret: SecretStr = Field(
        default=SecretStr(DEFAULT_SESSION_SECRET),
        description="Key that signs the sign-in and session cookies.",
    )
    session_seconds: int = Field(default=8 * 3600, description="How long a sign-in session lasts.")

    mode: Mode = Field(
        default=Mode.development,
        description="development warns about default secrets at start-up; production refuses "
        "to start with any of them.",
    )
    token_secret: SecretStr = Field(
        default=SecretStr(DEFAULT_TOKEN_SECRET),
        description="Key (HS256) that signs the access tokens issued at /oauth/token.",
    )
    token_seconds: int = Field(default=900, description="How long an issued access token lasts.")
    token_issuer: str = Field(default="lienthong", description="iss of the issued access tokens.")
    token_audience: str = Field(
        default="lienthong-api",
        description="aud the gateway issues and expects in every access token, its own or the "
        "identity provider's.",
    )
    api_clients: dict[str, ApiClient] = Field(
        default_factory=_demo_clients,
        description='API clients (JSON): {"id": {"secret_sha256": ..., "scopes": [...], '
        '"per_minute": 600}}; by default the demo client demo / demo-secret with every scope.',
    )
    external_issuer: str | None = Field(
        default=None,
        description="Issuer of the province's identity provider whose tokens are accepted too.",
    )
    external_jwks_url: str | None = Field(
        default=None, description="Where that provider publishes its signing keys (JWKS)."
    )
    external_per_minute: int = Field(
        default=600, description="Requests a minute allowed to each caller of the provider."
    )

    def default_secrets(self) -> list[str]:
        """The settings still holding their published development value."""
        defaults = {
            "LIENTHONG_TOKEN_SECRET": self.token_secret.get_secret_value() == DEFAULT_TOKEN_SECRET,
            "LIENTHONG_SESSION_SECRET": self.session_secret.get_secret_value()
            == DEFAULT_SESSION_SECRET,
            "LIENTHONG_AUDIT_KEY": self.audit_key.get_secret_value() == DEFAULT_AUDIT_KEY,
            "LIENTHONG_API_CLIENTS (demo / demo-secret)": any(
                c.secret_sha256 == secret_digest(DEMO_CLIENT_SECRET)
                for c in self.api_clients.values()
            ),
        }
        return [name for name, default in defaults.items() if default]

    @property
    def sso_callback_url(self) -> str:
        """``sso_redirect_url``, or this gateway's own ``/sso/callback``."""
        if self.sso_redirect_url:
            return self.sso_redirect_url
        host = "127.0.0.1" if self.host in {"0.0.0.0", "::", ""} else self.host  # noqa: S104
        return f"http://{host}:{self.port}/sso/callback"
