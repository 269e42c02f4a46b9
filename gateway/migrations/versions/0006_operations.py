"""What operators need beside the console: the attempt history of every event, the operator
action audit trail (with the items of each replay or discard), the tally of delivered events
purged by retention, the last "test now" of each national system, and the columns searches and
replays need (an event's request id, when it failed, was replayed or discarded and why; a
dossier's procedure code and its applicant's ID number keyed and masked).

Dossiers already stored get their procedure code and masked applicant ID here, read from their
snapshots; the keyed hash needs the deployment's audit key, which a migration does not have, so
those dossiers are found by the masked form until they are next pushed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 1000


def _outbox_columns() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "request_id", sa.String(64), comment="X-Request-ID of the request that queued it"
        ),
        sa.Column(
            "failed_at", sa.Float, comment="when its last attempt failed (when it died, if dead)"
        ),
        sa.Column(
            "replayed_at",
            sa.Float,
            comment="when an operator last replayed it; its age counts from",
        ),
        sa.Column("discarded_at", sa.Float, comment="when an operator discarded it"),
        sa.Column("discard_reason", sa.Text, comment="why an operator discarded it"),
    ]


def _dossier_columns() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "procedure_code", sa.String(64), comment="the snapshot's procedure code, for searches"
        ),
        sa.Column(
            "applicant_key",
            sa.String(64),
            comment="keyed hash of the applicant's ID number (as audit records keep it)",
        ),
        sa.Column("applicant_masked", sa.String(32), comment="the applicant's ID number masked"),
    ]


def _mask(subject: str) -> str:
    """As ``gateway.registries.audit.mask`` masks it today."""
    if len(subject) >= 9:
        return subject[:3] + "*" * (len(subject) - 6) + subject[-3:]
    return "*" * max(len(subject) - 2, 0) + subject[-2:]


def _fill_dossiers() -> None:
    bind = op.get_bind()
    dossiers = sa.table(
        "dossiers",
        sa.column("code", sa.String),
        sa.column("snapshot", sa.Text),
        sa.column("procedure_code", sa.String),
        sa.column("applicant_masked", sa.String),
    )
    after = ""
    while True:
        rows = bind.execute(
            sa.select(dossiers.c.code, dossiers.c.snapshot)
            .where(dossiers.c.code > after)
            .order_by(dossiers.c.code)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changes = []
        for code, snapshot in rows:
            try:
                body = json.loads(snapshot)
            except ValueError:
                continue
            procedure = (body.get("procedure") or {}).get("code")
            number = (body.get("applicant") or {}).get("id_number")
            changes.append(
                {
                    "row_code": code,
                    "procedure": procedure,
                    "masked": _mask(number) if number else None,
                }
            )
        if changes:
            bind.execute(
                sa.update(dossiers)
                .where(dossiers.c.code == sa.bindparam("row_code"))
                .values(
                    procedure_code=sa.bindparam("procedure"),
                    applicant_masked=sa.bindparam("masked"),
                ),
                changes,
            )
        after = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        for column in _outbox_columns():
            batch.add_column(column)
    with op.batch_alter_table("dossiers") as batch:
        for column in _dossier_columns():
            batch.add_column(column)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("COMMENT ON COLUMN outbox.state IS 'pending | delivered | dead | discarded'")
    op.create_index(
        "ix_outbox_dead",
        "outbox",
        ["target", "id"],
        sqlite_where=sa.text("state = 'dead'"),
        postgresql_where=sa.text("state = 'dead'"),
    )
    op.create_index(
        "ix_outbox_delivered",
        "outbox",
        ["delivered_at"],
        sqlite_where=sa.text("delivered_at IS NOT NULL"),
        postgresql_where=sa.text("delivered_at IS NOT NULL"),
    )
    op.create_index("ix_dossiers_procedure", "dossiers", ["procedure_code"])
    op.create_index("ix_dossiers_applicant_key", "dossiers", ["applicant_key"])
    op.create_index("ix_dossiers_applicant_masked", "dossiers", ["applicant_masked"])
    op.create_index("ix_idempotency_created", "idempotency_keys", ["created_at"])
    _fill_dossiers()

    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event", sa.Integer, nullable=False, comment="outbox.id"),
        sa.Column("target", sa.String(32), nullable=False, comment="the national system tried"),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False, comment="delivered | retry | dead"),
        sa.Column("error", sa.Text, comment="what the national system or the transport said"),
        sa.Column("replica", sa.String(128), nullable=False, comment="the worker that tried"),
        sa.Column("request_id", sa.String(64), comment="X-Request-ID sent with the national call"),
    )
    op.create_index("ix_attempts_event", "delivery_attempts", ["event", "id"])
    op.create_index("ix_attempts_target", "delivery_attempts", ["target", "outcome", "at"])

    op.create_table(
        "delivery_tally",
        sa.Column("target", sa.String(32), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True, comment="YYYY-MM-DD, Vietnam time"),
        sa.Column("delivered", sa.Integer, nullable=False, comment="delivered events purged since"),
        sa.Column("retried", sa.Integer, nullable=False, comment="of those, tried more than once"),
    )

    op.create_table(
        "operator_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column(
            "actor",
            sa.String(200),
            nullable=False,
            comment="operator id, or os:<user> for the CLI",
        ),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column(
            "action", sa.String(16), nullable=False, comment="sign-in, replay, discard, test, ..."
        ),
        sa.Column(
            "state",
            sa.String(16),
            nullable=False,
            comment="done | requested | approved | rejected",
        ),
        sa.Column("count", sa.Integer, nullable=False, comment="how many items it concerned"),
        sa.Column("selection", sa.Text, comment="the filter or ids it was given, as JSON"),
        sa.Column("reason", sa.Text),
        sa.Column("detail", sa.Text, comment="what came of it"),
        sa.Column("approves", sa.Integer, comment="the requested action this approval decides"),
        sa.Column("decided_by", sa.String(200), comment="the operator who approved or rejected it"),
        sa.Column("decided_at", sa.Float),
    )
    op.create_index("ix_operator_actions_at", "operator_actions", ["at"])
    op.create_index("ix_operator_actions_actor", "operator_actions", ["actor", "at"])
    op.create_index("ix_operator_actions_action", "operator_actions", ["action", "at"])
    op.create_index("ix_operator_actions_state", "operator_actions", ["state", "id"])

    op.create_table(
        "operator_action_items",
        sa.Column("action", sa.Integer, primary_key=True, comment="operator_actions.id"),
        sa.Column("event", sa.Integer, primary_key=True, comment="outbox.id"),
        sa.Column(
            "result",
            sa.String(16),
            nullable=False,
            comment="requested | replayed | discarded | skipped | rejected",
        ),
        sa.Column("detail", sa.Text, comment="why it was skipped"),
    )
    op.create_index("ix_operator_action_items_event", "operator_action_items", ["event"])

    op.create_table(
        "system_probes",
        sa.Column("system", sa.String(32), primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column(
            "detail",
            sa.Text,
            nullable=False,
            comment="what the system said, or how it failed",
        ),
        sa.Column("actor", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("system_probes")
    op.drop_index("ix_operator_action_items_event", "operator_action_items")
    op.drop_table("operator_action_items")
    for index in ("state", "action", "actor", "at"):
        op.drop_index(f"ix_operator_actions_{index}", "operator_actions")
    op.drop_table("operator_actions")
    op.drop_table("delivery_tally")
    op.drop_index("ix_attempts_target", "delivery_attempts")
    op.drop_index("ix_attempts_event", "delivery_attempts")
    op.drop_table("delivery_attempts")
    op.drop_index("ix_idempotency_created", "idempotency_keys")
    op.drop_index("ix_dossiers_applicant_masked", "dossiers")
    op.drop_index("ix_dossiers_applicant_key", "dossiers")
    op.drop_index("ix_dossiers_procedure", "dossiers")
    op.drop_index("ix_outbox_delivered", "outbox")
    op.drop_index("ix_outbox_dead", "outbox")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("COMMENT ON COLUMN outbox.state IS 'pending | delivered | dead'")
    with op.batch_alter_table("dossiers") as batch:
        for column in reversed(_dossier_columns()):
            batch.drop_column(column.name)
    with op.batch_alter_table("outbox") as batch:
        for column in reversed(_outbox_columns()):
            batch.drop_column(column.name)
