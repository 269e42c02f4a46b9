"""The one mapping from transport failures and HTTP statuses to the error tree (``errors``).

Every adapter's failures go through here, whatever its protocol:

- no answer (httpx's time-outs, the attempt's deadline): ``TransientError`` "no answer in time";
- no connection, a reset, a broken reply: ``TransientError`` "could not reach";
- the OAuth2 token endpoint refusing the client (authlib's ``OAuthError``): ``AuthError``;
- HTTP 408, 429 and 5xx: ``TransientError`` with ``retry_after`` from ``Retry-After``;
- HTTP 401 and 403: ``AuthError`` (adapters refresh their credentials once before that);
- a redirect (never followed: the request may carry credentials): ``PermanentError`` naming where
  it points;
- any other status but 2xx (a 4xx): ``RefusedError`` with what the system said.

Protocol-specific readings (a SOAP Fault, a JSON envelope's error code) stay in each adapter's
``reply`` module, which calls ``status_failure`` for what is left.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from authlib.integrations.base_client import OAuthError
from pydantic import ValidationError

from adapters.errors import AdapterError, AuthError, PermanentError, RefusedError, TransientError
from adapters.retry import parse_retry_after

TRANSIENT_STATUSES = frozenset({408, 429})
AUTH_STATUSES = frozenset({401, 403})


def is_transient_status(status: int) -> bool:
    return status in TRANSIENT_STATUSES or status >= 500


def status_failure(
    system: str,
    said: str,
    status: int,
    *,
    retry_after: float | None = None,
    location: str | None = None,
    refusal: str | None = None,
) -> AdapterError | None:
    """What HTTP ``status`` amounts to for a call ``said`` describes ("GetDocument: HTTP 503"),
    or None for a 2xx. ``refusal`` is what the system said of a content it refused."""
    if 200 <= status < 300:
        return None
    if is_transient_status(status):
        return TransientError(system, f"{said} from the system", retry_after=retry_after)
    if status in AUTH_STATUSES:
        return AuthError(system, f"{said}: the system refused the credentials; check them")
    if 300 <= status < 400:
        where = f" to {location}" if location else ""
        return PermanentError(
            system, f"{said}: the address redirects{where}; configure the new address"
        )
    return RefusedError(system, f"{said}: {refusal}" if refusal else said)


def response_failure(
    system: str, response: httpx.Response, operation: str, *, refusal: str | None = None
) -> AdapterError | None:
    """``status_failure`` for an httpx response to ``operation``."""
    return status_failure(
        system,
        f"{operation}: HTTP {response.status_code} {response.reason_phrase}".rstrip(),
        response.status_code,
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
        location=response.headers.get("Location"),
        refusal=refusal,
    )


@contextmanager
def translated_failures(system: str, operation: str) -> Iterator[None]:
    """Turn failures to get any answer (transport, deadline, token endpoint) into the tree."""
    try:
        yield
    except (httpx.TimeoutException, TimeoutError) as exc:
        raise TransientError(
            system, f"{operation}: no answer in time ({type(exc).__name__})"
        ) from exc
    except httpx.RequestError as exc:
        raise TransientError(
            system, f"{operation}: could not reach the system ({type(exc).__name__})"
        ) from exc
    except httpx.HTTPStatusError as exc:
        failure = response_failure(system, exc.response, operation)
        raise (failure or TransientError(system, f"{operation}: an unreadable answer")) from exc
    except OAuthError as exc:
        raise AuthError(system, f"the token endpoint refused the client: {exc.error}") from exc


def unreadable_record(
    system: str, operation: str, error: ValidationError | str, where: str = ""
) -> PermanentError:
    """A record the system sent that cannot be read into the canonical model: permanent, since
    it reads the same way however often it is fetched. Names at most three fields and the rule
    each breaks, never the values (they may be personal data); ``where`` says which record of
    several it was."""
    if isinstance(error, ValidationError):
        error = ", ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors(include_input=False)[:3]
        )
    return PermanentError(system, f"{operation}: a record the gateway cannot read: {where}{error}")
