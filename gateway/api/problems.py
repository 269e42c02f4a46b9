"""One error path for every route: RFC 9457 problem bodies (``application/problem+json``).

Every refusal the API makes, whoever raises it (a route's ``HTTPException``, FastAPI's request
validation, the token and body-size checks that run before a route, an error nobody expected),
is answered here with the same fields: ``type`` (a URN a program branches on), ``title``,
``status`` and ``detail`` (what happened and what to do, for a person), plus what the kind of
problem adds:

- 422 (``ValidationProblem``): ``errors``, each naming the field (``loc`` and ``field``), the
  rule it breaks (``type``, ``msg``) and at most a short excerpt of what was sent (``input``):
  never the whole input, whatever its size or shape;
- 409 (``ConflictProblem``): ``existing``, the path of the resource the request collides with;
- 413 (``TooLargeProblem``): ``limit`` and the ``setting`` that sets it;
- 500 (``InternalProblem``): ``error_id``, also in the log line of the error (logger
  ``gateway.errors``, with the stack trace), never the trace itself.

Routes declare what they may answer with ``problems(...)``; ``problem_schemas`` puts the models
in the OpenAPI document.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from http import HTTPStatus
from typing import Any, Literal

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE = "urn:lienthong:problem:"

EXCERPT_CHARS = 80
"""The most of a caller's input a 422 repeats, per error."""
MESSAGE_CHARS = 500
"""The longest message of one error (a rule quoting a huge value is cut in the middle)."""
MAX_ERRORS = 50
"""The most errors one 422 lists; ``detail`` says how many there were."""

log = logging.getLogger("gateway.errors")

_KINDS: Mapping[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    429: "too-many-requests",
    500: "internal",
    502: "national-system-failed",
    503: "unavailable",
}


def problem_type(status: int) -> str:
    return PROBLEM_TYPE + _KINDS.get(status, str(status))


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class Problem(BaseModel):
    """Something went wrong (RFC 9457): ``type`` for a program, ``detail`` for a person."""

    type: str = Field(description="A URN naming the kind of problem; branch on it.")
    title: str = Field(description="The kind of problem in a few words.")
    status: int = Field(description="The HTTP status, repeated.")
    detail: str = Field(description="What happened and what to do, for a person.")


class FieldError(BaseModel):
    """One rule a request breaks, at one place in it."""

    loc: list[str | int] = Field(
        description='Where: the part of the request ("body", "query", "path", "header"), then '
        "the path to the value."
    )
    field: str = Field(description='The same place in words, e.g. "applicant.id_number".')
    type: str = Field(description="The rule's name, for a program.")
    msg: str = Field(description="The rule, for a person.")
    input: str | None = Field(
        default=None,
        description=f"The start of what was sent there, at most {EXCERPT_CHARS} characters.",
    )


class ValidationProblem(Problem):
    """The request breaks the contract or a rule of the national formats: nothing was done."""

    status: Literal[422] = 422
    errors: list[FieldError] = Field(
        description=f"What is wrong, where (the first {MAX_ERRORS} errors)."
    )


class ConflictProblem(Problem):
    """The request collides with something the gateway already holds."""

    status: Literal[409] = 409
    existing: str | None = Field(
        default=None, description="The path of the resource the request collides with."
    )


class TooLargeProblem(Problem):
    """The request body is larger than the gateway reads; nothing of it was used."""

    status: Literal[413] = 413
    limit: int = Field(description="The most bytes a body may have on this route.")
    setting: str = Field(description="The setting that sets the limit.")


class InternalProblem(Problem):
    """The gateway failed in a way nobody planned for; the error id finds it in the log."""

    status: Literal[500] = 500
    error_id: str = Field(description="Quote it to the operators: the log line carries it.")


MODELS: tuple[type[Problem], ...] = (
    Problem,
    ValidationProblem,
    ConflictProblem,
    TooLargeProblem,
    InternalProblem,
)

_MODEL_OF: Mapping[int, type[Problem]] = {
    409: ConflictProblem,
    413: TooLargeProblem,
    422: ValidationProblem,
    500: InternalProblem,
}

_DESCRIPTIONS: Mapping[int, str] = {
    400: "The request cannot be read.",
    401: "No valid Bearer token: get one from POST /oauth/token. Checked before the body is read.",
    403: "The token does not carry the scope this route needs.",
    404: "Nothing the gateway holds matches the path.",
    409: "The request collides with something the gateway already holds (see existing).",
    413: "The body is larger than the limit (see limit and setting); nothing of it was used.",
    422: "The request breaks the contract or a rule of a national format (see errors).",
    429: "The client is over its rate; retry after the time given.",
    500: "An unexpected error; quote error_id to the operators.",
    502: "A national system failed in a way retrying will not mend.",
    503: "A national system is unavailable; retry after the time given.",
}

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}
_HEADERS: Mapping[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The Bearer challenge (RFC 6750).",
            "schema": {"type": "string"},
        }
    },
    429: _RETRY_AFTER,
    503: _RETRY_AFTER,
}


def problem_schema(status: int) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{_MODEL_OF.get(status, Problem).__name__}"}


def problems(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """``responses`` for a route: each status with its problem body (and headers), described
    generically or by ``descriptions`` (``not_found="No such dossier."`` for 404, by the
    status's phrase in snake case)."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        phrase = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
        response: dict[str, Any] = {
            "description": descriptions.get(phrase, _DESCRIPTIONS.get(status, _title(status))),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": problem_schema(status)}},
        }
        if status in _HEADERS:
            response["headers"] = _HEADERS[status]
        declared[status] = response
    return declared


def declare_common(document: dict[str, Any]) -> None:
    """Declare in an OpenAPI document what any route may answer, whatever it does: 413 and 500
    everywhere (the body limit and the unexpected), 401, 403 and 429 where a token is needed
    (``security``), 422 as a ``ValidationProblem`` where there is anything to validate, a
    problem body for every error a route declared without one (its ``HTTPException`` is answered
    here); and put the problem models among its components, in place of FastAPI's validation
    error."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            common = [413, 500]
            if operation.get("security"):
                common += [401, 403, 429]
            if operation.get("parameters") or operation.get("requestBody"):
                if "HTTPValidationError" in json.dumps(responses.get("422", {})):
                    del responses["422"]
                common.append(422)
            for status, response in problems(*common).items():
                responses.setdefault(str(status), response)
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400 and "content" not in response:
                    schema = problem_schema(int(status))
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": schema}}
            operation["responses"] = dict(sorted(responses.items()))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(problem_schemas())
    document["components"]["schemas"] = dict(sorted(schemas.items()))


def problem_schemas() -> dict[str, Any]:
    """The problem models as OpenAPI components."""
    _, schemas = models_json_schema(
        [(model, "serialization") for model in MODELS],
        ref_template="#/components/schemas/{model}",
    )
    found: dict[str, Any] = schemas.get("$defs", {})
    return found


def problem_response(
    status: int,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    model: type[Problem] = Problem,
    **extra: Any,
) -> JSONResponse:
    problem = model(
        type=extra.pop("type", problem_type(status)),
        title=_title(status),
        status=status,
        detail=detail,
        **extra,
    )
    return JSONResponse(
        problem.model_dump(mode="json"),
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_MEDIA_TYPE,
    )


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable rendering of ``value``, whatever its size, depth or content: at most
    ``limit`` characters (then "…"), lone surrogates escaped, non-finite numbers spelt out."""
    text = _render(value, 0, limit).encode("utf-8", "backslashreplace").decode("utf-8")
    return text[:limit] + "…" if len(text) > limit else text


_MEMBERS = 5
_DEPTH = 3


def _render(value: Any, depth: int, limit: int) -> str:
    if isinstance(value, str):
        return json.dumps(value[: limit + 1], ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 256:
            return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)[: limit + 1]
    if isinstance(value, Mapping | list | tuple):
        items = list(value.items()) if isinstance(value, Mapping) else list(value)
        opening, closing = ("{", "}") if isinstance(value, Mapping) else ("[", "]")
        if depth >= _DEPTH and items:
            return f"{opening}…{closing}"
        members = [
            f"{_render(item[0], _DEPTH, 20)}: {_render(item[1], depth + 1, limit)}"
            if isinstance(value, Mapping)
            else _render(item, depth + 1, limit)
            for item in items[:_MEMBERS]
        ]
        if len(items) > _MEMBERS:
            members.append("…")
        return opening + ", ".join(members) + closing
    return f"<{type(value).__name__}>"


def _bounded(message: str) -> str:
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(message) <= MESSAGE_CHARS:
        return message
    return message[: MESSAGE_CHARS // 3] + " … " + message[-(MESSAGE_CHARS * 2 // 3) :]


def field_name(loc: Sequence[str | int]) -> str:
    """``("body", "dossiers", 1, "code")`` → ``dossiers[1].code``."""
    words = ""
    for part in loc[1:]:
        if isinstance(part, int):
            words += f"[{part}]"
        else:
            words += f".{part}" if words else str(part)
    return words or (str(loc[0]) if loc else "request")


def _field_error(error: Mapping[str, Any]) -> FieldError:
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    message = str(error.get("msg", ""))
    context = error.get("ctx") or {}
    if error.get("type") == "json_invalid" and "error" in context:
        message = f"the body is not JSON: {context['error']} (at character {loc[-1]})"
        loc = loc[:1]
    given = error.get("input")
    return FieldError(
        loc=loc,
        field=field_name(loc),
        type=str(error.get("type", "invalid")),
        msg=_bounded(message),
        input=None if given is None or error.get("type") == "missing" else excerpt(given),
    )


def validation_problem(errors: Sequence[Mapping[str, Any]]) -> JSONResponse:
    listed = [_field_error(error) for error in errors[:MAX_ERRORS]]
    if listed:
        first = listed[0]
        more = f" ({len(errors) - 1} more below)" if len(errors) > 1 else ""
        detail = f"{first.field}: {first.msg}{more}"
    else:
        detail = "the request breaks the contract"
    return problem_response(422, detail, model=ValidationProblem, errors=listed)


async def answer_invalid(request: Request, error: Exception) -> JSONResponse:
    """The 422 for FastAPI's ``RequestValidationError`` (an exception handler of the app)."""
    assert isinstance(error, RequestValidationError)
    return validation_problem(list(error.errors()))


UNREADABLE_BODY = "There was an error parsing the body"
"""What FastAPI says, with a 400, of a body its JSON parser gave up on."""


def unreadable(cause: BaseException) -> str:
    if isinstance(cause, RecursionError):
        return "the body is not JSON the gateway reads: it nests arrays or objects too deeply"
    if isinstance(cause, UnicodeDecodeError):
        return f"the body is not JSON: it is not UTF-8 ({cause.reason} at byte {cause.start})"
    return f"the body is not JSON the gateway reads: {_bounded(str(cause))}"


async def answer_http_error(request: Request, error: Exception) -> JSONResponse:
    """Any ``HTTPException`` as a problem, its headers kept (an exception handler of the app).

    FastAPI answers a body it failed to parse with a bare 400; one nested past what the JSON
    parser recurses into is a 422 naming the rule instead.
    """
    assert isinstance(error, HTTPException)
    if error.status_code == 400 and error.detail == UNREADABLE_BODY and error.__cause__:
        return validation_problem(
            [{"type": "json_invalid", "loc": ("body",), "msg": unreadable(error.__cause__)}]
        )
    detail = error.detail if isinstance(error.detail, str) else json.dumps(error.detail)
    model = ConflictProblem if error.status_code == 409 else Problem
    extra = getattr(error, "problem", None) or {}
    return problem_response(error.status_code, detail, headers=error.headers, model=model, **extra)


class Conflict(HTTPException):
    """A 409 naming the resource the request collides with."""

    def __init__(self, detail: str, existing: str | None = None) -> None:
        super().__init__(409, detail=detail)
        self.problem = {"existing": existing}


class Unexpected:
    """Whatever escapes every handler becomes a 500 problem with an error id; the error, with its
    trace and that id, goes to the log (``gateway.errors``), never to the caller."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            error_id = uuid.uuid4().hex[:16]
            route = scope.get("route")
            where = getattr(route, "path", None) or scope.get("path", "?")
            log.exception(
                "unexpected error %s answering %s %s", error_id, scope.get("method"), where
            )
            if started:
                return
            response = problem_response(
                500,
                f"the gateway failed unexpectedly; quote error {error_id} to its operators",
                model=InternalProblem,
                error_id=error_id,
            )
            await response(scope, receive, send)
