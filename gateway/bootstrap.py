"""The composition root: builds the store, the adapters and the worker from settings, once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from adapters.business_registry import (
    BusinessRegistry,
    BusinessRegistryConfig,
    HttpBusinessRegistry,
)
from adapters.document_axis import AxisConfig, DocumentAxis, SoapDocumentAxis
from adapters.guard import SystemGuard
from adapters.national_portal import HttpNationalPortal, NationalPortal, PortalConfig
from adapters.population_registry import (
    PopulationRegistry,
    PopulationRegistryConfig,
    SoapPopulationRegistry,
)
from gateway.auth import ApiClient, Authenticator, ExternalIssuer, TokenIssuer
from gateway.backpressure import Backlog
from gateway.delivery import DeliveryTarget, DossierTarget
from gateway.delivery.document_axis import AxisDelivery
from gateway.delivery.national_portal import PortalDelivery
from gateway.documents import records
from gateway.documents.outgoing import Signing, queue_answer
from gateway.documents.poller import InboundPoller, PollerConfig
from gateway.documents.reading import Incoming, package_reader
from gateway.guards import in_use, national_guards, open_circuits
from gateway.keys import SigningIdentity, load_signing_identity, load_trust_anchors
from gateway.outbox import Backoff
from gateway.registries.audit import Auditor
from gateway.registries.cache import StaleIfErrorCache
from gateway.registries.lookups import Lookups
from gateway.settings import Mode, Settings
from gateway.sso import AssertionSigner, Sso, SsoConfig, build_sso
from gateway.store import Connection, Store
from gateway.worker import Worker, WorkerConfig
from mappings.edxml.codes import DocumentStatus
from mappings.edxml.package import Organisation
from mappings.edxml.signature import SignatureMode
from mappings.overrides import ProvinceOverrides

logger = logging.getLogger(__name__)


class InsecureDefaults(RuntimeError):
    """Production was asked to run with secrets everyone can read in the source."""


@dataclass(slots=True)
class Documents:
    """The province on the document axis: who it is, its signing key (loaded at start), the
    axis, and the poller that takes in what waits there."""

    sender: Organisation
    axis: DocumentAxis
    poller: InboundPoller
    signing: Signing = field(default_factory=lambda: Signing(key_pem=b"", cert_pem=b""))
    reader: Callable[[bytes, str], Incoming] | None = None
    """Reads and verifies received packages; made at start, with the trust anchors loaded."""

    def read(self, package: bytes, kind: str) -> Incoming:
        if self.reader is None:
            raise RuntimeError("the gateway has not started: no trust anchors are loaded")
        return self.reader(package, kind)


@dataclass(slots=True)
class Gateway:
    """Everything a running gateway is made of; the API and the CLI reach parts through it."""

    settings: Settings
    store: Store
    portal: NationalPortal
    dossier_targets: dict[str, DossierTarget]
    documents: Documents
    population: PopulationRegistry
    businesses: BusinessRegistry
    lookups: Lookups
    auditor: Auditor
    worker: Worker
    sso: Sso
    auth: Authenticator
    guards: dict[str, SystemGuard]
    """Each national system's breaker, rate limit and retry budget, shared by its adapter."""
    backlog: Backlog
    auth_http: httpx.AsyncClient | None = None

    async def start(self) -> None:
        await self.store.migrate()
        settings = self.settings
        identity = await asyncio.to_thread(signing_identity, settings)
        self.documents.signing = Signing(key_pem=identity.key_pem, cert_pem=identity.cert_pem)
        callback = urlsplit(settings.sso_callback_url)
        self.sso.signer = AssertionSigner(
            identity.key_pem, issuer=f"{callback.scheme}://{callback.netloc}"
        )
        sources = [Path(p.strip()) for p in settings.trust_anchors.split(",") if p.strip()]
        anchors = (*await asyncio.to_thread(load_trust_anchors, sources), identity.cert_pem)
        self.documents.reader = package_reader(
            trust_anchors=anchors,
            mode=SignatureMode(settings.signature_mode),
            max_bytes=settings.document_max_bytes,
        )

    async def close(self) -> None:
        await self.portal.aclose()
        await self.documents.axis.aclose()
        await self.population.aclose()
        await self.businesses.aclose()
        await self.sso.client.aclose()
        if self.auth_http is not None:
            await self.auth_http.aclose()
        await self.store.dispose()


def portal_config(settings: Settings) -> PortalConfig:
    return PortalConfig(
        base_url=settings.national_portal_url,
        auth=settings.national_portal_auth.value,
        unit_code=settings.national_portal_unit_code,
        username=settings.national_portal_username,
        password=settings.national_portal_password.get_secret_value(),
        client_id=settings.national_portal_client_id,
        client_secret=settings.national_portal_client_secret.get_secret_value(),
        timeout=settings.national_portal_timeout,
        max_connections=settings.national_portal_max_connections,
        retries=settings.national_portal_retries,
        batch_size=settings.national_portal_batch_size,
    )


def axis_config(settings: Settings) -> AxisConfig:
    return AxisConfig(
        base_url=settings.document_axis_url,
        username=settings.document_axis_username,
        password=settings.document_axis_password.get_secret_value(),
        timeout=settings.document_axis_timeout,
        retries=settings.document_axis_retries,
    )


def signing_identity(settings: Settings) -> SigningIdentity:
    return load_signing_identity(
        key_path=settings.signing_key,
        cert_path=settings.signing_cert,
        keys_dir=settings.keys_dir,
        unit_code=settings.organ_id,
    )


def sso_config(settings: Settings) -> SsoConfig:
    return SsoConfig(
        issuer=settings.sso_issuer,
        client_id=settings.sso_client_id,
        client_secret=settings.sso_client_secret.get_secret_value(),
        redirect_url=settings.sso_callback_url,
        acr_values=settings.sso_acr_values,
        timeout=settings.sso_timeout,
    )


def worker_config(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        batch_size=settings.worker_batch_size,
        poll_interval=settings.worker_poll_interval,
        lease_seconds=settings.worker_lease_seconds,
        backoff=Backoff(base=settings.retry_base_seconds, cap=settings.retry_max_seconds),
        dead_after_seconds=settings.dead_after_hours * 3600,
        concurrency=settings.worker_concurrency,
    )


def population_config(settings: Settings) -> PopulationRegistryConfig:
    return PopulationRegistryConfig(
        base_url=settings.population_registry_url,
        user=settings.population_registry_user,
        secret=settings.population_registry_secret.get_secret_value(),
        api_key=settings.population_registry_api_key.get_secret_value(),
        x_road_client=settings.population_registry_client,
        timeout=settings.registry_timeout,
    )


def business_config(settings: Settings) -> BusinessRegistryConfig:
    return BusinessRegistryConfig(
        base_url=settings.business_registry_url,
        client_id=settings.business_registry_client_id,
        client_secret=settings.business_registry_client_secret.get_secret_value(),
        timeout=settings.registry_timeout,
    )


def check_secrets(settings: Settings) -> None:
    """Warn loudly about default secrets in development; refuse them in production."""
    defaults = settings.default_secrets()
    if not defaults:
        return
    names = ", ".join(defaults)
    if settings.mode is Mode.production:
        raise InsecureDefaults(
            f"LIENTHONG_MODE=production refuses to start with default secrets: {names}. "
            "Set each to a value of your own."
        )
    logger.warning(
        "!!! DEVELOPMENT MODE: default secrets in use (%s). Anyone who has read the source can "
        "sign tokens or call the API with them; never expose this gateway. !!!",
        names,
    )


def build_auth(settings: Settings) -> tuple[Authenticator, httpx.AsyncClient | None]:
    issuer = TokenIssuer(
        settings.token_secret.get_secret_value(),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        lifetime=settings.token_seconds,
    )
    clients: dict[str, ApiClient] = dict(settings.api_clients)
    if not (settings.external_issuer and settings.external_jwks_url):
        return Authenticator(issuer, clients), None
    http = httpx.AsyncClient(timeout=httpx.Timeout(settings.sso_timeout))
    external = ExternalIssuer(
        settings.external_issuer,
        settings.external_jwks_url,
        audience=settings.token_audience,
        http=http,
    )
    authenticator = Authenticator(
        issuer, clients, external=external, external_per_minute=settings.external_per_minute
    )
    return authenticator, http


def build(
    settings: Settings,
    *,
    portal: NationalPortal | None = None,
    axis: DocumentAxis | None = None,
    population: PopulationRegistry | None = None,
    businesses: BusinessRegistry | None = None,
    sso_transport: httpx.AsyncBaseTransport | None = None,
) -> Gateway:
    """Wire a gateway; tests pass fakes of national systems instead of the real adapters, and
    may route the SSO client to a provider in process (``sso_transport``)."""
    check_secrets(settings)
    auth, auth_http = build_auth(settings)
    store = Store(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    overrides = (
        ProvinceOverrides.from_yaml(settings.province_overrides)
        if settings.province_overrides
        else ProvinceOverrides()
    )
    guards = national_guards(settings)
    portal = portal or HttpNationalPortal(portal_config(settings), guard=guards["national_portal"])
    dossier_targets: dict[str, DossierTarget] = {
        "national_portal": PortalDelivery(portal, overrides)
    }
    axis = axis or SoapDocumentAxis(axis_config(settings), guard=guards["document_axis"])
    sender = Organisation(OrganId=settings.organ_id, OrganName=settings.organ_name)
    poller = InboundPoller(
        store,
        axis,
        lambda package, kind: documents.read(package, kind),
        PollerConfig(interval=settings.document_poll_interval),
        on_arrival=lambda connection, document: answer_arrival(connection, document),
    )
    documents = Documents(sender=sender, axis=axis, poller=poller)

    def answer_arrival(connection: Connection, document: str) -> None:
        record = records.find(connection, document)
        if record is not None:
            queue_answer(
                connection,
                record,
                sender,
                documents.signing,
                DocumentStatus.arrived,
                description=None,
                staff=None,
            )

    population = population or SoapPopulationRegistry(
        population_config(settings), guard=guards["population_registry"]
    )
    businesses = businesses or HttpBusinessRegistry(
        business_config(settings), guard=guards["business_registry"]
    )
    auditor = Auditor(settings.audit_key.get_secret_value().encode())
    lookups = Lookups(
        store,
        population,
        businesses,
        auditor,
        unit=settings.organ_id,
        cache=StaleIfErrorCache(
            ttl=settings.business_cache_seconds, stale_for=settings.business_stale_seconds
        ),
    )
    targets: dict[str, DeliveryTarget] = {**dossier_targets, "document_axis": AxisDelivery(axis)}
    guards = in_use(
        guards,
        {
            "national_portal": portal,
            "document_axis": axis,
            "population_registry": population,
            "business_registry": businesses,
        },
    )
    worker = Worker(store, targets, worker_config(settings), resting=lambda: open_circuits(guards))
    return Gateway(
        settings=settings,
        store=store,
        portal=portal,
        dossier_targets=dossier_targets,
        documents=documents,
        population=population,
        businesses=businesses,
        lookups=lookups,
        auditor=auditor,
        worker=worker,
        sso=build_sso(
            sso_config(settings),
            session_secret=settings.session_secret.get_secret_value(),
            session_seconds=settings.session_seconds,
            portal_urls=settings.sso_portal_urls,
            transport=sso_transport,
        ),
        auth=auth,
        guards=guards,
        backlog=Backlog(store, limit=settings.max_backlog),
        auth_http=auth_http,
    )
