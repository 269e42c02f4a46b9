"""What a route on the intake's hot path reads by hand rather than through FastAPI's parameters.

FastAPI solves a route's declared dependencies, headers and body on every request, and each of
them costs tens of microseconds of the event loop. For ``POST /v1/dossiers``, the route a
one-stop system calls for every dossier, that was a quarter of the event loop's time
(``bench/README.md``). Such a route takes only the ``Request`` and reads, in this order, what a
declared route would: its caller (``caller.caller_of``), then the backlog (``Backlog.admit``),
then its headers and its JSON body here, with the same rules and the same 4xx as FastAPI's. Its
OpenAPI operation declares them with ``openapi_extra`` (``declared``), so the contract and the
``TokenFirst`` guard, which reads the document's ``security``, are what they were.
"""

from __future__ import annotations

import email.message
import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from gateway.api.problems import unreadable

T = TypeVar("T")


def declared(*, scope: str, body: str, headers: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """``openapi_extra`` for a route read by hand: its scope, its header parameters, and its
    JSON body, the name of a schema among the document's components."""
    return {
        "security": [{"OAuth2": [scope]}],
        "parameters": list(headers),
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        },
    }


def text_header(name: str, *, max_length: int, description: str) -> dict[str, Any]:
    """An optional text header as OpenAPI declares it, for ``declared`` and ``header``."""
    return {
        "name": name,
        "in": "header",
        "required": False,
        "schema": {
            "anyOf": [{"type": "string", "maxLength": max_length}, {"type": "null"}],
            "description": description,
            "title": name,
        },
        "description": description,
    }


def header(request: Request, declared_as: dict[str, Any]) -> str | None:
    """The header ``declared_as`` (a ``text_header``), if sent; 422 past its length."""
    name = declared_as["name"]
    value = request.headers.get(name)
    limit = declared_as["schema"]["anyOf"][0]["maxLength"]
    if value is not None and len(value) > limit:
        raise RequestValidationError(
            [
                {
                    "type": "string_too_long",
                    "loc": ("header", name),
                    "msg": f"String should have at most {limit} characters",
                    "input": value,
                }
            ]
        )
    return value


async def json_body(request: Request, adapter: TypeAdapter[T]) -> T:
    """The request's JSON body validated by ``adapter``; 422 naming the field and the rule, as
    FastAPI answers: a body missing, not sent as JSON, not JSON, or breaking the model."""
    raw = await request.body()
    if not raw:
        raise _invalid("missing", ("body",), "Field required")
    if not _is_json(request.headers.get("content-type")):
        raise _invalid(
            "content_type",
            ("body",),
            "the body must be JSON, sent as Content-Type: application/json",
        )
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
            ]
        ) from None
    except (RecursionError, ValueError) as error:
        raise _invalid("json_invalid", ("body",), unreadable(error)) from None
    try:
        return adapter.validate_python(data, from_attributes=True)
    except ValidationError as error:
        raise RequestValidationError(
            [{**found, "loc": ("body", *found["loc"])} for found in error.errors(include_url=False)]
        ) from None


def _is_json(content_type: str | None) -> bool:
    """``application/json`` or any ``application/…+json``, parameters aside."""
    if content_type == "application/json":
        return True
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _invalid(kind: str, where: tuple[str | int, ...], rule: str) -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": where, "msg": rule}])
