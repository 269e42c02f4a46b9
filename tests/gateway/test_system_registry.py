"""A national system is one unit: added through the registry alone, it is configured, guarded,
probed, counted and measured like every other, without any generic code knowing its name."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from fastapi import FastAPI
from pydantic import Field
from typer.testing import CliRunner

from adapters import NationalSystem, PermanentError, SystemConfig, SystemGuard
from adapters.config import secret_field
from gateway.app import create_app
from gateway.bootstrap import InsecureDefaults, build
from gateway.cli import cli
from gateway.settings import Mode, Settings
from gateway.systems import SYSTEMS, load_config
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal

THROWAWAY = "land_survey"


class SurveyConfig(SystemConfig):
    title: ClassVar[str] = "land survey"

    account: str = Field(default="", description="The province's account.")
    password: str = secret_field(description="Its password.")

    def own_problems(self) -> list[str]:
        return [] if self.account else ["account is needed"]


class FakeSurvey:
    """The adapter of a system no generic code has heard of."""

    def __init__(self, config: SurveyConfig, guard: SystemGuard) -> None:
        self.config = config
        self.guard = guard
        self.closed = False

    async def parcel(self, number: str) -> dict[str, str]:
        return {"number": number}

    async def aclose(self) -> None:
        self.closed = True


SURVEY: NationalSystem[FakeSurvey] = NationalSystem(
    name=THROWAWAY,
    title="Hệ thống đo đạc thử",
    title_en="A throwaway survey system",
    config=SurveyConfig,
    connect=lambda config, guard, transport: FakeSurvey(config, guard),
    development={"account": "lienthong", "password": "lienthong-dev"},
)
REGISTRY = (*SYSTEMS, SURVEY)


@pytest.fixture
def fakes() -> dict[str, object]:
    return {"national_portal": FakePortal(), "document_axis": FakeAxis()}


@pytest.fixture
async def app(
    settings: Settings, fakes: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FastAPI]:
    monkeypatch.setenv("LIENTHONG_LAND_SURVEY_RATE_LIMIT", "7")
    application = create_app(settings, adapters=fakes, registry=REGISTRY)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
        yield c


async def test_a_system_added_to_the_registry_shows_in_readyz_status_and_metrics(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ready = (await client.get("/readyz")).json()
    status = (await client.get("/v1/status")).json()
    metrics = (await client.get("/metrics")).text

    assert ready["national"][THROWAWAY] == "ok"
    assert ready["circuits"][THROWAWAY]["state"] == "closed"
    assert status["targets"][THROWAWAY]["accepted"] == 0
    assert status["targets"][THROWAWAY]["circuit"]["state"] == "closed"
    assert f'lienthong_circuit_state{{system="{THROWAWAY}"}} 0.0' in metrics


async def test_its_settings_section_and_guard_come_from_its_own_variables(app: FastAPI) -> None:
    survey: FakeSurvey = app.state.gateway.national.adapter(SURVEY)

    assert survey.config.rate_limit == 7
    assert survey.config.account == "lienthong"
    assert survey.config.url == "http://127.0.0.1:8700/land-survey"
    assert survey.guard is app.state.gateway.national.guards[THROWAWAY]
    assert survey.guard.rate_limit.rate == 7


async def test_a_fresh_store_lists_every_system_in_use_with_zeros(
    client: httpx.AsyncClient,
) -> None:
    targets = (await client.get("/v1/status")).json()["targets"]

    assert set(targets) == {system.name for system in REGISTRY}
    assert all(target["accepted"] == 0 for target in targets.values())


def test_a_system_switched_off_is_not_built_and_refuses_calls(
    settings: Settings, fakes: dict[str, object]
) -> None:
    gateway = build(
        settings, adapters=fakes, registry=REGISTRY, systems={THROWAWAY: {"enabled": False}}
    )

    assert THROWAWAY not in gateway.national.in_use
    assert THROWAWAY not in gateway.national.guards
    with pytest.raises(PermanentError, match="LIENTHONG_LAND_SURVEY_ENABLED is false"):
        asyncio.run(gateway.national.adapter(SURVEY).parcel("1"))


def test_a_configuration_that_cannot_work_names_the_system_and_every_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIENTHONG_LAND_SURVEY_RETRIES", "0")
    monkeypatch.setenv("LIENTHONG_LAND_SURVEY_URL", "ftp://survey")

    with pytest.raises(ValueError, match="invalid land survey configuration") as raised:
        load_config(SURVEY, mocks_url="http://127.0.0.1:8700", overrides={"account": ""})

    for problem in ("url must be an http(s) URL", "retries", "account is needed"):
        assert problem in str(raised.value)


def test_variables_of_earlier_releases_still_set_what_they_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIENTHONG_BREAKER_COOL_DOWN", "4")
    monkeypatch.setenv("LIENTHONG_REGISTRY_TIMEOUT", "2.5")
    monkeypatch.setenv("LIENTHONG_POPULATION_REGISTRY_CLIENT", "VN/GOV/X/Y")
    monkeypatch.setenv("LIENTHONG_BUSINESS_REGISTRY_TIMEOUT", "3")
    configs: dict[str, Any] = {
        system.name: load_config(system, mocks_url="http://m.test") for system in SYSTEMS
    }

    assert {config.breaker_cool_down for config in configs.values()} == {4}
    assert configs["population_registry"].timeout == 2.5
    assert configs["population_registry"].x_road_client == "VN/GOV/X/Y"
    assert configs["business_registry"].timeout == 3, "a system's own variable wins"
    assert configs["national_portal"].timeout == 10


def test_production_refuses_a_system_secret_left_at_its_development_value(
    settings: Settings, fakes: dict[str, object]
) -> None:
    production = settings.model_copy(update={"mode": Mode.production})

    with pytest.raises(InsecureDefaults, match="LIENTHONG_LAND_SURVEY_PASSWORD"):
        build(production, adapters=fakes, registry=REGISTRY)


def test_status_refuses_a_store_that_does_not_exist_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", f"sqlite:///{missing}")

    result = CliRunner().invoke(cli, ["status"])

    assert result.exit_code == 2
    assert str(missing) in result.output.replace("\n", "")
    assert not missing.exists()


def test_status_of_a_fresh_store_lists_every_system_in_use_with_zeros(
    settings: Settings, fakes: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    gateway = build(settings, adapters=fakes)
    asyncio.run(gateway.store.migrate())
    keys = list(settings.keys_dir.rglob("*"))
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LIENTHONG_KEYS_DIR", str(settings.keys_dir / "never"))

    result = CliRunner().invoke(cli, ["status"], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    for system in SYSTEMS:
        assert system.name in result.output
    assert not (settings.keys_dir / "never").exists(), "status makes no keys"
    assert list(settings.keys_dir.rglob("*")) == keys
