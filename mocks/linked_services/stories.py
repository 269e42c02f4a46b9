"""What stories can follow on the inter-connected services mock, and decide.

Entity kinds, read from each request:

``submission``  the DVCLT code (``maHoSo``) a request is about: the detail asked for (by its
                id), the acknowledgement's ``maHoSo``, the status's ``soHoSoLT``
``token``       the bearer token a call carries

Answers:

``resubmit``    (``list``, with ``each: true``) the citizen has sent the submission again after a
                supplement request, so the list returns it again, with its new paperwork; it
                needs the supplement request (a status 2) first, else it does nothing
``not_found``   (``detail``, ``acknowledge``, ``status``) answered as for a submission the system
                does not hold
``expired``     (any service) the token expires now; the client must renew it

A story for "the list returns this submission again after a supplement request"::

    {"name": "supplemented", "entity": "submission",
     "states": {"asked": [{"on": "status", "where": {"trangThai": 2}, "then": "waiting"}],
                "waiting": [{"on": "list", "each": true, "answer": "resubmit", "then": "done"}],
                "done": []}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mocks.linked_services.submissions import Submissions
from mocks.stories import AnswerKind, Call, EntityReader
from mocks.tokens import TokenStore, bearer_of

RESUBMIT = "resubmit"
NOT_FOUND = "not_found"
EXPIRED = "expired"


def entities(submissions: Submissions) -> dict[str, EntityReader]:
    def submission(call: Call) -> Sequence[str]:
        body = call.readable
        if not isinstance(body, dict):
            return []
        if call.service == "detail":
            found = submissions.by_id(str(body.get("id", "")))
            return [found.maHoSo] if found else []
        code = body.get("soHoSoLT") if call.service == "status" else body.get("maHoSo")
        return [code] if isinstance(code, str) and code else []

    return {"submission": submission, "token": bearer_of}


def answers(submissions: Submissions, tokens: TokenStore) -> dict[str, AnswerKind]:
    def resubmit(entity: str, params: Mapping[str, Any]) -> None:
        submissions.resubmit(entity)

    def expire(entity: str, params: Mapping[str, Any]) -> None:
        tokens.expire(entity)

    return {
        RESUBMIT: AnswerKind(
            "the submission is sent again after a supplement request, so the list returns it",
            services=("list",),
            before=resubmit,
        ),
        NOT_FOUND: AnswerKind(
            "answered as for a submission the system does not hold",
            services=("detail", "acknowledge", "status"),
        ),
        EXPIRED: AnswerKind("the token expires now; the client must renew it", before=expire),
    }
