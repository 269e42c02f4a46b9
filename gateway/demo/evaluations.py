"""Citizens' evaluations of the demo's returned dossiers, sent through ``POST /v1/evaluations``.

A share of the applicants whose result was returned score its handling on the national form
(1 not satisfied, 2 satisfied, 3 very satisfied), most of them satisfied and a few not, some
hours or days after the return; the satisfaction figure of the indicators and its QĐ 766 score
come from them. Drawn from their own ``random.Random`` of the seed, so the same traffic and seed
give the same evaluations and the traffic's own draws stay as they were.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import httpx

from gateway.demo.servers import DemoError
from gateway.demo.traffic import DemoEvent, SnapshotEvent
from mappings.dossier import VIETNAM, DossierStatus
from mappings.evaluation import Criterion, Evaluation

EVALUATION_RATE = 0.4
"""How often an applicant evaluates a returned dossier."""
DISSATISFIED_RATE = 0.1
"""How often an evaluation says the applicant was not satisfied."""
CRITERIA = ("1", "2", "3", "4", "5")
"""The criteria scored, by code (the portal's form takes any code of one to three digits unless
its criteria are configured)."""
PRAISE = (
    "Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.",
    "Thủ tục nhanh gọn, không phải đi lại nhiều lần.",
    "Nộp hồ sơ trực tuyến thuận tiện.",
)
COMPLAINTS = (
    "Phải bổ sung giấy tờ nhiều lần, hướng dẫn chưa rõ ràng.",
    "Thời gian chờ tại bộ phận một cửa còn lâu.",
)


def generate_evaluations(
    events: Sequence[DemoEvent], *, seed: int = 0, now: datetime | None = None
) -> list[Evaluation]:
    """The evaluations of the returned dossiers among ``events``, each dated after the return and
    no later than ``now``."""
    rng = random.Random(f"{seed}:evaluations")
    moment = (now or datetime.now(VIETNAM)).astimezone(VIETNAM)
    evaluations = []
    for event in events:
        dossier = event.dossier if isinstance(event, SnapshotEvent) else None
        if dossier is None or dossier.status is not DossierStatus.returned:
            continue
        if dossier.returned_at is None or rng.random() >= EVALUATION_RATE:
            continue
        satisfied = rng.random() >= DISSATISFIED_RATE
        later = dossier.returned_at + timedelta(minutes=rng.randint(30, 3 * 24 * 60))
        evaluations.append(
            Evaluation(
                dossier_code=dossier.code,
                account=f"tech-{rng.getrandbits(24):06x}",
                evaluated_at=min(later, moment),
                criteria=[
                    Criterion(code=code, score=_score(rng, satisfied=satisfied))
                    for code in CRITERIA
                ],
                comment=rng.choice(PRAISE if satisfied else COMPLAINTS),
            )
        )
    return evaluations


def _score(rng: random.Random, *, satisfied: bool) -> int:
    """One criterion's score: a satisfied applicant gives 2 or 3, a dissatisfied one 1."""
    return rng.choice((2, 3, 3)) if satisfied else 1


async def send_evaluations(
    gateway: httpx.AsyncClient,
    evaluations: Sequence[Evaluation],
    *,
    on_sent: Callable[[], object] = lambda: None,
) -> None:
    """Send each evaluation; the gateway queues it behind its dossier's events for the portal."""
    for evaluation in evaluations:
        sent = await gateway.post("/v1/evaluations", json=evaluation.model_dump(mode="json"))
        if sent.status_code != 202:
            raise DemoError(f"the gateway refused a demo evaluation: {sent.text[:300]}")
        on_sent()
