"""``/v1/inbox/questions``, ``/v1/questions`` and ``/v1/evaluations``: what citizens ask and say on
the national portal, and what the province sends back (``gateway.questions``).

Questions citizens sent on the portal wait in the inbox (oldest first) until the province answers
them; an answer, a published question and answer, an evaluation are accepted durably (202) in the
portal's format and delivered by the worker. Each write takes an ``Idempotency-Key``, and answers
503 with ``Retry-After`` while the backlog is at its limit (``gateway.api.backpressure``) or
when the portal is switched off here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from gateway import questions
from gateway.api.backpressure import ADMIT, BACKLOGGED
from gateway.api.caller import requires
from gateway.api.deps import GatewayDep, StoreDep
from gateway.api.idempotent import run_write
from gateway.api.problems import problems
from gateway.bootstrap import Gateway
from gateway.indicators.facts import record_evaluation
from gateway.questions import PortalNotInUse, StoredQuestion
from gateway.store import Connection
from mappings.errors import MappingError
from mappings.evaluation import Evaluation
from mappings.questions import (
    EXAMPLE_ANSWER,
    QUESTION_ID_PATTERN,
    Answer,
    PublishedQuestion,
    Question,
)

router = APIRouter(tags=["questions and evaluations"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeat a request with the same key to get the first answer, not a copy.",
    ),
]
QuestionIdInPath = Annotated[
    str,
    Path(
        pattern=QUESTION_ID_PATTERN,
        description="The question's id on the portal (HOIDAPID).",
        examples=["HD-2025-000123"],
    ),
]


class InboxQuestion(BaseModel):
    question: Question
    received_at: datetime
    answered_at: datetime | None = Field(
        description="When the province's last answer was accepted; null while it waits."
    )
    answers: int = Field(description="Answers accepted (each delivered in the order accepted).")


class QuestionPage(BaseModel):
    questions: list[InboxQuestion]
    next_after: str | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )


class Queued(BaseModel):
    """What the gateway queued for the portal; it is stored and will be delivered."""

    id: int
    target: str
    kind: str


class AnswerQueued(BaseModel):
    question: str
    queued: Queued


class AnswerBody(Answer):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ANSWER]})


def _when(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _shown(stored: StoredQuestion) -> InboxQuestion:
    return InboxQuestion(
        question=stored.question,
        received_at=datetime.fromtimestamp(stored.received_at, UTC),
        answered_at=_when(stored.answered_at),
        answers=stored.answers,
    )


def _refused(error: MappingError, where: tuple[str | int, ...]) -> RequestValidationError:
    """A 422 naming the field and the portal's rule (``gateway.api.dossiers`` does the same)."""
    loc: list[str | int] = list(where)
    for name in error.field.split("."):
        stem, *indexes = name.replace("]", "").split("[")
        loc.append(stem)
        loc.extend(int(i) for i in indexes if i.isdigit())
    rule = f"{error.rule} (required by national_portal)"
    return RequestValidationError([{"type": "national_format", "loc": tuple(loc), "msg": rule}])


def _not_in_use(error: PortalNotInUse) -> HTTPException:
    return HTTPException(503, detail=str(error))


@router.get(
    "/v1/inbox/questions",
    response_model=QuestionPage,
    dependencies=[requires("questions:read")],
)
async def question_inbox(
    store: StoreDep,
    after: Annotated[str | None, Query(pattern=QUESTION_ID_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    include_answered: bool = False,
) -> QuestionPage:
    """Questions citizens sent on the portal, oldest first, a page at a time; those the province
    has not answered yet unless ``include_answered``."""
    found = await store.read(
        lambda c: questions.inbox(c, after=after, limit=limit, include_answered=include_answered)
    )
    page = [_shown(q) for q in found]
    return QuestionPage(
        questions=page, next_after=page[-1].question.id if len(page) == limit else None
    )


@router.get(
    "/v1/inbox/questions/{question}",
    response_model=InboxQuestion,
    dependencies=[requires("questions:read")],
    responses=problems(404, not_found="No question sent on the portal has this id."),
)
async def get_question(question: QuestionIdInPath, store: StoreDep) -> InboxQuestion:
    """One question sent on the portal, with how far its answers got."""
    stored = await store.read(lambda c: questions.find_question(c, question))
    if stored is None:
        raise HTTPException(404, detail=f"no question {question!r} was sent on the portal")
    return _shown(stored)


@router.post(
    "/v1/inbox/questions/{question}/answer",
    status_code=202,
    response_model=AnswerQueued,
    dependencies=[requires("questions:answer"), ADMIT],
    responses={
        **BACKLOGGED,
        **problems(404, not_found="No question sent on the portal has this id."),
    },
)
async def answer_question(
    question: QuestionIdInPath,
    answer: AnswerBody,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Answer a question sent on the portal. Answers to one question reach the portal in the
    order they were accepted; the last one is the question's answer there."""
    exchanges = gateway.questions

    def work(connection: Connection) -> AnswerQueued:
        stored = questions.find_question(connection, question)
        if stored is None:
            raise HTTPException(404, detail=f"no question {question!r} was sent on the portal")
        unit = stored.question.unit_code or gateway.settings.organ_id
        try:
            payload = exchanges.encode_answer(question, unit, answer)
        except MappingError as error:
            raise _refused(error, ("body",)) from None
        queued = questions.queue_answer(connection, question, payload)
        return AnswerQueued(question=question, queued=Queued(**_fields(queued)))

    return await _write(request, gateway, idempotency_key, work)


@router.post(
    "/v1/questions",
    status_code=202,
    response_model=Queued,
    dependencies=[requires("questions:write"), ADMIT],
    responses=BACKLOGGED,
)
async def publish_question(
    published: PublishedQuestion,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Publish one of the province's questions and its answer on the portal (``DongBoHoiDap``);
    publishing the same ``id`` again replaces it there."""
    exchanges = gateway.questions

    def work(connection: Connection) -> Queued:
        payload = exchanges.encode_published(published)
        return Queued(**_fields(questions.queue_published(connection, published.id, payload)))

    return await _write(request, gateway, idempotency_key, work)


@router.post(
    "/v1/evaluations",
    status_code=202,
    response_model=Queued,
    dependencies=[requires("evaluations:write"), ADMIT],
    responses={**BACKLOGGED, **problems(404, not_found="No dossier has this code: push it first.")},
)
async def send_evaluation(
    evaluation: Evaluation,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Send a citizen's evaluation of a dossier's handling (``DongBoDanhGia``, *inferred*). It
    goes after the dossier's own events; the portal keeps the last evaluation of a dossier. A
    dossier the gateway does not hold is 404; a criterion or score the configured national form
    lacks is refused naming it."""
    exchanges = gateway.questions
    satisfied_score = gateway.settings.indicator_satisfied_score

    def work(connection: Connection) -> Queued:
        if not questions.dossier_known(connection, evaluation.dossier_code):
            raise HTTPException(
                404,
                detail=f"dossier {evaluation.dossier_code!r} is not known to the gateway: push "
                "it with POST /v1/dossiers first",
            )
        try:
            payload = exchanges.encode_evaluation(evaluation)
        except MappingError as error:
            raise _refused(error, ("body",)) from None
        queued = questions.queue_evaluation(connection, evaluation.dossier_code, payload)
        record_evaluation(connection, evaluation, satisfied_score=satisfied_score)
        return Queued(**_fields(queued))

    return await _write(request, gateway, idempotency_key, work)


def _fields(queued: questions.QueuedEvent) -> dict[str, object]:
    return {"id": queued.id, "target": queued.target, "kind": queued.kind}


async def _write(
    request: Request,
    gateway: Gateway,
    key: str | None,
    work: Callable[[Connection], BaseModel],
) -> Response:
    try:
        return await run_write(request, gateway, key, work)
    except PortalNotInUse as error:
        raise _not_in_use(error) from None
