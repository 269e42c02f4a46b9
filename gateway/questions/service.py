"""``PortalExchanges``: the questions inbox and what the province sends the portal besides
dossiers, as the API uses them; one object per gateway (``Gateway.questions``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from gateway.questions.poller import QuestionPoller
from mappings.dossier import VIETNAM
from mappings.evaluation import Evaluation
from mappings.questions import Answer, PublishedQuestion

if TYPE_CHECKING:
    from gateway.delivery.national_portal import PortalDelivery


class PortalNotInUse(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "the national portal is not in use here (LIENTHONG_NATIONAL_PORTAL_ENABLED is "
            "false): nothing can be sent to it"
        )


@dataclass(slots=True)
class PortalExchanges:
    """The poller of questions, and the portal's formats of what goes back (``None`` when the
    portal is switched off: then ``encode_*`` raise ``PortalNotInUse``)."""

    poller: QuestionPoller
    delivery: PortalDelivery | None

    def _delivery(self) -> PortalDelivery:
        if self.delivery is None:
            raise PortalNotInUse()
        return self.delivery

    def encode_answer(self, question_id: str, unit_code: str, answer: Answer) -> str:
        """The answer in the portal's format, dated today (Vietnam) when undated."""
        today: date = datetime.now(VIETNAM).date()
        return self._delivery().encode_answer(question_id, unit_code, answer, today)

    def encode_published(self, question: PublishedQuestion) -> str:
        return self._delivery().encode_published(question)

    def encode_evaluation(self, evaluation: Evaluation) -> str:
        return self._delivery().encode_evaluation(evaluation)
