"""The registry of national systems, and each system's settings section read from it.

``SYSTEMS`` lists one entry per national system (``adapters.system.NationalSystem``, declared
by the system's own adapter package). Everything generic iterates it: the composition root
builds each system's config, guard and adapter from it, ``/readyz``, ``/v1/status``, the
metrics and ``lienthong status`` list the systems in use, the README's settings table is
generated from it. Adding a system adds its entry here and nothing else generic.

A system's settings come from ``LIENTHONG_<ENV>_<FIELD>`` (environment or ``.env``), read with
pydantic-settings into the system's own config model; what is not set falls back to the
development values that reach ``lienthong mocks`` (``LIENTHONG_MOCKS_URL`` plus the system's
mock path, and the credentials the mocks accept). Variables of earlier releases keep working:
``LEGACY`` says what each now sets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import httpx
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    SettingsConfigDict,
)

from adapters import (
    BUSINESS_REGISTRY,
    DOCUMENT_AXIS,
    LINKED_SERVICES,
    NATIONAL_PORTAL,
    POPULATION_REGISTRY,
    NationalSystem,
    PermanentError,
    SystemConfig,
    SystemGuard,
)
from adapters.config import is_secret
from adapters.land_registry import LAND_REGISTRY
from adapters.monitoring_centre import MONITORING_CENTRE
from adapters.national_reporting import NATIONAL_REPORTING
from adapters.national_sso import NATIONAL_SSO
from adapters.results_store import RESULTS_STORE
from adapters.social_insurance import SOCIAL_INSURANCE

P = TypeVar("P")

SYSTEMS: tuple[NationalSystem[Any], ...] = (
    NATIONAL_PORTAL,
    LINKED_SERVICES,
    DOCUMENT_AXIS,
    POPULATION_REGISTRY,
    BUSINESS_REGISTRY,
    LAND_REGISTRY,
    SOCIAL_INSURANCE,
    RESULTS_STORE,
    NATIONAL_SSO,
    NATIONAL_REPORTING,
    MONITORING_CENTRE,
)
"""Every national system lienthong knows, in the order operators see them."""


@dataclass(frozen=True, slots=True)
class Legacy:
    """A variable of an earlier release and the field it now sets, in which systems (all when
    ``systems`` is empty), when their own variable is not set."""

    field: str
    systems: tuple[str, ...] = ()


LEGACY: dict[str, Legacy] = {
    "LIENTHONG_REGISTRY_TIMEOUT": Legacy("timeout", ("population_registry", "business_registry")),
    "LIENTHONG_BREAKER_FAILURES": Legacy("breaker_failures"),
    "LIENTHONG_BREAKER_COOL_DOWN": Legacy("breaker_cool_down"),
    "LIENTHONG_POPULATION_REGISTRY_CLIENT": Legacy("x_road_client", ("population_registry",)),
    "LIENTHONG_SSO_ISSUER": Legacy("url", ("national_sso",)),
}


class _LegacySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_", env_file=".env", extra="ignore")

    registry_timeout: str | None = None
    breaker_failures: str | None = None
    breaker_cool_down: str | None = None
    population_registry_client: str | None = None
    sso_issuer: str | None = None


def _legacy_values(system: NationalSystem[Any]) -> dict[str, object]:
    found = _LegacySettings().model_dump(exclude_none=True)
    values: dict[str, object] = {}
    for variable, legacy in LEGACY.items():
        value = found.get(variable.removeprefix("LIENTHONG_").lower())
        if value is not None and (not legacy.systems or system.name in legacy.systems):
            values[legacy.field] = value
    return values


def _section(system: NationalSystem[Any]) -> type[BaseSettings]:
    """The system's config model as pydantic-settings reads it, under its prefix."""
    return type(
        f"{system.config.__name__}Section",
        (BaseSettings,),
        {
            "__annotations__": {name: Any for name in system.config.model_fields},
            **dict.fromkeys(system.config.model_fields),
            "model_config": SettingsConfigDict(
                env_prefix=system.env_prefix, env_file=".env", extra="ignore"
            ),
        },
    )


def read_environment(system: NationalSystem[Any]) -> dict[str, object]:
    """The fields of ``system`` set by ``LIENTHONG_<ENV>_*`` variables or ``.env``, as given."""
    section = _section(system)
    return {**DotEnvSettingsSource(section)(), **EnvSettingsSource(section)()}


def development_values(system: NationalSystem[Any], mocks_url: str) -> dict[str, object]:
    """What reaches ``lienthong mocks`` at ``mocks_url`` when nothing is set."""
    return {"url": mocks_url.rstrip("/") + system.mock_path, **system.development}


def load_config(
    system: NationalSystem[Any],
    *,
    mocks_url: str,
    overrides: Mapping[str, object] | SystemConfig | None = None,
) -> SystemConfig:
    """The system's config: ``overrides`` (a ready config, or fields), over the environment,
    over earlier releases' variables, over the development values. A config that cannot work
    raises ``ValueError`` naming every problem and the system."""
    if isinstance(overrides, SystemConfig):
        return overrides
    values = {
        **development_values(system, mocks_url),
        **_legacy_values(system),
        **read_environment(system),
        **(overrides or {}),
    }
    return system.config.model_validate(values)


def development_secrets(system: NationalSystem[Any], config: SystemConfig) -> list[str]:
    """The variables of ``system`` whose secret still holds its published development value."""
    return [
        f"{system.env_prefix}{name.upper()}"
        for name, value in system.development.items()
        if is_secret(system.config, name) and getattr(config, name) == value
    ]


class NotInUse:
    """Stands for a system switched off (``LIENTHONG_<SYSTEM>_ENABLED=false``): every call
    fails at once with ``PermanentError`` saying so, and nothing is sent."""

    def __init__(self, system: NationalSystem[Any]) -> None:
        self.system = system

    async def aclose(self) -> None:
        return None

    def __getattr__(self, verb: str) -> Callable[..., Awaitable[Any]]:
        async def refuse(*args: object, **kwargs: object) -> Any:
            raise PermanentError(
                self.system.name,
                f"{verb}: not in use here ({self.system.env_prefix}ENABLED is false)",
            )

        return refuse


@dataclass(slots=True)
class NationalSystems:
    """The national systems as built for one gateway: each one's entry, config, guard and
    adapter, by name. Systems switched off have a config and a ``NotInUse`` adapter, no guard.
    """

    entries: dict[str, NationalSystem[Any]]
    configs: dict[str, SystemConfig]
    adapters: dict[str, Any]
    guards: dict[str, SystemGuard]

    @classmethod
    def build(
        cls,
        registry: tuple[NationalSystem[Any], ...],
        configs: Mapping[str, SystemConfig],
        *,
        adapters: Mapping[str, object] | None = None,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> NationalSystems:
        """One guard and one adapter per system in use. An adapter given ready-made (a fake in
        tests) keeps the guard it carries, if any, so that the guard shown is the one its calls
        go through; ``transports`` route the real adapters' traffic (to a mock in process)."""
        given, routes = adapters or {}, transports or {}
        built = cls(entries={}, configs={}, adapters={}, guards={})
        for entry in registry:
            config = configs[entry.name]
            built.entries[entry.name] = entry
            built.configs[entry.name] = config
            if not config.enabled:
                built.adapters[entry.name] = NotInUse(entry)
                continue
            adapter = given.get(entry.name)
            carried = getattr(adapter, "guard", None)
            guard = carried if isinstance(carried, SystemGuard) else config.guard(entry.name)
            built.guards[entry.name] = guard
            built.adapters[entry.name] = (
                adapter
                if adapter is not None
                else entry.connect(config, guard, routes.get(entry.name))
            )
        return built

    def adapter(self, system: NationalSystem[P]) -> P:
        """The adapter of ``system``, typed as its port (``NotInUse`` when switched off)."""
        return cast(P, self.adapters[system.name])

    @property
    def in_use(self) -> list[str]:
        """The names of the systems in use, in the registry's order."""
        return [name for name in self.entries if name in self.guards]

    async def aclose(self) -> None:
        for adapter in self.adapters.values():
            await adapter.aclose()
