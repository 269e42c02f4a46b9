"""Reading what the inter-connected services answered into values or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``);
this module adds what is the system's own. Acknowledgements and statuses are answered in **text**
(plain, or a JSON string or object holding it), judged by its words, as the public client judges
them (``NATIONAL-SYSTEMS.md`` §1b), case and diacritics as written (NFC, case-folded):

- done: it says ``thành công`` (and not ``không thành công``);
- final, not retried: the dossier is refused (``từ chối``), already exists (``đã tồn tại``), does
  not exist (``không tồn tại``) or already has its result (``đã có kết quả``);
- permanent (``PermanentError``): ``logic xử lý không hợp lệ``;
- retry later (``TransientError``): ``chưa cập nhật trạng thái``, ``có lỗi trong quá trình thêm
  mới``, ``server error``, a SOAP fault, and anything else it cannot tell.

The list and the detail are JSON (``{"data": ...}``). A list element the gateway cannot read is
left out with a warning (it stays listed, and is tried again next time); a detail it cannot read
is ``PermanentError`` naming the field, since it reads the same however often it is fetched.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from enum import StrEnum
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.errors import AuthError, RefusedError, TransientError
from adapters.failures import response_failure, unreadable_record
from adapters.linked_services.port import SYSTEM, Answer
from mappings.linked_services import ListedSubmission, SubmissionDetail

log = logging.getLogger(f"adapters.{SYSTEM}")

SAID_CHARS = 300
"""The most of a reply kept in an error or an answer."""


class Verdict(StrEnum):
    done = "done"
    final = "final"
    permanent = "permanent"
    retry = "retry"


_FINAL = ("từ chối", "đã tồn tại", "không tồn tại", "đã có kết quả")
_PERMANENT = ("logic xử lý không hợp lệ",)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def judge(text: str) -> Verdict:
    """What a text reply to an acknowledgement or a status amounts to."""
    words = _folded(text)
    if any(_folded(p) in words for p in _PERMANENT):
        return Verdict.permanent
    if "thành công" in words and "không thành công" not in words:
        return Verdict.done
    if any(_folded(p) in words for p in _FINAL):
        return Verdict.final
    return Verdict.retry


def said(response: httpx.Response) -> str:
    """The text of a reply: a JSON string's or object's message, else the body as sent."""
    text = response.text.strip()
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return text[:SAID_CHARS]
    if isinstance(body, str):
        return body[:SAID_CHARS]
    if isinstance(body, dict):
        for key in ("message", "Message", "msg", "data", "result"):
            if isinstance(body.get(key), str):
                return str(body[key])[:SAID_CHARS]
    return text[:SAID_CHARS]


def read_answer(response: httpx.Response, operation: str) -> Answer:
    """The answer to an acknowledgement or a status, or the error it amounts to."""
    status = response.status_code
    if status >= 500 or status in (401, 403, 408, 429) or 300 <= status < 400:
        failure = response_failure(SYSTEM, response, operation)
        raise failure or TransientError(SYSTEM, f"{operation}: HTTP {status}")
    text = said(response)
    verdict = judge(text)
    if verdict is Verdict.done:
        return Answer(text)
    if verdict is Verdict.final:
        return Answer(text, final=True)
    if verdict is Verdict.permanent:
        raise RefusedError(SYSTEM, f"{operation}: the system refused it: {text}")
    raise TransientError(
        SYSTEM, f"{operation}: the system said to try again: {text or '(nothing)'}"
    )


def _json(response: httpx.Response, operation: str) -> Any:
    failure = response_failure(SYSTEM, response, operation)
    if failure is not None:
        raise failure
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TransientError(
            SYSTEM, f"{operation}: HTTP {response.status_code} without JSON: {said(response)}"
        ) from None


def read_list(response: httpx.Response, operation: str) -> list[ListedSubmission]:
    """The list's submissions, those it cannot read left out (and logged)."""
    body = _json(response, operation)
    items = body.get("data") if isinstance(body, dict) else None
    if items is None and isinstance(body, dict) and "data" in body:
        return []
    if not isinstance(items, list):
        raise TransientError(SYSTEM, f"{operation}: a reply without a data list")
    found: list[ListedSubmission] = []
    for index, item in enumerate(items):
        try:
            found.append(ListedSubmission.model_validate(item))
        except ValidationError as error:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors()[:3])
            log.warning(
                "%s: data[%d] cannot be read (%s); left for later", operation, index, fields
            )
    return found


def read_detail(response: httpx.Response, operation: str) -> SubmissionDetail | None:
    """The submission in full, or None when the system no longer holds it (404, or null
    ``data``)."""
    if response.status_code == httpx.codes.NOT_FOUND:
        return None
    body = _json(response, operation)
    data = body.get("data") if isinstance(body, dict) else None
    if data is None:
        if isinstance(body, dict) and "data" in body:
            return None
        raise TransientError(SYSTEM, f"{operation}: a reply without data")
    try:
        return SubmissionDetail.model_validate(data)
    except ValidationError as error:
        raise unreadable_record(SYSTEM, operation, error) from None


def read_token(response: httpx.Response) -> tuple[str, str | None]:
    """The token and refresh token of a sign-in or refresh reply, or the error it amounts to:
    ``AuthError`` when the account (or refresh token) is refused."""
    if response.status_code in (400, 401, 403):
        raise AuthError(
            SYSTEM, f"token: HTTP {response.status_code}: the account was refused: {said(response)}"
        )
    body = _json(response, "token")
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise TransientError(SYSTEM, "token: a reply without a token")
    refresh = body.get("refreshToken")
    return token, refresh if isinstance(refresh, str) and refresh else None


__all__ = [
    "Verdict",
    "judge",
    "read_answer",
    "read_detail",
    "read_list",
    "read_token",
    "said",
]
