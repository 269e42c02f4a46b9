"""One audited access to a citizen's data: asked, then recorded whatever came of it.

Every lookup of personal data in a national registry goes through ``audited``: the record is
written once the outcome is known, in its own transaction, so a registry that fails still leaves
one record (outcome ``error`` with its reason) and the caller still gets the failure.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.errors import AdapterError
from gateway.registries.audit import Access, Auditor
from gateway.store import Store

T = TypeVar("T")


async def audited(
    store: Store,
    auditor: Auditor,
    access: Access,
    ask: Callable[[], Awaitable[tuple[T, str]]],
    detail: Callable[[T], str | None] | None = None,
) -> T:
    """The value ``ask`` answers, after recording ``access`` with the outcome ``ask`` names (and
    what ``detail`` says of the value, already masked); an ``AdapterError`` is recorded as
    ``error`` with its reason and raised again."""
    try:
        result, outcome = await ask()
    except AdapterError as error:
        reason = error.reason
        await store.write(lambda c: auditor.record(c, access, "error", reason))
        raise
    said = None if detail is None else detail(result)
    await store.write(lambda c: auditor.record(c, access, outcome, said))
    return result
