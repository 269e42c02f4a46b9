"""What the indicators need of each dossier, kept as dossiers arrive and change.

One row per dossier (``indicator_facts``) holds its units, procedure, field, times and a 0 or 1
per figure (received online, paid online, digitised, resolved on time, synced, satisfied, ...),
and the sums per day and per month (``gateway.indicators.tallies``) follow every change of a row.
Each function here runs inside the transaction that makes the change (the intake of a snapshot,
the delivery of a snapshot to the portal, the acceptance of an evaluation), so the figures can
never drift from what the gateway holds; like every unit of work, they may run twice.

How a dossier is read (NATIONAL-SYSTEMS.md §6):

- received: on ``received_at`` (NgayTiepNhan), else ``submitted_at`` (NgayNopHoSo), else when the
  gateway first accepted it; its day is the day in Vietnam;
- resolved: it has ``finished_at`` (NgayKetThucXuLy) or ``returned_at`` (NgayTra), or its status is
  resolved or returned; on time when it ended by ``due_at`` (NgayHenTra), or has no due time or no
  end time to judge by; late otherwise. Refused, withdrawn and stopped dossiers are neither
  resolved nor in progress; every other one is in progress (``open``);
- digitised: ``has_digitised_documents`` (HoSoCoThanhPhanSoHoa) or a submitted document digitised
  (DuocSoHoa); results digitised: a result issued as a file (a link, DuongDanTepTinKetQua);
  reused: a document reused (DuocTaiSuDung), taken from the national store (DuocLayTuKhoDMQG) or
  replacing a result (MaKetQuaThayThe); prefilled: a national database used (DSKetNoiCSDL);
- synced: a snapshot of it delivered to the national portal; the lag runs from the gateway's first
  acceptance to the first delivery (later versions do not reset it);
- satisfied: its latest evaluation's mean score is at least the satisfied score (settings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gateway.indicators import tallies
from gateway.indicators.units import levels
from gateway.outbox import Claimed, hold_append_lock
from gateway.store.schema import COUNT_COLUMNS, indicator_facts
from mappings.canonical import VIETNAM
from mappings.dossier import Dossier, DossierStatus
from mappings.evaluation import Evaluation

PORTAL = "national_portal"
SNAPSHOT = "dossier"
"""The outbox kind of a dossier's snapshot (``gateway.dossiers.SNAPSHOT``)."""

Fact = dict[str, Any]
"""One ``indicator_facts`` row, by column name."""

_ENDED = {DossierStatus.resolved, DossierStatus.returned}
_CLOSED = {DossierStatus.refused, DossierStatus.withdrawn, DossierStatus.stopped}


def day_of(moment: float) -> str:
    """The day (YYYY-MM-DD) in Vietnam of an epoch time."""
    return datetime.fromtimestamp(moment, UTC).astimezone(VIETNAM).date().isoformat()


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def fact_of(dossier: Dossier, *, accepted_at: float, kept: Fact | None = None) -> Fact:
    """The row of ``dossier``; ``kept`` is its stored row, whose acceptance, sync and evaluation
    carry over (a new snapshot does not undo them)."""
    received = _epoch(dossier.received_at or dossier.submitted_at)
    received_at = received if received is not None else accepted_at
    due = _epoch(dossier.due_at)
    finished = _epoch(dossier.finished_at or dossier.returned_at)
    resolved = finished is not None or dossier.status in _ENDED
    on_time = resolved and (due is None or finished is None or finished <= due)
    documents = [d for d in dossier.documents if not d.deleted]
    fact: Fact = {
        "code": dossier.code,
        **{level.value: code for level, code in levels(dossier.handling_unit).items()},
        "procedure_code": dossier.procedure.code,
        "field_code": dossier.field.code if dossier.field else "",
        "day": day_of(received_at),
        "received_at": received_at,
        "due_at": due,
        "finished_at": finished,
        "accepted_at": accepted_at,
        "synced_at": None,
        "score": None,
        "received": 1,
        "online": int(dossier.channel == "online"),
        "paid_online": int(dossier.paid_online),
        "digitised": int(dossier.has_digitised_documents or any(d.digitised for d in documents)),
        "results_digitised": int(any(r.url for r in dossier.results)),
        "reused": int(
            any(d.reused or d.from_national_repository or d.replaces_result_code for d in documents)
        ),
        "prefilled": int(bool(dossier.connected_databases)),
        "vneid": int(dossier.applicant.verified_with_vneid),
        "resolved": int(resolved),
        "on_time": int(on_time),
        "late": int(resolved and not on_time),
        "open": int(not resolved and dossier.status not in _CLOSED),
        "synced": 0,
        "sync_lag": 0.0,
        "evaluated": 0,
        "satisfied": 0,
    }
    if kept is not None:
        for carried in ("accepted_at", "synced_at", "score", "synced", "evaluated", "satisfied"):
            fact[carried] = kept[carried]
        if kept["synced_at"] is not None:
            fact["sync_lag"] = kept["synced_at"] - kept["accepted_at"]
    return fact


@cache
def _upsert(dialect_name: str) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(indicator_facts)
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[indicator_facts.c.code],
        set_={
            column.name: statement.excluded[column.name]
            for column in indicator_facts.columns
            if column.name != "code"
        },
    )
    return upsert


def _kept(connection: Connection, codes: Iterable[str]) -> dict[str, Fact]:
    """The stored rows of ``codes``, locked on PostgreSQL until the transaction ends, so that
    two replicas changing one dossier take turns and each sums from what the other left; the
    outbox's append lock is taken first (``outbox.hold_append_lock``), as the intake takes it,
    so a group of writes never holds a fact or a sum while it waits for that lock."""
    unique = sorted(set(codes))
    if not unique:
        return {}
    hold_append_lock(connection)
    query = select(indicator_facts).where(indicator_facts.c.code.in_(unique))
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return {row.code: dict(row._mapping) for row in connection.execute(query)}


def _replace(connection: Connection, kept: Mapping[str, Fact], new: Sequence[Fact]) -> None:
    """Write ``new`` rows over ``kept`` ones and move the day and month sums with them."""
    if not new:
        return
    connection.execute(_upsert(connection.dialect.name), list(new))
    tallies.apply(
        connection, removed=[kept[f["code"]] for f in new if f["code"] in kept], added=new
    )


@cache
def _insert_new(dialect_name: str) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement: Executable = (
        dialect.insert(indicator_facts)
        .on_conflict_do_nothing(index_elements=[indicator_facts.c.code])
        .returning(indicator_facts.c.code)
    )
    return statement


def _first(connection: Connection, facts: Sequence[Fact]) -> set[str]:
    """Insert the rows of dossiers seen for the first time and add them to the sums; the codes
    written. A code another transaction wrote meanwhile (two replicas taking the same new
    dossier at once) is left to be read and replaced like any stored row."""
    if not facts:
        return set()
    result = connection.execute(_insert_new(connection.dialect.name), list(facts))
    written = set(result.scalars().all())
    tallies.apply(connection, removed=[], added=[f for f in facts if f["code"] in written])
    return written


def record_dossiers(connection: Connection, incoming: Sequence[Dossier], now: float) -> None:
    """Keep the rows of snapshots the intake stored in this transaction (the last of a code
    given twice wins, as in the intake)."""
    latest = {dossier.code: dossier for dossier in incoming}
    kept = _kept(connection, latest)
    unseen = [code for code in latest if code not in kept]
    written = _first(connection, [fact_of(latest[code], accepted_at=now) for code in unseen])
    kept.update(_kept(connection, [code for code in unseen if code not in written]))
    new = [
        fact_of(latest[code], accepted_at=stored["accepted_at"], kept=stored)
        for code, stored in kept.items()
    ]
    _replace(connection, kept, new)


def record_delivered(connection: Connection, delivered: Sequence[Claimed], now: float) -> None:
    """Mark synced the dossiers whose snapshot the portal just took (other events are ignored);
    a dossier synced before keeps its first time. One ``UPDATE`` of the rows not yet synced,
    whose keys it returns, then the sums move by what changed: one synced dossier and its lag
    each."""
    codes = {row.ordering_key for row in delivered if row.target == PORTAL and row.kind == SNAPSHOT}
    if not codes:
        return
    hold_append_lock(connection)
    facts = indicator_facts.c
    marked = connection.execute(
        update(indicator_facts)
        .where(facts.code.in_(sorted(codes)), facts.synced_at.is_(None))
        .values(
            synced_at=now,
            synced=1,
            sync_lag=case((facts.accepted_at < now, now - facts.accepted_at), else_=0.0),
        )
        .returning(*(facts[name] for name in tallies.PLACED_BY), facts.sync_lag)
    )
    moved = [{**_NOTHING, **row._mapping, "synced": 1} for row in marked]
    tallies.apply(connection, removed=[], added=moved)


_NOTHING = dict.fromkeys(COUNT_COLUMNS, 0)
"""Every count of a fact at zero: a change of one or two counts is laid over it for the sums."""


def record_evaluation(
    connection: Connection, evaluation: Evaluation, *, satisfied_score: float
) -> None:
    """Keep ``evaluation`` as its dossier's latest: its mean score, and whether it reaches
    ``satisfied_score`` (on the national form, 2 is satisfied)."""
    kept = _kept(connection, [evaluation.dossier_code])
    fact = kept.get(evaluation.dossier_code)
    if fact is None:
        return
    scores = [criterion.score for criterion in evaluation.criteria]
    mean = sum(scores) / len(scores)
    evaluated = {**fact, "score": mean, "evaluated": 1, "satisfied": int(mean >= satisfied_score)}
    _replace(connection, kept, [evaluated])
