"""Who is calling the API, and what they may see.

Until API clients authenticate with scoped tokens, every caller is the development client with
every scope; the dependency is the one place that will change when they do, and tests override
it to check what a narrower scope sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

SCOPES = (
    "dossiers:write",
    "dossiers:read",
    "documents:send",
    "documents:read",
    "citizens:lookup",
    "citizens:lookup:family",
    "citizens:lookup:sensitive",
    "businesses:lookup",
    "audit:read",
    "ops:read",
    "ops:write",
)


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    scopes: frozenset[str]


DEVELOPMENT_CALLER = Caller("development", frozenset(SCOPES))


async def get_caller() -> Caller:
    return DEVELOPMENT_CALLER


CallerDep = Annotated[Caller, Depends(get_caller)]
