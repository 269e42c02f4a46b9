"""The inbox of questions citizens sent on the portal, and what the province sends back.

A question is stored once, keyed by the portal's ``HOIDAPID``: polling it again changes nothing.
Answering it, publishing a question and answer, sending an evaluation each store the event in
the portal's format in the outbox, in the caller's transaction. Answers to one question go in
the order they were accepted (their line is the question); an evaluation goes in its dossier's
line, after the dossier's snapshot, since the portal refuses an evaluation of a dossier it does
not hold. Functions here are units of work: they touch nothing but the connection, and may run
twice.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gateway import outbox
from gateway.outbox import NewEvent
from gateway.store.schema import dossiers, questions
from mappings.questions import Question

ANSWER = "answer"
PUBLISHED = "published_question"
EVALUATION = "evaluation"
PORTAL = "national_portal"


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    question: Question
    received_at: float
    answered_at: float | None
    answers: int


@dataclass(frozen=True, slots=True)
class QueuedEvent:
    id: int
    target: str
    kind: str


@cache
def _insert_once(dialect_name: str) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    # RETURNING tells a new row from a conflict on both stores: psycopg reports no row count for
    # an INSERT ... ON CONFLICT DO NOTHING run through SQLAlchemy (-1 either way).
    statement: Executable = (
        dialect.insert(questions)
        .on_conflict_do_nothing(index_elements=[questions.c.id])
        .returning(questions.c.id)
    )
    return statement


def store_question(connection: Connection, question: Question, *, now: float | None = None) -> bool:
    """Store ``question`` unless one of its id is stored; True when it is new."""
    result = connection.execute(
        _insert_once(connection.dialect.name),
        {
            "id": question.id,
            "question": question.model_dump_json(),
            "received_at": time.time() if now is None else now,
            "answers": 0,
        },
    )
    return result.first() is not None


def _stored(row: Any) -> StoredQuestion:
    return StoredQuestion(
        question=Question.model_validate_json(row.question),
        received_at=row.received_at,
        answered_at=row.answered_at,
        answers=row.answers,
    )


def find_question(connection: Connection, question_id: str) -> StoredQuestion | None:
    row = connection.execute(select(questions).where(questions.c.id == question_id)).first()
    return _stored(row) if row else None


def inbox(
    connection: Connection, *, after: str | None, limit: int, include_answered: bool
) -> list[StoredQuestion]:
    """Questions in the order they arrived, ``limit`` after the question ``after``; those not
    answered yet unless ``include_answered``."""
    query = select(questions)
    if not include_answered:
        query = query.where(questions.c.answered_at.is_(None))
    if after is not None:
        cursor = select(questions.c.received_at).where(questions.c.id == after).scalar_subquery()
        query = query.where(
            (questions.c.received_at > cursor)
            | ((questions.c.received_at == cursor) & (questions.c.id > after))
        )
    rows = connection.execute(query.order_by(questions.c.received_at, questions.c.id).limit(limit))
    return [_stored(row) for row in rows]


LINE_MAX = 64
"""The longest ordering key the outbox keeps."""


def _line(prefix: str, item: str) -> str:
    """The outbox line of ``item``: ``q:HD-1``, or a digest of an id too long to fit."""
    line = f"{prefix}:{item}"
    if len(line) <= LINE_MAX:
        return line
    return f"{prefix}:#{hashlib.sha256(item.encode()).hexdigest()[:40]}"


def _queue(connection: Connection, kind: str, line: str, payload: str) -> QueuedEvent:
    key = f"{PORTAL}:{kind}:{uuid.uuid4().hex}"
    (event,) = outbox.enqueue(connection, [NewEvent(PORTAL, kind, line, payload, key)])
    return QueuedEvent(event, PORTAL, kind)


def queue_answer(connection: Connection, question_id: str, payload: str) -> QueuedEvent:
    """Queue an answer (``DongBoKetQuaHoiDapGuiTuDVCQG`` object) to a stored question and mark
    it answered; its answers go in the order accepted."""
    connection.execute(
        update(questions)
        .where(questions.c.id == question_id)
        .values(answered_at=time.time(), answers=questions.c.answers + 1)
    )
    return _queue(connection, ANSWER, _line("q", question_id), payload)


def queue_published(connection: Connection, question_id: str, payload: str) -> QueuedEvent:
    """Queue a question and answer the province publishes (``DongBoHoiDap`` object)."""
    return _queue(connection, PUBLISHED, _line("p", question_id), payload)


def dossier_known(connection: Connection, code: str) -> bool:
    """Whether the one-stop system pushed dossier ``code``."""
    found = connection.execute(select(dossiers.c.code).where(dossiers.c.code == code)).first()
    return found is not None


def queue_evaluation(connection: Connection, dossier_code: str, payload: str) -> QueuedEvent:
    """Queue an evaluation (``DongBoDanhGia`` object) behind its dossier's other events."""
    return _queue(connection, EVALUATION, dossier_code, payload)
