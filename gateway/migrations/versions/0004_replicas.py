"""Claims that stay fast under a large backlog, and on PostgreSQL the declared column comments.

The claim walks pending rows in id order: ``ix_outbox_pending`` (a partial index of pending rows)
lets it start at the first of them instead of walking the delivered history, which made every
claim of a draining backlog slower than the last. ``ix_outbox_due`` goes: no query needs it, and
it led SQLite, which keeps no statistics, to collect and sort every due row at each claim.
``ix_outbox_line`` leads with ``ordering_key``, so a dossier's events are found by its code alone
(``GET /v1/dossiers/{code}``) as well as by line for the claim.

On PostgreSQL the outbox is a queue: rows are inserted, updated a few times and left behind. Its
autovacuum thresholds are lowered so dead row versions are reclaimed and the planner's
statistics follow a backlog as it grows and drains, instead of after a tenth of the table
changed; without statistics the claim is planned as if few rows were pending.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COMMENTS = {
    "dossiers": {
        "snapshot": "the latest canonical Dossier without its progress, as JSON",
        "version": "1 on first push, +1 on every change",
    },
    "progress_steps": {
        "code": "the dossier the step belongs to",
        "step": "the canonical ProgressStep, as JSON",
    },
    "outbox": {
        "target": "the national system to deliver to",
        "kind": "dossier | progress",
        "ordering_key": "events of one key go in order",
        "payload": "what to send, in the target's format",
        "state": "pending | delivered | dead",
    },
    "idempotency_keys": {"key": "route and the caller's key"},
    "documents": {
        "id": "the gateway's id of the document",
        "direction": "outgoing | incoming",
        "kind": "document | status (package)",
        "national_id": "edXML DocumentId or axis id",
        "to_organs": "JSON list of OrganIds",
        "code": "number/notation, e.g. 7816/VPCP-TTĐT",
        "business": "new | recall | update | replace",
        "state": "queued | sent | received | rejected",
        "reason": "why an incoming package was rejected",
        "package": "the edXML package, as sent",
        "acknowledged_at": "when the one-stop system took it from the inbox",
    },
    "document_events": {
        "document": "documents.id",
        "status": "sent, arrived, accepted, ...",
        "code": "the edXML StatusCode, when one was exchanged",
        "organ_id": "who reported it",
    },
    "audit_records": {
        "action": "lookup | verify | prefill",
        "system": "the registry asked",
        "caller": "the API client",
        "subject_key": "keyed hash of the ID number",
        "subject_masked": "e.g. 001******345",
        "outcome": "found, not_found, match, ...",
        "detail": "why it failed, when it did",
    },
}
"""Column comments as of this revision (SQLite keeps none)."""

AUTOVACUUM = "autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01"


def _comment(table: str, column: str, comment: str | None) -> None:
    quoted = "NULL" if comment is None else "'" + comment.replace("'", "''") + "'"
    op.execute(sa.text(f'COMMENT ON COLUMN "{table}"."{column}" IS {quoted}'))


def upgrade() -> None:
    op.drop_index("ix_outbox_due", "outbox")
    op.drop_index("ix_outbox_line", "outbox")
    op.create_index("ix_outbox_line", "outbox", ["ordering_key", "target", "state", "id"])
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["id"],
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in COMMENTS.items():
            for column, comment in columns.items():
                _comment(table, column, comment)
        op.execute(f"ALTER TABLE outbox SET ({AUTOVACUUM})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE outbox "
            "RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)"
        )
        for table, columns in COMMENTS.items():
            for column in columns:
                _comment(table, column, None)
    op.drop_index("ix_outbox_pending", "outbox")
    op.drop_index("ix_outbox_line", "outbox")
    op.create_index("ix_outbox_line", "outbox", ["target", "ordering_key", "state", "id"])
    op.create_index("ix_outbox_due", "outbox", ["state", "due_at"])
