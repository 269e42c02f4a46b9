"""``lienthong doctor``: is this gateway set up to work? One check per concern, each saying
what it found, so an operator reads down the list and fixes the first ✗.

The checks, in order: the settings load (every national system's section too) and production
holds no development secret; the store is reachable and its schema at the newest migration; the
store's clock agrees with this machine's (leases compare replicas' clocks); the signing key and
certificate, and every trust anchor, with their expiry; every national system in use answers
and accepts our credentials (its probe, ``NationalSystem.probe``).

Nothing is created: a SQLite file that is not there is reported, not made; a development key
pair that does not exist yet is reported as such. The probes are operator actions: when the
store is usable they are kept for the overview and audited as the OS user's tests.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from gateway.bootstrap import national_configs
from gateway.keys import (
    CERT_FILE,
    DEVELOPMENT_FOLDER,
    SigningKeyError,
    load_signing_identity,
    load_trust_anchors,
)
from gateway.operations import Operations, Operator
from gateway.operations.probes import run_probe
from gateway.registries.audit import Auditor
from gateway.settings import Mode, Settings
from gateway.store import MissingStore, Store, check_exists
from gateway.systems import SYSTEMS, NationalSystems, development_secrets

EXPIRY_WARNING_DAYS = 30
"""A certificate expiring within this many days is a warning."""

CLOCK_WARNING_SECONDS = 1.0


class Verdict(StrEnum):
    ok = "ok"
    warning = "warning"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    verdict: Verdict
    detail: str


def _ok(name: str, detail: str) -> Check:
    return Check(name, Verdict.ok, detail)


def _warn(name: str, detail: str) -> Check:
    return Check(name, Verdict.warning, detail)


def _fail(name: str, detail: str) -> Check:
    return Check(name, Verdict.failed, detail)


def _expiry(name: str, pem: bytes, now: datetime) -> Check:
    certificate = x509.load_pem_x509_certificate(pem)
    subject = certificate.subject.rfc4514_string()
    ends = certificate.not_valid_after_utc
    days = (ends - now).days
    said = f"{subject}, valid until {ends:%Y-%m-%d}"
    if ends <= now:
        return _fail(name, f"{subject} expired on {ends:%Y-%m-%d}")
    if days < EXPIRY_WARNING_DAYS:
        return _warn(name, f"{said}: {days} days left, renew it")
    return _ok(name, f"{said} ({days} days left)")


def check_keys(settings: Settings) -> list[Check]:
    """The signing identity and the trust anchors, with their expiry; creates nothing."""
    now = datetime.now(UTC)
    found: list[Check] = []
    development = settings.keys_dir / DEVELOPMENT_FOLDER
    configured = settings.signing_key is not None or settings.signing_cert is not None
    if not configured and not development.exists():
        found.append(
            _warn(
                "signing key",
                "none configured (LIENTHONG_SIGNING_KEY, LIENTHONG_SIGNING_CERT); a development "
                f"key is made in {development} on first start, which no receiver trusts",
            )
        )
    else:
        try:
            identity = load_signing_identity(
                key_path=settings.signing_key,
                cert_path=settings.signing_cert,
                keys_dir=settings.keys_dir,
                unit_code=settings.organ_id,
            )
        except SigningKeyError as error:
            found.append(_fail("signing key", str(error)))
        else:
            check = _expiry("signing key", identity.cert_pem, now)
            if identity.development and check.verdict is Verdict.ok:
                where = development / CERT_FILE
                check = _warn(
                    "signing key", f"a DEVELOPMENT key ({where}) no receiver trusts; {check.detail}"
                )
            found.append(check)
    sources = [Path(p.strip()) for p in settings.trust_anchors.split(",") if p.strip()]
    if not sources:
        found.append(_ok("trust anchors", "none configured: only our own certificate is trusted"))
        return found
    try:
        anchors = load_trust_anchors(sources)
    except SigningKeyError as error:
        return [*found, _fail("trust anchors", str(error))]
    checks = [_expiry("trust anchor", pem, now) for pem in anchors]
    worst = [c for c in checks if c.verdict is not Verdict.ok]
    if not worst:
        found.append(_ok("trust anchors", f"{len(anchors)} certificates, none expiring soon"))
    found.extend(worst)
    return found


def check_secrets(settings: Settings, national: NationalSystems | None) -> Check:
    defaults = settings.default_secrets()
    if national is not None:
        for name, system in national.entries.items():
            defaults += development_secrets(system, national.configs[name])
    if not defaults:
        return _ok("secrets", "none left at its published development value")
    names = ", ".join(defaults)
    if settings.mode is Mode.production:
        return _fail("secrets", f"production with development secrets: {names}")
    return _warn("secrets", f"development mode, development secrets in use: {names}")


async def check_store(settings: Settings, lease_seconds: float) -> tuple[list[Check], Store | None]:
    """The store reachable, at the newest migration, its clock agreeing with ours; the store,
    open, when it is usable for recording the probes."""
    url = settings.database_url
    try:
        check_exists(url)
    except MissingStore as error:
        return [_fail("store", str(error))], None
    store = Store(url)
    try:
        current, head = await store.migration_state()
        theirs = await store.clock()
    except (SQLAlchemyError, OSError) as error:
        await store.dispose()
        reason = getattr(error, "orig", None) or error
        return [_fail("store", f"cannot reach {url}: {type(error).__name__}: {reason}")], None
    found = [_ok("store", f"{store.dialect} at {url} answers")]
    if current != head:
        found.append(
            _fail(
                "migrations",
                f"the store is at revision {current or '(none)'}, the code expects {head}: start "
                "`lienthong serve` or `lienthong worker` once to migrate it",
            )
        )
    else:
        found.append(_ok("migrations", f"at the newest revision, {head}"))
    skew = abs(theirs - time.time())
    limit = lease_seconds / 10
    if store.dialect != "postgresql":
        found.append(_ok("clock", "the store is a file on this machine: one clock"))
    elif skew > limit:
        found.append(
            _fail(
                "clock",
                f"this machine's clock is {skew:.1f} s off the store's; leases need replicas "
                f"within {limit:.0f} s of each other: synchronise it (NTP)",
            )
        )
    elif skew > CLOCK_WARNING_SECONDS:
        found.append(_warn("clock", f"{skew:.1f} s off the store's clock; check NTP"))
    else:
        found.append(_ok("clock", f"within {skew:.2f} s of the store's clock"))
    if current != head:
        await store.dispose()
        return found, None
    return found, store


async def check_systems(
    national: NationalSystems, operations: Operations | None, operator: Operator
) -> AsyncIterator[Check]:
    """Each national system in use, probed; recorded and audited through ``operations``."""
    for name in national.in_use:
        if operations is not None:
            result = await operations.test(name, operator=operator)
            ok, said = result.ok, result.detail
        else:
            ok, said = await run_probe(
                national.entries[name], national.adapters[name], national.configs[name]
            )
        yield (_ok if ok else _fail)(name, said)


Report = Callable[[Check], None]


async def examine(
    report: Report,
    *,
    settings_factory: Callable[[], Settings] = Settings,
    national_factory: Callable[[Settings], NationalSystems] | None = None,
    operator: Operator | None = None,
) -> list[Check]:
    """Run every check, reporting each as it ends; returns them all."""
    found: list[Check] = []

    def said(check: Check) -> None:
        found.append(check)
        report(check)

    try:
        settings = settings_factory()
    except ValidationError as error:
        said(_fail("settings", f"cannot be read: {error}"))
        return found
    national: NationalSystems | None = None
    try:
        national = (national_factory or _national)(settings)
    except ValueError as error:
        said(_fail("settings", str(error)))
    else:
        said(_ok("settings", f"{settings.mode} mode; systems in use: {', '.join(national.in_use)}"))
    said(check_secrets(settings, national))
    checks, store = await check_store(settings, settings.worker_lease_seconds)
    for check in checks:
        said(check)
    for check in check_keys(settings):
        said(check)
    if national is None:
        return found
    operations = (
        Operations(
            store,
            subject_key=Auditor(settings.audit_key.get_secret_value().encode()).subject_key,
            national=national,
        )
        if store is not None
        else None
    )
    try:
        async for check in check_systems(national, operations, operator or Operator.from_os()):
            said(check)
    finally:
        await national.aclose()
        if store is not None:
            await store.dispose()
    return found


def _national(settings: Settings) -> NationalSystems:
    return NationalSystems.build(SYSTEMS, national_configs(settings))


def failures(checks: list[Check]) -> list[str]:
    return [check.name for check in checks if check.verdict is Verdict.failed]
