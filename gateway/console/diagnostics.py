"""Chẩn đoán: a zip to attach to a support ticket, so whoever helps sees what the operator sees.

It holds the versions (the gateway's, Python's, the libraries', the store's schema), the
settings and each national system's config with every secret redacted, how each system stands
(status, guard, worker, poller), its recent errors, and the event counts. Personal data is masked
in the errors as in the logs; no payload is included. Downloading it is audited.
"""

from __future__ import annotations

import io
import json
import platform
import time
import zipfile
from dataclasses import asdict, is_dataclass
from datetime import datetime
from importlib import metadata
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, SecretStr
from sqlalchemy import Connection, select, text
from sqlalchemy.engine import make_url

from adapters.config import is_secret
from gateway.api.deps import GatewayDep
from gateway.bootstrap import Gateway
from gateway.console import trail
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.i18n import ZONE
from gateway.guards import guard_report
from gateway.logging import mask_personal_data
from gateway.operations import Action
from gateway.outbox import AttemptOutcome, counts
from gateway.store.schema import delivery_attempts

router = APIRouter(prefix="/console", include_in_schema=False)

REDACTED = "(redacted)"
RECENT_ERRORS = 50
PACKAGES = (
    "lienthong",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "httpx",
    "zeep",
    "lxml",
    "signxml",
    "authlib",
    "joserfc",
    "jinja2",
    "babel",
)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _plain(value: Any) -> Any:
    """``value`` as JSON can hold it: dataclasses and models as objects, enums as values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in asdict(value).items()}
    if isinstance(value, BaseModel):
        return _plain(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, SecretStr):
        return REDACTED
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def redacted_settings(gateway: Gateway) -> dict[str, Any]:
    """The gateway's settings and each national system's config, with no secret in them."""
    settings = gateway.settings
    general: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            general[name] = REDACTED
        elif name == "api_clients":
            general[name] = {client: REDACTED for client in value}
        elif name == "database_url":
            general[name] = make_url(value).render_as_string(hide_password=True)
        else:
            general[name] = _plain(value)
    national: dict[str, Any] = {}
    for name, config in gateway.national.configs.items():
        fields = type(config).model_fields
        national[name] = {
            field: REDACTED if is_secret(type(config), field) else _plain(getattr(config, field))
            for field in fields
        }
    return {"settings": general, "national_systems": national}


def recent_errors(connection: Connection, systems: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    failed = (AttemptOutcome.retry.value, AttemptOutcome.dead.value)
    for system in systems:
        rows = connection.execute(
            select(delivery_attempts)
            .where(delivery_attempts.c.target == system, delivery_attempts.c.outcome.in_(failed))
            .order_by(delivery_attempts.c.id.desc())
            .limit(RECENT_ERRORS)
        )
        found[system] = [
            {
                "at": _when(row.at),
                "event": row.event,
                "outcome": row.outcome,
                "error": mask_personal_data(row.error or ""),
                "replica": row.replica,
                "request_id": row.request_id,
            }
            for row in rows
        ]
    return found


def _when(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, ZONE).isoformat(timespec="seconds")


def _schema_revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # an unmigrated store has no such table; the bundle says so
        return None


async def bundle(gateway: Gateway) -> bytes:
    """The diagnostics zip, in memory."""
    now = time.time()
    systems = list(gateway.national.entries)

    def read(connection: Connection) -> dict[str, Any]:
        return {
            "revision": _schema_revision(connection),
            "counts": _plain(counts(connection)),
            "errors": recent_errors(connection, systems),
        }

    stored = await gateway.store.read(read)
    statuses = await gateway.operations.status()
    poller = gateway.documents.poller
    versions = {
        "generated_at": _when(now),
        "packages": {package: _version(package) for package in PACKAGES},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "store": {"dialect": gateway.store.dialect, "schema_revision": stored["revision"]},
        "systems_in_use": gateway.national.in_use,
    }
    status = {
        "systems": _plain(statuses),
        "guards": _plain(guard_report(gateway.national.guards)),
        "worker": {"owner": gateway.worker.owner, "health": _plain(gateway.worker.health)},
        "document_poller": {
            "enabled": gateway.settings.document_poller_enabled,
            "leading": poller.leadership.leading,
            "failing_since_monotonic": poller.failing_since,
        },
    }
    files = {
        "README.txt": (
            "lienthong diagnostics bundle, generated "
            f"{versions['generated_at']}.\n"
            "versions.json  the gateway, Python, libraries, store and schema revision\n"
            "settings.json  settings and national system configs, secrets redacted\n"
            "status.json    each national system: status, circuit breaker, worker, poller\n"
            "errors.json    the last failed delivery attempts per system, personal data masked\n"
            "counts.json    events per national system and state\n"
        ),
        "versions.json": versions,
        "settings.json": redacted_settings(gateway),
        "status.json": status,
        "errors.json": stored["errors"],
        "counts.json": stored["counts"],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            data = (
                content
                if isinstance(content, str)
                else json.dumps(content, ensure_ascii=False, indent=2)
            )
            archive.writestr(name, data)
    return out.getvalue()


@router.get("/diagnostics")
async def diagnostics(request: Request, console: ConsoleDep, operator: OperatorDep) -> Response:
    return console.pages.render(request, "diagnostics.html", {}, operator=operator)


@router.get("/diagnostics.zip")
async def download(gateway: GatewayDep, operator: OperatorDep) -> Response:
    data = await bundle(gateway)
    stamp = datetime.now(ZONE).strftime("%Y%m%d-%H%M%S")
    await trail.record(
        gateway, operator, Action.download, count=1, detail=f"diagnostics bundle, {len(data)} B"
    )
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="lienthong-chan-doan-{stamp}.zip"'},
    )
