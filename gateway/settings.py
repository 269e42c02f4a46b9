"""Every setting of the gateway, from ``LIENTHONG_`` environment variables or a ``.env`` file.

The settings of each national system are not here: each has its own section, read from
``LIENTHONG_<SYSTEM>_*`` into its adapter's config by ``gateway.systems``. Every national address
defaults to the local mocks (``lienthong mocks`` on port 8700, ``LIENTHONG_MOCKS_URL``), so a
fresh checkout runs with nothing set.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.auth import SCOPES, ApiClient, secret_digest
from gateway.indicators.figures import Share
from gateway.indicators.scores import DEFAULT_TARGETS, DEFAULT_WEIGHTS
from gateway.log_format import LogFormat
from gateway.webhooks import Receiver

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


class ConsoleRole(StrEnum):
    """What an operator may do in the console; each role may do what the one before may."""

    viewer = "viewer"
    """Reads every page and downloads exports."""
    operator = "operator"
    """Also replays and discards events, and tests national systems."""
    admin = "admin"
    """Everything, including inviting operators."""


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
    log_format: LogFormat = Field(
        default=LogFormat.text,
        description="text: one line a record, for people; json: one JSON object a line (time, "
        "level, logger, message, request_id, trace ids, exception), every field masked as text "
        "lines are.",
    )
    otel_enabled: bool = Field(
        default=False,
        description="Trace requests, national calls and SQL with OpenTelemetry (the `otel` "
        "extra), exported over OTLP as the standard OTEL_EXPORTER_OTLP_* variables say.",
    )
    otel_service_name: str = Field(
        default="lienthong", description="service.name of the traces, when tracing is on."
    )
    province_overrides: Path | None = Field(
        default=None,
        description="YAML file of per-province code overrides (procedure codes, status remaps).",
    )

    mocks_url: str = Field(
        default=DEFAULT_MOCKS_URL,
        description="Where `lienthong mocks` serves the national mocks: every national system's "
        "address defaults to its mock under this URL. Each system's own settings, "
        "`LIENTHONG_<SYSTEM>_URL` and the rest, are in the table of national systems below.",
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
        ge=1,
        description="Largest document request accepted (with its attachments, base64); else 413.",
    )
    max_body_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1,
        description="Largest request body on every other route, counted as it arrives, before "
        "it is parsed; else 413. The default takes a batch of 1,000 dossiers of up to 8 KB each "
        "(realistic dossiers run 2-4 KB).",
    )
    document_poll_interval: float = Field(
        default=5.0, description="Seconds between looks for documents waiting on the axis."
    )
    document_poller_enabled: bool = Field(
        default=True, description="Fetch documents waiting on the axis while serving."
    )
    question_poll_interval: float = Field(
        default=60.0,
        gt=0,
        description="Seconds between looks for questions citizens sent on the national portal.",
    )
    question_poller_enabled: bool = Field(
        default=True,
        description="Take questions sent on the portal into the inbox while serving (one "
        "replica at a time).",
    )
    catalogue_refresh_hours: float = Field(
        default=24.0,
        ge=0,
        description="Hours after which the national catalogue held is fetched again, on one "
        "replica at a time; 0 never. The first catalogue is taken by `lienthong catalogue "
        "sync` (or the console): once one is held, dossiers of a procedure it lacks are refused.",
    )
    reconcile_clock_skew_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How far apart the gateway's and the portal's times may be and still be the "
        "same in a reconciliation, and how long after delivery a dossier may not show at the "
        "portal yet (reported late, not repaired).",
    )
    linked_poll_interval: float = Field(
        default=5.0,
        gt=0,
        description="Seconds between looks for inter-connected submissions (birth and death "
        "bundles) waiting for the province.",
    )
    linked_poller_enabled: bool = Field(
        default=True,
        description="Fetch inter-connected submissions (birth and death bundles) while serving. "
        "Pollers run only while LIENTHONG_DOCUMENT_POLLER_ENABLED is true too: false there stops "
        "them all.",
    )
    indicator_targets: dict[Share, float] = Field(
        default_factory=lambda: dict(DEFAULT_TARGETS),
        description="Targets of the service-quality shares, as JSON from share to a share "
        'between 0 and 1, e.g. `{"online": 0.6}`; shares not named keep their default '
        "(gateway/indicators/scores.py says each default and where it comes from).",
    )
    indicator_weights: dict[Share, float] = Field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS),
        description="Weights of the shares inside their QĐ 766 group for the projected score, as "
        "JSON from share to a weight of 0 or more; shares not named weigh 1.",
    )
    indicator_satisfied_score: float = Field(
        default=2.0,
        ge=0,
        description="The mean score of an evaluation from which its applicant counts as "
        "satisfied (on the national form: 1 not satisfied, 2 satisfied, 3 very satisfied).",
    )
    signature_mode: str = Field(
        default="verify_if_present",
        description="Incoming signatures: off, verify_if_present or required.",
    )
    signature_allow_legacy: bool = Field(
        default=True,
        description="Accept incoming signatures made with SHA-1 (RSA-SHA1, SHA-1 digests), as "
        "legacy senders sign; each is noted on the document's timeline. False refuses them.",
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
    worker_linger_seconds: float = Field(
        default=0.02,
        ge=0,
        description="After delivering a part batch, how long a delivery loop lets more events "
        "gather before it claims again: under load, fewer and larger national calls.",
    )
    retry_base_seconds: float = Field(default=1.0, description="First backoff delay.")
    retry_max_seconds: float = Field(default=600.0, description="Longest backoff delay.")
    dead_after_hours: float = Field(
        default=72.0, description="An event still undelivered after this long is dead-lettered."
    )
    worker_concurrency: int = Field(
        default=2, description="Delivery loops running side by side in one process."
    )
    retention_days: float = Field(
        default=30.0,
        ge=0,
        description="Days delivered events (with their attempt history) and idempotency keys are "
        "kept; older ones are purged in the background, delivered events counted per system and "
        "day first so figures stay right. Dead and discarded events are never purged. 0 keeps "
        "them forever.",
    )
    audit_retention_days: float = Field(
        default=730.0,
        ge=0,
        description="Days the audit of personal-data access (registry lookups) is kept before it "
        "is purged; set it to what the province's data-protection rules require. 0 keeps it "
        "forever.",
    )
    retention_interval_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="Seconds between purges; one replica purges at a time, in batches.",
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

    sso_portal_urls: str = Field(
        default="",
        description="Provincial portal URLs (comma-separated) that /sso/handoff may send a "
        "signed-in person to, with a signed assertion of who they are.",
    )
    session_secret: SecretStr = Field(
        default=SecretStr(DEFAULT_SESSION_SECRET),
        description="Key that signs the sign-in and session cookies.",
    )
    session_seconds: int = Field(default=8 * 3600, description="How long a sign-in session lasts.")

    console_roles: dict[str, ConsoleRole] = Field(
        default_factory=dict,
        description="Who may use the operator console at /console/, by national SSO account id "
        '(JSON): {"account-id": "viewer" | "operator" | "admin"}. A person signed in through '
        "SSO but not listed is refused; `lienthong operators invite` signs someone in without "
        "SSO.",
    )
    console_session_seconds: int = Field(
        default=4 * 3600,
        gt=0,
        description="How long a console sign-in lasts; after it the operator signs in again.",
    )
    console_second_approver: bool = Field(
        default=False,
        description="Replays and discards in the console take effect only once a second "
        "operator, not the one who asked, approves them.",
    )
    console_url: str | None = Field(
        default=None,
        description="The console's address as operators reach it (e.g. "
        "`https://lienthong.example.gov.vn/console/`), for the links `lienthong operators "
        "invite` prints; by default this gateway's host and port.",
    )

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

    webhook_url: str | None = Field(
        default=None,
        description="Where the one-stop system takes webhooks: each new inbox item (dossier, "
        "document, question) is POSTed there, signed (Standard Webhooks), through the outbox. "
        "None: no webhooks.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="The key that signs webhooks: whsec_ and the base64 of 24 to 64 bytes "
        "(`lienthong webhooks secret` makes one); needed with LIENTHONG_WEBHOOK_URL.",
    )
    webhook_timeout: float = Field(
        default=10.0, gt=0, description="Seconds for each phase of one webhook delivery."
    )

    @field_validator("indicator_targets")
    @classmethod
    def _targets_are_shares(cls, targets: dict[Share, float]) -> dict[Share, float]:
        for share, target in targets.items():
            if not 0 <= target <= 1:
                raise ValueError(
                    f"the target of {share.value} must be between 0 and 1, not {target}"
                )
        return {**DEFAULT_TARGETS, **targets}

    @field_validator("indicator_weights")
    @classmethod
    def _weights_are_not_negative(cls, weights: dict[Share, float]) -> dict[Share, float]:
        for share, weight in weights.items():
            if weight < 0:
                raise ValueError(f"the weight of {share.value} must be 0 or more, not {weight}")
        return {**DEFAULT_WEIGHTS, **weights}

    @model_validator(mode="after")
    def _webhooks_can_be_signed(self) -> Settings:
        if self.webhook_url is None:
            return self
        if self.webhook_secret is None:
            raise ValueError("LIENTHONG_WEBHOOK_URL needs LIENTHONG_WEBHOOK_SECRET to sign with")
        try:
            Receiver.of(self.webhook_url, self.webhook_secret.get_secret_value())
        except ValueError as error:
            raise ValueError(f"LIENTHONG_WEBHOOK_URL or _SECRET: {error}") from None
        return self

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
    def console_base_url(self) -> str:
        """Where operators open the console: ``console_url``, else this gateway's
        ``/console/``."""
        if self.console_url:
            return self.console_url.rstrip("/") + "/"
        return f"http://{_reachable(self.host)}:{self.port}/console/"

    @property
    def sso_callback_url(self) -> str:
        """This gateway's own ``/sso/callback``, where the provider sends people back unless
        ``LIENTHONG_SSO_REDIRECT_URL`` says otherwise."""
        return f"http://{_reachable(self.host)}:{self.port}/sso/callback"


def _reachable(host: str) -> str:
    """An address a browser on this machine reaches a server listening on ``host`` at."""
    return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
