"""The seeded directory: GetOrganizations, and the identifier scheme it follows."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from mocks.document_axis.directory import DirectoryError, parent_of
from tests.mocks.document_axis.samples import Caller

SEED = Path(__file__).resolve().parents[3] / "mocks" / "document_axis" / "data"


@pytest.mark.parametrize(
    ("organ_id", "parent"),
    [
        ("000.00.00.H56", None),
        ("000.00.21.H56", "000.00.00.H56"),
        ("000.01.21.H56", "000.00.21.H56"),
        ("001.01.21.H56", "000.01.21.H56"),
        ("000.00.18.G12", "000.00.00.G12"),
    ],
)
def test_a_unit_s_parent_is_its_identifier_one_level_up(organ_id: str, parent: str | None) -> None:
    assert parent_of(organ_id) == parent


def test_an_identifier_out_of_the_scheme_is_refused() -> None:
    with pytest.raises(DirectoryError, match="H56"):
        parent_of("H56.00.00")


async def test_get_organizations_lists_the_seed_with_departments(thanh_hoa: Caller) -> None:
    listed = (await thanh_hoa.call("GetOrganizations")).records("organization")

    by_id = {o["organId"]: o for o in listed}
    with (SEED / "organisations.csv").open(encoding="utf-8") as stream:
        seeded = list(csv.DictReader(stream))
    assert len(seeded) == 30
    assert all(by_id[row["organ_id"]]["name"] == row["name_vi"] for row in seeded)
    assert by_id["000.00.00.H56"] == {"organId": "000.00.00.H56", "name": "UBND tỉnh Thanh Hóa"}
    assert by_id["000.01.21.H56"]["parentId"] == "000.00.21.H56"
    assert by_id["000.00.18.G12"]["parentId"] == "000.00.00.G12"
    children = Counter(o["parentId"][-3:] for o in listed if "parentId" in o)
    provinces = [code for code in children if code.startswith("H")]
    ministries = [code for code in children if code.startswith("G")]
    assert len(provinces) >= 2
    assert len(ministries) >= 3
