"""The composition root: builds the store, the national systems, the worker and the pollers from
settings, in one pass, and runs them (``running``).

Everything generic about the national systems comes from the registry (``gateway.systems``):
each system's config, guard and adapter. What is wired here by name is each capability: the
dossier and document delivery targets, the document poller, the lookups, sign-on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from adapters import (
    BUSINESS_REGISTRY,
    DOCUMENT_AXIS,
    LINKED_SERVICES,
    NATIONAL_PORTAL,
    POPULATION_REGISTRY,
    NationalSystem,
    SystemConfig,
)
from adapters.land_registry import LAND_REGISTRY, LandRegistryConfig
from adapters.linked_services import LinkedServicesConfig
from adapters.monitoring_centre import MONITORING_CENTRE, MonitoringCentreConfig
from adapters.national_portal import PortalConfig
from adapters.national_reporting import NATIONAL_REPORTING, NationalReportingConfig
from adapters.national_sso import NATIONAL_SSO
from adapters.results_store import RESULTS_STORE
from adapters.social_insurance import SOCIAL_INSURANCE
from gateway.auth import ApiClient, Authenticator, ExternalIssuer, TokenIssuer
from gateway.backpressure import Backlog
from gateway.catalogue import Catalogue, CatalogueConfig
from gateway.delivery import DeliveryTarget, DossierTarget, StateTarget
from gateway.delivery.document_axis import AxisDelivery
from gateway.delivery.land_registry import LandDelivery
from gateway.delivery.linked_services import LinkedStatusDelivery
from gateway.delivery.monitoring_centre import MonitoringDelivery
from gateway.delivery.national_portal import PortalDelivery
from gateway.delivery.national_reporting import ReportDelivery
from gateway.documents import records
from gateway.documents.outgoing import Signing, queue_answer
from gateway.documents.poller import InboundPoller, PollerConfig
from gateway.documents.reading import package_reader
from gateway.guards import open_circuits
from gateway.keys import SigningIdentity, load_signing_identity, load_trust_anchors
from gateway.land import Land, LandDossiers, LandPoller, ParcelLookups
from gateway.linked_dossiers import LinkedPoller
from gateway.operations import Operations
from gateway.outbox import Backoff
from gateway.outbox_count_compaction import CountCompaction
from gateway.questions import PortalExchanges, QuestionPoller, QuestionPollerConfig
from gateway.reconciliation import Reconciler
from gateway.registries.audit import Auditor
from gateway.registries.cache import StaleIfErrorCache
from gateway.registries.insurance import InsuranceLookups
from gateway.registries.lookups import Lookups
from gateway.registries.prefill import Prefill
from gateway.registries.results import ResultLookups
from gateway.reports import Reports, ReportSchedule
from gateway.retention import DAY, Retention, RetentionConfig
from gateway.settings import Mode, Settings
from gateway.sso import AssertionSigner, Sso, build_sso
from gateway.store import Connection, Store
from gateway.systems import SYSTEMS, NationalSystems, development_secrets, load_config
from gateway.webhooks import WEBHOOKS, InboxEvent, Receiver, WebhookDelivery, Webhooks
from gateway.worker import Worker, WorkerConfig
from mappings.edxml.codes import DocumentStatus
from mappings.edxml.package import Organisation
from mappings.edxml.signature import SignatureMode
from mappings.national_portal import EvaluationForm
from mappings.overrides import ProvinceOverrides
from mappings.questions import Question

logger = logging.getLogger(__name__)

EXTERNAL_JWKS_TIMEOUT = 10.0
"""Seconds per call to the province's identity provider for its keys."""

SystemOverrides = Mapping[str, Mapping[str, object] | SystemConfig]
"""Per national system, fields (or a whole config) set over the environment: for tests."""


class InsecureDefaults(RuntimeError):
    """Production was asked to run with secrets everyone can read in the source."""


@dataclass(slots=True)
class Documents:
    """The province on the document axis: who it is, its signing key, and the poller that takes
    in what waits there."""

    sender: Organisation
    signing: Signing
    poller: InboundPoller


@dataclass(slots=True)
class Gateway:
    """Everything a running gateway is made of; the API and the CLI reach parts through it."""

    settings: Settings
    store: Store
    national: NationalSystems
    """Every national system's config, guard and adapter (``gateway.systems``)."""
    dossier_targets: dict[str, DossierTarget | StateTarget]
    """What intake queues for: the portal's snapshots and steps, the monitoring centre's
    changes of state."""
    documents: Documents
    lookups: Lookups
    auditor: Auditor
    insurance: InsuranceLookups
    """Audited lookups in the insurance database (``gateway.registries.insurance``)."""
    results: ResultLookups
    """Audited lookups of earlier results and their files (``gateway.registries.results``)."""
    prefill: Prefill
    """Form fields from every registry at once, and what can be reused
    (``gateway.registries.prefill``)."""
    worker: Worker
    sso: Sso
    auth: Authenticator
    backlog: Backlog
    operations: Operations
    """What operators do: failed events, replay and discard, the audit, status, tests."""
    retention: Retention
    count_compaction: CountCompaction
    """Keeps the outbox's counts a few rows long on PostgreSQL
    (``gateway.outbox_count_compaction``)."""
    webhooks: Webhooks
    """Where new inbox items are told to the one-stop system (``gateway.webhooks``)."""
    questions: PortalExchanges
    """Questions sent on the portal taken in, and answers, evaluations going back
    (``gateway.questions``)."""
    catalogue: Catalogue
    """The national catalogue held, its versions and its refresh (``gateway.catalogue``)."""
    reconciler: Reconciler
    """Reconciliation with the portal (``gateway.reconciliation``)."""
    linked_poller: LinkedPoller
    """Takes in inter-connected submissions (``gateway.linked_dossiers``)."""
    land: Land
    """Land dossiers forwarded and followed, parcels looked up (``gateway.land``)."""
    reports: Reports
    """The periodic reports, as files and submitted (``gateway.reports``)."""
    report_schedule: ReportSchedule
    """Submits each period's report on its due date, one replica at a time."""
    auth_http: httpx.AsyncClient | None = None
    webhook_delivery: WebhookDelivery | None = None

    async def close(self) -> None:
        await self.national.aclose()
        if self.webhook_delivery is not None:
            await self.webhook_delivery.aclose()
        if self.auth_http is not None:
            await self.auth_http.aclose()
        await self.store.dispose()


def national_configs(
    settings: Settings,
    registry: tuple[NationalSystem[Any], ...] = SYSTEMS,
    overrides: SystemOverrides | None = None,
) -> dict[str, SystemConfig]:
    """Each system's config, from its settings section (``gateway.systems``) and ``overrides``.

    National sign-on sends people back to this gateway's ``/sso/callback`` unless a redirect
    URL is set.
    """
    given = overrides or {}
    configs = {}
    for system in registry:
        config = load_config(system, mocks_url=settings.mocks_url, overrides=given.get(system.name))
        if system is NATIONAL_SSO and getattr(config, "redirect_url", None) is None:
            config = config.model_copy(update={"redirect_url": settings.sso_callback_url})
        configs[system.name] = config
    return configs


def signing_identity(settings: Settings) -> SigningIdentity:
    return load_signing_identity(
        key_path=settings.signing_key,
        cert_path=settings.signing_cert,
        keys_dir=settings.keys_dir,
        unit_code=settings.organ_id,
    )


def worker_config(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        batch_size=settings.worker_batch_size,
        poll_interval=settings.worker_poll_interval,
        lease_seconds=settings.worker_lease_seconds,
        backoff=Backoff(base=settings.retry_base_seconds, cap=settings.retry_max_seconds),
        dead_after_seconds=settings.dead_after_hours * 3600,
        concurrency=settings.worker_concurrency,
        linger_seconds=settings.worker_linger_seconds,
    )


def retention_config(settings: Settings) -> RetentionConfig:
    return RetentionConfig(
        delivered_seconds=settings.retention_days * DAY,
        audit_seconds=settings.audit_retention_days * DAY,
        interval=settings.retention_interval_seconds,
    )


def check_secrets(
    settings: Settings,
    national: NationalSystems | None = None,
) -> None:
    """Warn loudly about default secrets in development; refuse them in production."""
    defaults = settings.default_secrets()
    if national is not None:
        for name, system in national.entries.items():
            defaults += development_secrets(system, national.configs[name])
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
    http = httpx.AsyncClient(timeout=httpx.Timeout(EXTERNAL_JWKS_TIMEOUT))
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


def build_webhooks(settings: Settings) -> Webhooks:
    """The webhooks of ``LIENTHONG_WEBHOOK_URL`` and ``_SECRET`` (none without a URL)."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        return Webhooks()
    receiver = Receiver.of(
        settings.webhook_url,
        settings.webhook_secret.get_secret_value(),
        timeout=settings.webhook_timeout,
    )
    return Webhooks(receiver)


def build_documents(
    settings: Settings,
    store: Store,
    national: NationalSystems,
    identity: SigningIdentity,
    webhooks: Webhooks,
) -> Documents:
    """The province on the axis: its signing key, and a poller that verifies what it takes in
    against the trust anchors, answers each new document "arrived" and tells the webhooks."""
    sender = Organisation(OrganId=settings.organ_id, OrganName=settings.organ_name)
    signing = Signing(key_pem=identity.key_pem, cert_pem=identity.cert_pem)
    sources = [Path(p.strip()) for p in settings.trust_anchors.split(",") if p.strip()]
    reader = package_reader(
        trust_anchors=(*load_trust_anchors(sources), identity.cert_pem),
        mode=SignatureMode(settings.signature_mode),
        max_bytes=settings.document_max_bytes,
        allow_legacy=settings.signature_allow_legacy,
    )

    def answer_arrival(connection: Connection, document: str) -> None:
        record = records.find(connection, document)
        if record is not None:
            queue_answer(
                connection,
                record,
                sender,
                signing,
                DocumentStatus.arrived,
                description=None,
                staff=None,
            )
            webhooks.queue(
                connection,
                InboxEvent(
                    type="document.received",
                    kind="document",
                    item=record.id,
                    link=f"/v1/documents/{record.id}",
                    data={"document_id": record.national_id, "from_organ": record.from_organ},
                ),
            )

    poller = InboundPoller(
        store,
        national.adapter(DOCUMENT_AXIS),
        reader,
        PollerConfig(interval=settings.document_poll_interval),
        on_arrival=answer_arrival,
    )
    return Documents(sender=sender, signing=signing, poller=poller)


def linked_config(national: NationalSystems) -> LinkedServicesConfig:
    config = national.configs[LINKED_SERVICES.name]
    assert isinstance(config, LinkedServicesConfig)
    return config


def monitoring_delivery(
    national: NationalSystems, overrides: ProvinceOverrides
) -> MonitoringDelivery | None:
    """The monitoring centre's delivery while it is in use and the province has its SiteId;
    else None, and intake queues nothing for it."""
    config = national.configs[MONITORING_CENTRE.name]
    assert isinstance(config, MonitoringCentreConfig)
    site = config.site()
    if MONITORING_CENTRE.name not in national.in_use or site is None:
        return None
    return MonitoringDelivery(national.adapter(MONITORING_CENTRE), site, overrides)


def build_reports(
    settings: Settings, store: Store, national: NationalSystems, notify: Callable[[], None]
) -> Reports:
    """The periodic reports of the province (``LIENTHONG_ORGAN_ID``), by the reporting system's
    calendar and template."""
    config = national.configs[NATIONAL_REPORTING.name]
    assert isinstance(config, NationalReportingConfig)
    return Reports(
        store,
        config,
        province=settings.organ_id,
        province_name=settings.organ_name,
        notify=notify,
    )


def build_land(
    store: Store, national: NationalSystems, auditor: Auditor, webhooks: Webhooks
) -> Land:
    """Land dossiers forwarded to the land office and followed by a poller that tells the
    webhooks of each change, and parcel look-ups audited as citizen look-ups are."""
    config = national.configs[LAND_REGISTRY.name]
    assert isinstance(config, LandRegistryConfig)
    land = national.adapter(LAND_REGISTRY)
    dossiers = LandDossiers(store, land, config, webhooks)
    return Land(
        dossiers=dossiers,
        poller=LandPoller(store, dossiers, interval=config.poll_interval),
        parcels=ParcelLookups(store, land, auditor),
    )


def evaluation_form(national: NationalSystems) -> EvaluationForm:
    """The national evaluation form as the portal's settings describe it (*inferred*)."""
    config = national.configs[NATIONAL_PORTAL.name]
    assert isinstance(config, PortalConfig)
    return EvaluationForm.parse(config.evaluation_criteria, config.evaluation_scores)


def build_questions(
    settings: Settings,
    store: Store,
    national: NationalSystems,
    delivery: PortalDelivery | None,
    webhooks: Webhooks,
) -> PortalExchanges:
    """The poller of questions sent on the portal, which tells the webhooks of each new one in
    the transaction that stores it, and the portal's formats of what goes back."""

    def received(connection: Connection, question: Question) -> None:
        webhooks.queue(
            connection,
            InboxEvent(
                type="question.received",
                kind="question",
                item=question.id,
                link=f"/v1/inbox/questions/{question.id}",
                data={"unit": question.unit_code or "", "field": question.field_code or ""},
            ),
        )

    poller = QuestionPoller(
        store,
        national.adapter(NATIONAL_PORTAL),
        QuestionPollerConfig(interval=settings.question_poll_interval),
        on_new=received,
    )
    return PortalExchanges(poller=poller, delivery=delivery)


def build(
    settings: Settings,
    *,
    systems: SystemOverrides | None = None,
    adapters: Mapping[str, object] | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    registry: tuple[NationalSystem[Any], ...] = SYSTEMS,
) -> Gateway:
    """Wire a gateway in one pass. Tests set national systems' fields over the environment
    (``systems``), pass fakes of their ports (``adapters``, by system name), route real adapters
    to mocks in process (``transports``; ``webhooks`` routes the webhook receiver's), or add a
    system of their own (``registry``)."""
    national = NationalSystems.build(
        registry,
        national_configs(settings, registry, systems),
        adapters=adapters,
        transports=transports,
    )
    check_secrets(settings, national)
    auth, auth_http = build_auth(settings)
    store = Store(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    overrides = (
        ProvinceOverrides.from_yaml(settings.province_overrides)
        if settings.province_overrides
        else ProvinceOverrides()
    )
    identity = signing_identity(settings)
    portal = national.adapter(NATIONAL_PORTAL)
    portal_targets: dict[str, DossierTarget] = (
        {NATIONAL_PORTAL.name: PortalDelivery(portal, overrides, evaluation_form(national))}
        if NATIONAL_PORTAL.name in national.in_use
        else {}
    )
    dossier_targets: dict[str, DossierTarget | StateTarget] = dict(portal_targets)
    monitoring = monitoring_delivery(national, overrides)
    if monitoring is not None:
        dossier_targets[MONITORING_CENTRE.name] = monitoring
    targets: dict[str, DeliveryTarget] = dict(dossier_targets)
    if DOCUMENT_AXIS.name in national.in_use:
        targets[DOCUMENT_AXIS.name] = AxisDelivery(national.adapter(DOCUMENT_AXIS))
    auditor = Auditor(settings.audit_key.get_secret_value().encode())
    lookups = Lookups(
        store,
        national.adapter(POPULATION_REGISTRY),
        national.adapter(BUSINESS_REGISTRY),
        auditor,
        unit=settings.organ_id,
        cache=StaleIfErrorCache(
            ttl=settings.business_cache_seconds, stale_for=settings.business_stale_seconds
        ),
    )
    insurance = InsuranceLookups(
        store, national.adapter(SOCIAL_INSURANCE), auditor, unit=settings.organ_id
    )
    results = ResultLookups(store, national.adapter(RESULTS_STORE), auditor)
    land = national.adapter(LAND_REGISTRY)
    prefill = Prefill(store, auditor, lookups, insurance, results, land, in_use=national.in_use)
    callback = urlsplit(settings.sso_callback_url)
    sso_config = national.configs[NATIONAL_SSO.name]
    sso = build_sso(
        national.adapter(NATIONAL_SSO),
        session_secret=settings.session_secret.get_secret_value(),
        session_seconds=settings.session_seconds,
        portal_urls=settings.sso_portal_urls,
        secure_cookies=str(getattr(sso_config, "redirect_url", "")).startswith("https://"),
    )
    sso.signer = AssertionSigner(identity.key_pem, issuer=f"{callback.scheme}://{callback.netloc}")
    if LINKED_SERVICES.name in national.in_use:
        targets[LINKED_SERVICES.name] = LinkedStatusDelivery(national.adapter(LINKED_SERVICES))
    if LAND_REGISTRY.name in national.in_use:
        targets[LAND_REGISTRY.name] = LandDelivery(national.adapter(LAND_REGISTRY), store)
    webhooks = build_webhooks(settings)
    webhook_delivery = webhooks.delivery((transports or {}).get(WEBHOOKS))
    if webhook_delivery is not None:
        targets[WEBHOOKS] = webhook_delivery
    linked = linked_config(national)
    linked_poller = LinkedPoller(
        store,
        national.adapter(LINKED_SERVICES),
        linked.acceptance,
        webhooks,
        interval=settings.linked_poll_interval,
    )
    if NATIONAL_REPORTING.name in national.in_use:
        targets[NATIONAL_REPORTING.name] = ReportDelivery(
            national.adapter(NATIONAL_REPORTING), store
        )
    guards = national.guards
    worker = Worker(store, targets, worker_config(settings), resting=lambda: open_circuits(guards))
    delivery = portal_targets.get(NATIONAL_PORTAL.name)
    reconciler = Reconciler(
        store,
        portal,
        delivery,
        skew_seconds=settings.reconcile_clock_skew_seconds,
        notify=worker.notify,
    )
    catalogue = Catalogue(
        store,
        portal,
        overrides,
        CatalogueConfig(refresh_seconds=settings.catalogue_refresh_hours * 3600),
    )
    questions = build_questions(
        settings,
        store,
        national,
        delivery if isinstance(delivery, PortalDelivery) else None,
        webhooks,
    )
    reports = build_reports(settings, store, national, worker.notify)
    return Gateway(
        settings=settings,
        store=store,
        national=national,
        dossier_targets=dossier_targets,
        documents=build_documents(settings, store, national, identity, webhooks),
        lookups=lookups,
        auditor=auditor,
        insurance=insurance,
        results=results,
        prefill=prefill,
        worker=worker,
        sso=sso,
        auth=auth,
        backlog=Backlog(store, limit=settings.max_backlog),
        operations=Operations(
            store,
            subject_key=auditor.subject_key,
            second_approver=settings.console_second_approver,
            national=national,
            notify=worker.notify,
        ),
        retention=Retention(store, retention_config(settings)),
        count_compaction=CountCompaction(store),
        webhooks=webhooks,
        questions=questions,
        catalogue=catalogue,
        reconciler=reconciler,
        linked_poller=linked_poller,
        land=build_land(store, national, auditor, webhooks),
        reports=reports,
        report_schedule=ReportSchedule(store, reports),
        auth_http=auth_http,
        webhook_delivery=webhook_delivery,
    )


def start_portal_tasks(gateway: Gateway, *, poller: bool) -> list[asyncio.Task[None]]:
    """While the portal is in use: the poller of questions sent on it (when pollers run and
    ``LIENTHONG_QUESTION_POLLER_ENABLED``) and the catalogue's refresh, each on one replica at a
    time."""
    if NATIONAL_PORTAL.name not in gateway.national.in_use:
        return []
    tasks = [asyncio.create_task(gateway.catalogue.run())]
    if poller and gateway.settings.question_poller_enabled:
        tasks.append(asyncio.create_task(gateway.questions.poller.run()))
    return tasks


async def stop_portal_tasks(gateway: Gateway, tasks: list[asyncio.Task[None]]) -> None:
    gateway.catalogue.stop()
    await gateway.questions.poller.stop()
    for task in tasks:
        await task


@asynccontextmanager
async def running(gateway: Gateway, *, worker: bool, poller: bool) -> AsyncIterator[Gateway]:
    """The gateway with its store migrated, retention purging and, on PostgreSQL, the outbox's
    counts folding in the background (one replica at a time) and, when asked, the delivery
    worker and the pollers running: the document poller, the poller of inter-connected
    submissions unless ``LIENTHONG_LINKED_POLLER_ENABLED`` is false, and the schedule of periodic
    reports; on exit they stop (deliveries under way finish or are released) and every
    connection closes. ``serve``, ``worker`` and the demo all run the gateway through this."""
    await gateway.store.migrate()
    in_use = gateway.national.in_use
    polling = poller and DOCUMENT_AXIS.name in in_use
    linking = poller and gateway.settings.linked_poller_enabled and LINKED_SERVICES.name in in_use
    worker_task = asyncio.create_task(gateway.worker.run()) if worker else None
    poller_task = asyncio.create_task(gateway.documents.poller.run()) if polling else None
    linked_task = asyncio.create_task(gateway.linked_poller.run()) if linking else None
    land_config = gateway.land.dossiers.config
    landing = poller and land_config.poller_enabled and LAND_REGISTRY.name in in_use
    land_task = asyncio.create_task(gateway.land.poller.run()) if landing else None
    reporting = poller and NATIONAL_REPORTING.name in in_use and gateway.reports.config.schedule
    report_task = asyncio.create_task(gateway.report_schedule.run()) if reporting else None
    retention_task = asyncio.create_task(gateway.retention.run())
    folding = gateway.store.dialect == "postgresql"
    compaction_task = asyncio.create_task(gateway.count_compaction.run()) if folding else None
    portal_tasks = start_portal_tasks(gateway, poller=poller)
    try:
        yield gateway
    finally:
        gateway.retention.stop()
        gateway.count_compaction.stop()
        await stop_portal_tasks(gateway, portal_tasks)
        await gateway.documents.poller.stop()
        await gateway.linked_poller.stop()
        await gateway.land.poller.stop()
        await gateway.report_schedule.stop()
        for task in (poller_task, linked_task, report_task, land_task):
            if task is not None:
                await task
        await retention_task
        if compaction_task is not None:
            await compaction_task
        await gateway.worker.stop(worker_task)
        await gateway.close()
