"""Reading what the monitoring centre answered into what it said or the error tree.

The public client judges an answer by its HTTP status alone (``IsSuccessStatusCode``) and keeps
the body in its log: a 2xx is taken, whatever its body. Other statuses are read as every adapter
reads them (``adapters.failures``): 5xx, 408 and 429 are worth retrying, a 4xx is the centre
refusing the event, with what it said. What it says is kept short and free of control characters.
"""

from __future__ import annotations

import httpx

from adapters.failures import response_failure
from adapters.monitoring_centre.port import SYSTEM

SAID_CHARS = 300
"""The most of a reply kept in an error or an answer."""


def said(response: httpx.Response) -> str:
    """What the centre wrote back, on one line and at most ``SAID_CHARS`` long."""
    text = " ".join(response.text.split())
    return text[:SAID_CHARS] or f"HTTP {response.status_code}"


def read_tracked(response: httpx.Response, operation: str) -> str:
    """What the centre said of an event it took; raises the error tree otherwise."""
    failure = response_failure(SYSTEM, response, operation, refusal=said(response))
    if failure is not None:
        raise failure
    return said(response)


def read_reachable(response: httpx.Response, operation: str) -> str:
    """The tracking address takes POST alone: 405 (or a 2xx) to a GET proves it answers there;
    anything else is read as a failure (404: nothing is at the address)."""
    if response.status_code == 405 or response.is_success:
        return f"the tracking address answers (HTTP {response.status_code} to GET)"
    failure = response_failure(SYSTEM, response, operation, refusal=said(response))
    if failure is not None:
        raise failure
    return said(response)
