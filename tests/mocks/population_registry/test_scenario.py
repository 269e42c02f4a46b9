"""The population registry's scenario state: citizens a test changes, adds or removes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from mocks.population import Person, population
from mocks.population_registry.scenario import person_json
from tests.mocks.population_registry.samples import NS, Registry, ask

LOOKUP = "TraCuuThongTinCongDan"


async def put(http: httpx.AsyncClient, spec: Any) -> httpx.Response:
    return await http.put("/__admin/scenario", json=spec)


async def found_name(registry: Registry, person: Person) -> str | None:
    """The ``HoVaTen/Ten`` the registry answers for a lookup of ``person``, or None."""
    answer = await registry.call(LOOKUP, ask(person))
    return answer.findtext(f".//{{{NS}}}CongDan/{{{NS}}}HoVaTen/{{{NS}}}Ten")


async def test_a_changed_citizen_is_what_lookups_find(
    http: httpx.AsyncClient, registry: Registry, adult: Person
) -> None:
    renamed = replace(adult, given_name="Thảo", full_name=f"{adult.family_name} Thảo")

    response = await put(http, {"citizens": [person_json(renamed)]})

    assert response.status_code == 200
    assert response.json() == {"citizens": [person_json(renamed)], "removed": []}
    assert await found_name(registry, renamed) == "Thảo"
    assert await found_name(registry, adult) is None, "the old name no longer matches"
    citizen = (await http.get(f"/__admin/citizens/{adult.personal_id}")).json()
    assert citizen["given_name"] == "Thảo"


async def test_an_added_citizen_is_found_with_their_household_head(
    http: httpx.AsyncClient, registry: Registry, adult: Person
) -> None:
    newcomer = replace(adult, personal_id="001099000001", old_id=None, spouse_id=None)
    newcomer = replace(newcomer, father_id=None, mother_id=None)

    await put(http, {"citizens": [person_json(newcomer)]})
    answer = await registry.call(LOOKUP, ask(newcomer))

    assert answer.findtext(f".//{{{NS}}}CongDan/{{{NS}}}SoDinhDanh") == "001099000001"
    assert answer.find(f".//{{{NS}}}CongDan/{{{NS}}}ChuHo") is not None


async def test_a_removed_citizen_is_not_found(
    http: httpx.AsyncClient, registry: Registry, adult: Person
) -> None:
    await put(http, {"removed": [adult.personal_id]})

    assert await found_name(registry, adult) is None
    assert (await http.get(f"/__admin/citizens/{adult.personal_id}")).status_code == 404
    await http.post("/__admin/reset")
    assert await found_name(registry, adult) == adult.given_name


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"personal_id": "12345"}, "citizens.0.personal_id:"),
        ({"sex": "other"}, "citizens.0.sex:"),
        ({"date_of_birth": "1990-02-30"}, "citizens.0.date_of_birth: 1990-02-30 is not a date"),
        ({"hometown": {"province_code": "01"}}, "citizens.0.hometown:"),
    ],
)
async def test_a_bad_citizen_is_refused_naming_the_field(
    http: httpx.AsyncClient, change: dict[str, Any], named: str
) -> None:
    record = {**person_json(population().adults()[0]), **change}

    response = await put(http, {"citizens": [record]})

    assert response.status_code == 400
    assert response.json()["error"].startswith(named), response.json()["error"]
    assert (await http.get("/__admin/scenario")).json() == {"citizens": [], "removed": []}
