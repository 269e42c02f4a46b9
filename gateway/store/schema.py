"""The tables of the durable store: one schema for SQLite and PostgreSQL.

Times are UTC epoch seconds (``Float``): the same type and ordering on every engine, and cheap to
compare in the claim query.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

dossiers = Table(
    "dossiers",
    metadata,
    Column("code", String(64), primary_key=True),
    Column(
        "snapshot",
        Text,
        nullable=False,
        comment="the latest canonical Dossier without its progress, as JSON",
    ),
    Column("version", Integer, nullable=False, comment="1 on first push, +1 on every change"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("procedure_code", String(64), comment="the snapshot's procedure code, for searches"),
    Column(
        "applicant_key",
        String(64),
        comment="keyed hash of the applicant's ID number (as audit records keep it)",
    ),
    Column("applicant_masked", String(32), comment="the applicant's ID number masked"),
    Index("ix_dossiers_procedure", "procedure_code"),
    Index("ix_dossiers_applicant_key", "applicant_key"),
    Index("ix_dossiers_applicant_masked", "applicant_masked"),
)

progress_steps = Table(
    "progress_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, comment="the dossier the step belongs to"),
    Column("step", Text, nullable=False, comment="the canonical ProgressStep, as JSON"),
    Index("ix_progress_steps_code", "code", "id"),
)

OUTBOX_FAILING = (
    "state = 'dead' OR (state = 'pending' AND (attempts > 0 OR last_error IS NOT NULL))"
)
"""The outbox's failing events: dead, or pending and tried or failed at least once (retrying).
It is the condition of ``ix_outbox_failing``: a query that holds it word for word reads that
small index instead of the whole outbox (SQLite uses a partial index only so)."""

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(32), nullable=False, comment="the national system to deliver to"),
    Column("kind", String(32), nullable=False, comment="dossier | progress"),
    Column("ordering_key", String(64), nullable=False, comment="events of one key go in order"),
    Column("payload", Text, nullable=False, comment="what to send, in the target's format"),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("state", String(16), nullable=False, comment="pending | delivered | dead | discarded"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("due_at", Float, nullable=False),
    Column("lease_owner", String(128)),
    Column("lease_until", Float),
    Column("last_error", Text),
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float),
    Column("request_id", String(64), comment="X-Request-ID of the request that queued it"),
    Column("failed_at", Float, comment="when its last attempt failed (when it died, if dead)"),
    Column("replayed_at", Float, comment="when an operator last replayed it; its age counts from"),
    Column("discarded_at", Float, comment="when an operator discarded it"),
    Column("discard_reason", Text, comment="why an operator discarded it"),
    Index("ix_outbox_line", "ordering_key", "target", "state", "id"),
    Index(
        "ix_outbox_pending",
        "id",
        sqlite_where=text("state = 'pending'"),
        postgresql_where=text("state = 'pending'"),
    ),
    Index(
        "ix_outbox_dead",
        "target",
        "id",
        sqlite_where=text("state = 'dead'"),
        postgresql_where=text("state = 'dead'"),
    ),
    Index(
        "ix_outbox_delivered",
        "delivered_at",
        sqlite_where=text("delivered_at IS NOT NULL"),
        postgresql_where=text("delivered_at IS NOT NULL"),
    ),
    Index(
        "ix_outbox_failing",
        "id",
        sqlite_where=text(OUTBOX_FAILING),
        postgresql_where=text(OUTBOX_FAILING),
    ),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event", Integer, nullable=False, comment="outbox.id"),
    Column("target", String(32), nullable=False, comment="the national system tried"),
    Column("at", Float, nullable=False),
    Column("outcome", String(16), nullable=False, comment="delivered | retry | dead"),
    Column("error", Text, comment="what the national system or the transport said"),
    Column("replica", String(128), nullable=False, comment="the worker that tried"),
    Column("request_id", String(64), comment="X-Request-ID sent with the national call"),
    Index("ix_attempts_event", "event", "id"),
    Index("ix_attempts_target", "target", "outcome", "at"),
)

delivery_tally = Table(
    "delivery_tally",
    metadata,
    Column("target", String(32), primary_key=True),
    Column("day", String(10), primary_key=True, comment="YYYY-MM-DD, Vietnam time"),
    Column("delivered", Integer, nullable=False, comment="delivered events purged since"),
    Column("retried", Integer, nullable=False, comment="of those, tried more than once"),
)
"""What retention purged, per national system and day of delivery, so counts stay right."""

outbox_counts = Table(
    "outbox_counts",
    metadata,
    Column("target", String(32), primary_key=True),
    Column("state", String(16), primary_key=True),
    Column("events", Integer, nullable=False, comment="outbox rows in this state"),
    Column("retried", Integer, nullable=False, comment="of those, tried more than once"),
)
"""Outbox rows per national system and state, kept by triggers as rows change, on SQLite only
(migration 0012 says why not on PostgreSQL)."""

outbox_count_changes = Table(
    "outbox_count_changes",
    metadata,
    Column("target", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("events", BigInteger, nullable=False, comment="outbox rows added (or < 0)"),
    Column("retried", BigInteger, nullable=False, comment="of those, tried more than once"),
)
"""What each statement changing the outbox changed, per national system and state, appended by
triggers on PostgreSQL only; the counts are their sum, folded now and then (migration 0014)."""

operator_actions = Table(
    "operator_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("actor", String(200), nullable=False, comment="operator id, or os:<user> for the CLI"),
    Column("actor_name", String(200), nullable=False),
    Column("action", String(16), nullable=False, comment="sign-in, replay, discard, test, ..."),
    Column("state", String(16), nullable=False, comment="done | requested | approved | rejected"),
    Column("count", Integer, nullable=False, comment="how many items it concerned"),
    Column("selection", Text, comment="the filter or ids it was given, as JSON"),
    Column("reason", Text),
    Column("detail", Text, comment="what came of it"),
    Column("approves", Integer, comment="the requested action this approval decides"),
    Column("decided_by", String(200), comment="the operator who approved or rejected it"),
    Column("decided_at", Float),
    Index("ix_operator_actions_at", "at"),
    Index("ix_operator_actions_actor", "actor", "at"),
    Index("ix_operator_actions_action", "action", "at"),
    Index("ix_operator_actions_state", "state", "id"),
)

operator_action_items = Table(
    "operator_action_items",
    metadata,
    Column("action", Integer, primary_key=True, comment="operator_actions.id"),
    Column("event", Integer, primary_key=True, comment="outbox.id"),
    Column(
        "result",
        String(16),
        nullable=False,
        comment="requested | replayed | discarded | skipped | rejected",
    ),
    Column("detail", Text, comment="why it was skipped"),
    Index("ix_operator_action_items_event", "event"),
)

system_probes = Table(
    "system_probes",
    metadata,
    Column("system", String(32), primary_key=True),
    Column("at", Float, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("detail", Text, nullable=False, comment="what the system said, or how it failed"),
    Column("actor", String(200), nullable=False),
)
"""The last "test now" of each national system."""

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True, comment="the gateway's id of the document"),
    Column("direction", String(8), nullable=False, comment="outgoing | incoming"),
    Column("kind", String(8), nullable=False, comment="document | status (package)"),
    Column("national_id", String(300), nullable=False, comment="edXML DocumentId or axis id"),
    Column("from_organ", String(32), nullable=False),
    Column("to_organs", Text, nullable=False, comment="JSON list of OrganIds"),
    Column("code", Text, nullable=False, comment="number/notation, e.g. 7816/VPCP-TTĐT"),
    Column("subject", Text, nullable=False),
    Column("business", String(8), nullable=False, comment="new | recall | update | replace"),
    Column("state", String(16), nullable=False, comment="queued | sent | received | rejected"),
    Column("reason", Text, comment="why an incoming package was rejected"),
    Column("package", LargeBinary, nullable=False, comment="the edXML package, as sent"),
    Column("created_at", Float, nullable=False),
    Column("acknowledged_at", Float, comment="when the one-stop system took it from the inbox"),
    UniqueConstraint("direction", "national_id", name="uq_documents_national_id"),
    Index("ix_documents_inbox", "direction", "kind", "acknowledged_at", "created_at"),
)

document_events = Table(
    "document_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document", String(64), nullable=False, comment="documents.id"),
    Column("status", String(32), nullable=False, comment="sent, arrived, accepted, ..."),
    Column("code", String(4), comment="the edXML StatusCode, when one was exchanged"),
    Column("organ_id", String(32), comment="who reported it"),
    Column("description", Text),
    Column("at", Float, nullable=False),
    Index("ix_document_events_document", "document", "id"),
)

audit_records = Table(
    "audit_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("action", String(16), nullable=False, comment="lookup | verify | prefill"),
    Column("system", String(32), nullable=False, comment="the registry asked"),
    Column("caller", String(200), nullable=False, comment="the API client"),
    Column("officer", String(200), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("dossier_code", String(64), nullable=False),
    Column("subject_key", String(64), nullable=False, comment="keyed hash of the ID number"),
    Column("subject_masked", String(32), nullable=False, comment="e.g. 001******345"),
    Column("outcome", String(16), nullable=False, comment="found, not_found, match, ..."),
    Column("detail", Text, comment="why it failed, when it did"),
    Index("ix_audit_at", "at"),
    Index("ix_audit_subject", "subject_key", "at"),
    Index("ix_audit_dossier", "dossier_code", "at"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(300), primary_key=True, comment="route and the caller's key"),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_idempotency_created", "created_at"),
)

questions = Table(
    "questions",
    metadata,
    Column("id", String(64), primary_key=True, comment="the portal's HOIDAPID"),
    Column("question", Text, nullable=False, comment="the canonical Question, as JSON"),
    Column("received_at", Float, nullable=False),
    Column("answered_at", Float, comment="when the province's last answer was accepted"),
    Column("answers", Integer, nullable=False, comment="answers accepted, each queued once"),
    Index("ix_questions_inbox", "answered_at", "received_at", "id"),
)
"""Questions citizens sent on the portal, stored once by their id (the inbox of questions)."""

catalogue_versions = Table(
    "catalogue_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("fetched_at", Float, nullable=False, comment="when this version was first fetched"),
    Column("checked_at", Float, nullable=False, comment="when a sync last found it current"),
    Column("digest", String(64), nullable=False, comment="SHA-256 of every entry of every list"),
    Column("counts", Text, nullable=False, comment="entries per list, as JSON"),
    Column("changes", Text, nullable=False, comment="added, changed, withdrawn, as JSON"),
)
"""Each version of the national catalogue the gateway held, and how it differed from the last."""

catalogue_entries = Table(
    "catalogue_entries",
    metadata,
    Column("version", Integer, primary_key=True, comment="catalogue_versions.version"),
    Column("list", String(32), primary_key=True, comment="procedures, fields, religions, ..."),
    Column("code", String(64), primary_key=True, comment="as the portal codes it"),
    Column("name", Text, nullable=False),
    Column("body", Text, nullable=False, comment="the entry as the portal sent it, as JSON"),
    Column("digest", String(64), nullable=False, comment="SHA-256 of body"),
)
"""Every entry of every version of the catalogue: a version is kept whole, never changed."""

reconciliations = Table(
    "reconciliations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Float, nullable=False),
    Column("actor", String(200), nullable=False, comment="who ran it: an operator or os:<user>"),
    Column("scope", Text, nullable=False, comment="since and dossier, as JSON"),
    Column("compared", Integer, nullable=False, comment="dossiers compared with the portal"),
    Column("differences", Integer, nullable=False),
    Column("plan", Text, nullable=False, comment="the differences and their repairs, as JSON"),
    Column("applied_at", Float, comment="when its repairs were queued"),
    Column("applied_by", String(200)),
    Column("reason", Text, comment="why the operator applied it"),
    Column("queued", Integer, comment="events its repairs queued"),
    Index("ix_reconciliations_created", "created_at"),
)
"""Each comparison of what the gateway delivered with what the portal holds: its plan of repairs
and, once applied, who queued them and why."""

operator_invitations = Table(
    "operator_invitations",
    metadata,
    Column("token_sha256", String(64), primary_key=True, comment="SHA-256 of the one-time link"),
    Column("name", String(200), nullable=False, comment="who the link signs in"),
    Column("role", String(16), nullable=False, comment="viewer | operator | admin"),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float, comment="when the link signed its person in; it works once"),
)

linked_dossiers = Table(
    "linked_dossiers",
    metadata,
    Column("code", String(64), primary_key=True, comment="the DVCLT dossier code (maHoSo)"),
    Column("submission_id", String(128), nullable=False, comment="the national system's id"),
    Column("module", String(8), nullable=False, comment="KS birth | KT death registration"),
    Column("procedure_code", String(64), nullable=False),
    Column("unit_code", String(16), nullable=False, comment="the district or commune it is for"),
    Column("national_received", String(16), nullable=False, comment="ngayTiepNhan as given"),
    Column("account", String(128), nullable=False, comment="techId: the citizen's account"),
    Column("state", String(16), nullable=False, comment="new | taken | set_aside"),
    Column("reason", Text, comment="why the gateway could not take it (set_aside)"),
    Column("status", String(32), comment="the last handling the one-stop system reported"),
    Column("province_code", String(64), comment="the one-stop system's own code of it"),
    Column(
        "supplement_requested_at",
        Float,
        comment="when a supplement was asked for that the citizen has not sent yet",
    ),
    Column("version", Integer, nullable=False, comment="1, +1 each time it was resubmitted"),
    Column("form", Text, nullable=False, comment="the form's XML as received"),
    Column("record", Text, comment="the canonical Submission as JSON (none while set aside)"),
    Column("created_at", Float, nullable=False),
    Column("listed_at", Float, nullable=False, comment="when it last entered the inbox"),
    Column("updated_at", Float, nullable=False),
    Column("acknowledged_at", Float, comment="when the one-stop system took it"),
    Column("national_acknowledged_at", Float, comment="when the national system was told"),
    Index("ix_linked_dossiers_inbox", "state", "listed_at", "code"),
    Index("ix_linked_dossiers_module", "module", "state", "listed_at", "code"),
)
"""Inter-connected submissions (birth and death bundles), stored once by their DVCLT code."""

linked_attachments = Table(
    "linked_attachments",
    metadata,
    Column("dossier", String(64), primary_key=True, comment="linked_dossiers.code"),
    Column("id", String(128), primary_key=True, comment="the national system's id of the file"),
    Column("position", Integer, nullable=False, comment="its place in the submission"),
    Column("document_type", String(64), comment="loaiGiayTo"),
    Column("name", Text, comment="tenGiayTo: what the paper is"),
    Column("file_name", Text, comment="tenTepDinhKem"),
    Column("withdrawn", Boolean, nullable=False, comment="huyGiayTo = 1"),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

linked_dossier_events = Table(
    "linked_dossier_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier", String(64), nullable=False, comment="linked_dossiers.code"),
    Column(
        "event",
        String(32),
        nullable=False,
        comment="received, set_aside, resubmitted, acknowledged, taken, status",
    ),
    Column("status", String(32), comment="the handling reported, for a status"),
    Column("outbox_event", Integer, comment="outbox.id of the status sent back"),
    Column("description", Text),
    Column("at", Float, nullable=False),
    Index("ix_linked_dossier_events_dossier", "dossier", "id"),
)
"""What happened to each inter-connected submission, in the order the gateway learned it."""

land_dossiers = Table(
    "land_dossiers",
    metadata,
    Column("code", String(64), primary_key=True, comment="the one-stop dossier code"),
    Column("receipt", String(64), nullable=False, comment="SoBienNhan at the land office"),
    Column("procedure_code", String(64), nullable=False),
    Column(
        "state", String(16), nullable=False, comment="queued | forwarded | unforwardable (reason)"
    ),
    Column("status", String(32), comment="the land office's last status, pulled back"),
    Column("status_at", Float, comment="when the land office set it"),
    Column("supplement", Text, comment="what the land office asks the applicant for"),
    Column("supplement_due", Float),
    Column("reason", Text, comment="why it cannot be forwarded, or was refused"),
    Column("version", Integer, nullable=False, comment="+1 for each change pulled back"),
    Column("taken_version", Integer, nullable=False, comment="the version the province took"),
    Column("forwarded_at", Float, nullable=False),
    Column("checked_at", Float, nullable=False, comment="when it was last asked about"),
    Column("updated_at", Float, nullable=False),
    Index("ix_land_dossiers_receipt", "receipt"),
    Index("ix_land_dossiers_checked", "state", "status", "checked_at"),
    Index("ix_land_dossiers_news", "updated_at", "code"),
)
"""Land dossiers the land office holds (``gateway.land``), with what was pulled back."""

land_results = Table(
    "land_results",
    metadata,
    Column("dossier", String(64), primary_key=True, comment="land_dossiers.code"),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("number", String(100)),
    Column("signed_on", String(10)),
    Column("file_name", Text),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

land_dossier_events = Table(
    "land_dossier_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier", String(64), nullable=False, comment="the one-stop dossier code"),
    Column(
        "event",
        String(32),
        nullable=False,
        comment="forwarded, status, supplement_sent, handover_sent, unreadable",
    ),
    Column("status", String(32)),
    Column("outbox_event", Integer, comment="outbox.id of what was sent"),
    Column("description", Text),
    Column("at", Float, nullable=False),
    Index("ix_land_dossier_events_dossier", "dossier", "id"),
)
"""What happened to each land dossier, in the order the gateway learned it."""

_COUNTS = (
    ("received", "1: a dossier received"),
    ("online", "received online (KenhThucHien 2)"),
    ("paid_online", "paid online (DuocThanhToanTrucTuyen)"),
    ("digitised", "with digitised components (HoSoCoThanhPhanSoHoa, TaiLieuNop.DuocSoHoa)"),
    ("results_digitised", "with a result issued as a file (DanhSachGiayToKetQua)"),
    ("reused", "reusing a digitised result (DuocTaiSuDung, MaKetQuaThayThe, DuocLayTuKhoDMQG)"),
    ("prefilled", "using a national database (DSKetNoiCSDL)"),
    ("vneid", "applicant authenticated with VNeID (TaiKhoanDuocXacThucVoiVNeID)"),
    ("resolved", "resolved (NgayKetThucXuLy, or status resolved or returned)"),
    ("on_time", "resolved by its due time (NgayKetThucXuLy <= NgayHenTra)"),
    ("late", "resolved after its due time"),
    ("open", "still in progress (neither resolved, refused, withdrawn nor stopped)"),
    ("synced", "delivered to the national portal at least once"),
    ("evaluated", "evaluated by its applicant"),
    ("satisfied", "evaluated, with a mean score at the satisfied score or above"),
)
"""The figures kept per dossier and summed per day and month: 0 or 1 on a dossier's row."""


def _counts() -> list[Column[int]]:
    columns: list[Column[int]] = [
        Column(name, Integer, nullable=False, comment=comment) for name, comment in _COUNTS
    ]
    return columns


def _lag() -> Column[float]:
    return Column(
        "sync_lag", Float, nullable=False, comment="seconds from acceptance to first delivery"
    )


def _levels() -> list[Column[str]]:
    return [
        Column("province", String(16), nullable=False, comment="level 1: 000.00.00.Hnn"),
        Column("district", String(16), nullable=False, comment="level 2: 000.00.Y1Y2.Hnn"),
        Column("commune", String(16), nullable=False, comment="level 3: 000.Z1Z2.Y1Y2.Hnn"),
        Column("unit", String(16), nullable=False, comment="the handling unit (DonViXuLy)"),
    ]


COUNT_COLUMNS = (*(name for name, _comment in _COUNTS), "sync_lag")

indicator_facts = Table(
    "indicator_facts",
    metadata,
    Column("code", String(64), primary_key=True, comment="dossiers.code"),
    *_levels(),
    Column("procedure_code", String(64), nullable=False),
    Column("field_code", String(100), nullable=False, comment="MaLinhVuc, empty when unknown"),
    Column("day", String(10), nullable=False, comment="YYYY-MM-DD of received_at, Vietnam time"),
    Column("received_at", Float, nullable=False, comment="NgayTiepNhan, else NgayNopHoSo"),
    Column("due_at", Float, comment="NgayHenTra"),
    Column("finished_at", Float, comment="NgayKetThucXuLy, else NgayTra"),
    Column("accepted_at", Float, nullable=False, comment="when the gateway first accepted it"),
    Column("synced_at", Float, comment="when the portal first took it"),
    Column("score", Float, comment="the mean score of its latest evaluation"),
    *_counts(),
    _lag(),
    Index("ix_indicator_facts_day", "day"),
    Index(
        "ix_indicator_facts_open",
        "day",
        "due_at",
        "province",
        "district",
        "commune",
        "unit",
        "procedure_code",
        "field_code",
        sqlite_where=text("open = 1"),
        postgresql_where=text("open = 1"),
    ),
)
"""What the indicators need of each dossier, kept in the transaction that accepts it."""

indicator_days = Table(
    "indicator_days",
    metadata,
    Column("day", String(10), primary_key=True, comment="YYYY-MM-DD, Vietnam time"),
    Column("unit", String(16), primary_key=True),
    *[c for c in _levels() if c.name != "unit"],
    *_counts(),
    _lag(),
)
"""``indicator_facts`` summed per day received and handling unit."""

indicator_months = Table(
    "indicator_months",
    metadata,
    Column("month", String(7), primary_key=True, comment="YYYY-MM, Vietnam time"),
    Column("unit", String(16), primary_key=True),
    Column("procedure_code", String(64), primary_key=True),
    Column("field_code", String(100), primary_key=True),
    *[c for c in _levels() if c.name != "unit"],
    *_counts(),
    _lag(),
    Index("ix_indicator_months_district", "district", "month"),
    Index("ix_indicator_months_commune", "commune", "month"),
    Index("ix_indicator_months_unit", "unit", "month"),
)
"""``indicator_facts`` summed per month received, handling unit, procedure and field."""

indicator_procedures = Table(
    "indicator_procedures",
    metadata,
    Column("month", String(7), primary_key=True, comment="YYYY-MM, Vietnam time"),
    Column("province", String(16), primary_key=True, comment="level 1: 000.00.00.Hnn"),
    Column("procedure_code", String(64), primary_key=True),
    Column("field_code", String(100), primary_key=True),
    *_counts(),
    _lag(),
)
"""``indicator_facts`` summed per month received, province, procedure and field: figures of a
whole province by procedure or field read these few rows rather than every unit's."""

report_submissions = Table(
    "report_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False, comment="2026-Q4, 2026-H2, 2026, ..."),
    Column("unit", String(64), nullable=False, comment="the reporting unit"),
    Column(
        "request_id",
        String(100),
        nullable=False,
        unique=True,
        comment="MaYeuCau: the submission's id, the same on every attempt",
    ),
    Column("requested_by", String(200), nullable=False, comment="schedule, or who"),
    Column("report", Text, nullable=False, comment="the report as sent (BaoCao JSON)"),
    Column("outbox_event", Integer, comment="outbox.id of the delivery"),
    Column("state", String(16), nullable=False, comment="queued | received | refused"),
    Column("receipt", String(64), comment="MaBienNhan, once received"),
    Column("submission", Integer, comment="LanNop: 1, +1 for each replacing report"),
    Column("received_at", Float, comment="ThoiGianTiepNhan, as the system gave it"),
    Column("error", Text, comment="why the system refused it"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_report_submissions_period", "period", "unit", "id"),
)
"""Periodic reports submitted to the national reporting system, with their receipts."""
