"""Questions, answers and evaluations with the national portal (NATIONAL-SYSTEMS.md §1c).

- **In**: the poller (``QuestionPoller``, one replica at a time) takes the questions citizens
  sent the province on the portal into the inbox, each once by its ``HOIDAPID``, and tells the
  one-stop system of each new one by a webhook (``question.received``), in the same
  transaction.
- **Out**: the one-stop system answers a question (``queue_answer``), publishes its own
  questions and answers (``queue_published``) and sends citizens' evaluations
  (``queue_evaluation``); each is put in the portal's format when it is accepted (a value the
  portal cannot carry is refused then) and delivered by the worker through the outbox.

``records`` has the units of work; the routes are ``gateway.api.questions``.
"""

from __future__ import annotations

from gateway.questions.poller import QuestionPoller, QuestionPollerConfig
from gateway.questions.records import (
    ANSWER,
    EVALUATION,
    PUBLISHED,
    QueuedEvent,
    StoredQuestion,
    dossier_known,
    find_question,
    inbox,
    queue_answer,
    queue_evaluation,
    queue_published,
    store_question,
)
from gateway.questions.service import PortalExchanges, PortalNotInUse

__all__ = [
    "ANSWER",
    "EVALUATION",
    "PUBLISHED",
    "PortalExchanges",
    "PortalNotInUse",
    "QuestionPoller",
    "QuestionPollerConfig",
    "QueuedEvent",
    "StoredQuestion",
    "dossier_known",
    "find_question",
    "inbox",
    "queue_answer",
    "queue_evaluation",
    "queue_published",
    "store_question",
]
