"""What can go wrong when talking to a national system, as a small tree callers branch on.

::

    AdapterError                 something went wrong talking to ``system``
    ├── TransientError           worth trying again later: time-outs, connection errors, 5xx, 429
    │   └── AuthError            credentials refused even after one refresh; retried as transient
    └── PermanentError           the national side refused the content; retrying cannot help
        └── RefusedError         it refused what was asked of it (an HTTP 4xx, a SOAP Client
                                 Fault, a request that does not fit its contract): for a
                                 lookup, the caller's own input

The delivery worker retries ``TransientError`` with backoff stored in the database (honouring
``retry_after`` when the national side gave one) and dead-letters ``PermanentError`` at once with
its ``reason``. Adapters translate their library's exceptions into this tree at one place each.
The API answers a ``RefusedError`` of a lookup as the caller's mistake (422, with the system's
reason), and any other failure as the gateway's or the system's (502, 503).
"""

from __future__ import annotations


class AdapterError(Exception):
    """A failure talking to the national system ``system``; ``reason`` says what it said."""

    def __init__(self, system: str, reason: str) -> None:
        super().__init__(f"{system}: {reason}")
        self.system = system
        self.reason = reason


class TransientError(AdapterError):
    """The call may succeed later; ``retry_after`` is the wait the national side asked for."""

    def __init__(self, system: str, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(system, reason)
        self.retry_after = retry_after


class AuthError(TransientError):
    """Credentials were refused even after refreshing them once."""


class PermanentError(AdapterError):
    """The national side refused the content itself; sending it again cannot succeed."""


class RefusedError(PermanentError):
    """The national side refused what it was asked (a 4xx, a SOAP Client Fault, a request that
    does not fit its contract), as opposed to answering something the gateway cannot use (a
    redirect, a record it cannot read)."""
