"""A national system as one unit: the entry each adapter package declares for the registry.

Each adapter package exports one ``NationalSystem`` as ``SYSTEM``; the gateway's registry
(``gateway.systems``) lists them, and everything generic (settings, guards, start and close,
``/readyz``, ``/v1/status``, metrics, the CLI) iterates it. ``connect`` builds the real adapter
from its config and guard; the adapter is typed as its port ``P``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import httpx

from adapters.config import SystemConfig
from adapters.guard import SystemGuard

P = TypeVar("P", covariant=True)


class Closeable(Protocol):
    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class NationalSystem(Generic[P]):
    """What the gateway needs to know of one national system to run it generically.

    - ``name``: the system's one name (``national_portal``); the mocks serve it under
      ``/<name with dashes>``.
    - ``title`` and ``title_en``: how operators know it (Vietnamese first).
    - ``config``: its settings model, read from ``LIENTHONG_<env>_<FIELD>`` (``env`` defaults to
      the name in capitals).
    - ``connect``: the real adapter, from a config, the guard the gateway shows, and a transport
      that replaces the network (tests route it to a mock in process; None in service).
    - ``mock``: the path ``lienthong mocks`` serves it under, when not ``/<name with dashes>``.
    - ``development``: values that reach the local mocks, used when nothing is set (the
      credentials the mocks accept); production refuses to start on the secret ones.
    - ``probe``: a harmless call proving the system answers and accepts our credentials, made
      with the adapter and its config; it returns a short description of what the system said
      and raises an ``adapters.errors`` error when it fails. The operators' "test now" and
      ``lienthong doctor`` run it; a system without one cannot be tested.
    """

    name: str
    title: str
    title_en: str
    config: type[SystemConfig]
    connect: Callable[[Any, SystemGuard, httpx.AsyncBaseTransport | None], P]
    env: str = ""
    mock: str = ""
    development: Mapping[str, object] = field(default_factory=dict)
    probe: Callable[[Any, Any], Awaitable[str]] | None = None

    @property
    def env_prefix(self) -> str:
        return f"LIENTHONG_{self.env or self.name.upper()}_"

    @property
    def mock_path(self) -> str:
        """Where ``lienthong mocks`` serves the system: ``/<name with dashes>`` unless set."""
        return self.mock or "/" + self.name.replace("_", "-")
