"""The composition root: builds the store, the adapters and the worker from settings, once."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.national_portal import HttpNationalPortal, NationalPortal, PortalConfig
from gateway.delivery import DeliveryTarget, DossierTarget
from gateway.delivery.national_portal import PortalDelivery
from gateway.outbox import Backoff
from gateway.settings import Settings
from gateway.store import Store
from gateway.worker import Worker, WorkerConfig
from mappings.overrides import ProvinceOverrides


@dataclass(slots=True)
class Gateway:
    """Everything a running gateway is made of; the API and the CLI reach parts through it."""

    settings: Settings
    store: Store
    portal: NationalPortal
    dossier_targets: dict[str, DossierTarget]
    worker: Worker

    async def start(self) -> None:
        await self.store.migrate()

    async def close(self) -> None:
        await self.portal.aclose()
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


def worker_config(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        batch_size=settings.worker_batch_size,
        poll_interval=settings.worker_poll_interval,
        lease_seconds=settings.worker_lease_seconds,
        backoff=Backoff(base=settings.retry_base_seconds, cap=settings.retry_max_seconds),
        dead_after_seconds=settings.dead_after_hours * 3600,
        concurrency=settings.worker_concurrency,
    )


def build(settings: Settings, *, portal: NationalPortal | None = None) -> Gateway:
    """Wire a gateway; tests pass a fake ``portal`` instead of the HTTP one."""
    store = Store(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    overrides = (
        ProvinceOverrides.from_yaml(settings.province_overrides)
        if settings.province_overrides
        else ProvinceOverrides()
    )
    portal = portal or HttpNationalPortal(portal_config(settings))
    dossier_targets: dict[str, DossierTarget] = {
        "national_portal": PortalDelivery(portal, overrides)
    }
    targets: dict[str, DeliveryTarget] = {**dossier_targets}
    worker = Worker(store, targets, worker_config(settings))
    return Gateway(
        settings=settings,
        store=store,
        portal=portal,
        dossier_targets=dossier_targets,
        worker=worker,
    )
