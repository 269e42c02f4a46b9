"""The tables of the durable store: one schema for SQLite and PostgreSQL.

Times are UTC epoch seconds (``Float``): the same type and ordering on every engine, and cheap to
compare in the claim query.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text, text

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
)

progress_steps = Table(
    "progress_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, comment="the dossier the step belongs to"),
    Column("step", Text, nullable=False, comment="the canonical ProgressStep, as JSON"),
    Index("ix_progress_steps_code", "code", "id"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(32), nullable=False, comment="the national system to deliver to"),
    Column("kind", String(32), nullable=False, comment="dossier | progress"),
    Column("ordering_key", String(64), nullable=False, comment="events of one key go in order"),
    Column("payload", Text, nullable=False, comment="what to send, in the target's format"),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("state", String(16), nullable=False, comment="pending | delivered | dead"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("due_at", Float, nullable=False),
    Column("lease_owner", String(128)),
    Column("lease_until", Float),
    Column("last_error", Text),
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float),
    Index("ix_outbox_due", "state", "due_at"),
    Index("ix_outbox_line", "target", "ordering_key", "state", "id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(300), primary_key=True, comment="route and the caller's key"),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)
