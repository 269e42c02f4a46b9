"""Reading what the registry answered, or failed to answer, into values or the error tree.

This is the one place where httpx's and authlib's exceptions and HTTP statuses become adapter
errors:

- no answer (time-out, the attempt's deadline, a connection error): ``TransientError``;
- HTTP 408, 429, 5xx: ``TransientError`` with ``retry_after`` from ``Retry-After``;
- HTTP 401/403 after one token re-fetch, or the token endpoint refusing the client:
  ``AuthError``;
- HTTP 404: no such enterprise, read as None by the lookups;
- HTTP 400: ``PermanentError`` with the registry's message and the rule the code breaks;
- any other status but 2xx (redirects are not followed): ``PermanentError``;
- a 200 that is not a JSON record of the contract: ``TransientError`` (lookups are safe to
  repeat); a record that cannot be read into the canonical ``Business``: ``PermanentError``
  naming the registry's field, since it reads the same way however often it is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from pydantic import ValidationError

from adapters.business_registry.port import SYSTEM
from adapters.errors import AdapterError, AuthError, PermanentError, TransientError
from adapters.retry import parse_retry_after
from mappings.errors import MappingError
from mappings.registries.business import Business
from mappings.registries.business_registry import business_from_registry

_TRANSIENT_STATUSES = frozenset({408, 429})
_AUTH_STATUSES = frozenset({401, 403})


def malformed(operation: str, what: str) -> TransientError:
    return TransientError(SYSTEM, f"{operation} answered {what}")


def _json_body(response: httpx.Response) -> object:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _status_failure(response: httpx.Response, operation: str) -> AdapterError | None:
    status = response.status_code
    if response.is_success or status == httpx.codes.NOT_FOUND:
        return None
    said = f"{operation}: HTTP {status}"
    body = _json_body(response)
    if status in _TRANSIENT_STATUSES or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return TransientError(SYSTEM, f"{said} from the registry", retry_after=retry_after)
    if status in _AUTH_STATUSES:
        return AuthError(SYSTEM, f"{said}: the registry refused the client's token")
    if isinstance(body, dict) and body.get("error"):
        rule = f" (rule: {body['rule']})" if body.get("rule") else ""
        return PermanentError(SYSTEM, f"{said}: the registry refused it: {body['error']}{rule}")
    return PermanentError(SYSTEM, f"{said} from the registry")


def check_token_response(response: httpx.Response) -> httpx.Response:
    """Translate token endpoint failures authlib would misread (a hook on its token responses).

    Overload and outage become transient; a 2xx that is not a token becomes malformed. Refusals
    in the OAuth2 error format are left to authlib, which raises ``OAuthError``, translated to
    ``AuthError`` by ``translated_failures``.
    """
    failure = _status_failure(response, "token")
    if isinstance(failure, TransientError) and not isinstance(failure, AuthError):
        raise failure
    body = _json_body(response)
    if isinstance(body, dict) and ("error" in body or (failure is None and "access_token" in body)):
        return response
    raise failure or malformed("token", f"HTTP {response.status_code} without a token")


@contextmanager
def translated_failures(operation: str) -> Iterator[None]:
    """Turn failures to get any answer (transport, token endpoint) into the error tree."""
    try:
        yield
    except (httpx.TimeoutException, TimeoutError) as exc:
        raise TransientError(
            SYSTEM, f"{operation}: no answer in time ({type(exc).__name__})"
        ) from exc
    except httpx.RequestError as exc:
        raise TransientError(
            SYSTEM, f"{operation}: could not reach the registry ({type(exc).__name__})"
        ) from exc
    except OAuthError as exc:
        raise AuthError(SYSTEM, f"the token endpoint refused the client: {exc.error}") from exc


def read_reply(response: httpx.Response, operation: str) -> Mapping[str, Any] | None:
    """The JSON object of a successful exchange, None for a 404, or the error it amounts to."""
    failure = _status_failure(response, operation)
    if failure is not None:
        raise failure
    if response.status_code == httpx.codes.NOT_FOUND:
        return None
    body = _json_body(response)
    if not isinstance(body, dict):
        raise malformed(operation, f"HTTP {response.status_code} without a JSON object")
    return body


def read_business(record: Mapping[str, Any], operation: str, where: str = "") -> Business:
    """One ``GetEntCert`` record as a ``Business``."""
    try:
        return business_from_registry(record)
    except MappingError as exc:
        raise PermanentError(
            SYSTEM, f"{operation}: a record the gateway cannot read: {where}{exc}"
        ) from None
    except ValidationError as exc:
        fields = ", ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_input=False)[:3]
        )
        raise PermanentError(
            SYSTEM, f"{operation}: a record the gateway cannot read: {where}{fields}"
        ) from None


def read_branches(body: Mapping[str, Any], operation: str) -> list[Business]:
    """The ``ChiNhanh`` records of a branches reply, in the registry's order."""
    records = body.get("ChiNhanh")
    if records is None:
        return []
    if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
        raise malformed(operation, "ChiNhanh that is not a list of records")
    return [
        read_business(record, operation, f"ChiNhanh[{index}] ")
        for index, record in enumerate(records)
    ]
