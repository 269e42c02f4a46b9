"""Request verification: matching journal entries, and the near-miss report when none match."""

from __future__ import annotations

import re
from typing import Any

from mocks.verification import ANY, Expectation, describe_misses, matching, near_misses


def entry(n: int, service: str, request: Any, status: int | None = 200) -> dict[str, Any]:
    return {
        "id": n,
        "method": "POST",
        "path": "/api",
        "service": service,
        "status": status,
        "request": request,
        "received_at": f"2025-03-01T02:30:0{n}.000+00:00",
    }


JOURNAL = [
    entry(1, "login", {"username": "lienthong"}),
    entry(2, "DongBoHoSoMC", {"isUpdating": "False", "data": [{"MaHoSo": "H-0001"}]}),
    entry(3, "DongBoHoSoMC", {"isUpdating": "True", "data": [{"MaHoSo": "H-0002"}]}),
    entry(4, "CapNhatTienDoHoSoMC", {"data": [{"MaHoSo": "H-0002", "TrangThai": "4"}]}),
]


def test_values_may_be_exact_patterns_checks_or_anything() -> None:
    assert [
        e["id"] for e in matching(JOURNAL, Expectation(where={"data[*].MaHoSo": "H-0002"}))
    ] == [3, 4]
    pattern = Expectation("DongBoHoSoMC", {"data[0].MaHoSo": re.compile(r"H-\d{4}")})
    assert len(matching(JOURNAL, pattern)) == 2
    check = Expectation(where={"data[*].TrangThai": lambda v: int(v) > 3})
    assert [e["id"] for e in matching(JOURNAL, check)] == [4]
    assert len(matching(JOURNAL, Expectation(where={"username": ANY}))) == 1


def test_near_misses_are_ranked_by_how_close_they_came() -> None:
    wanted = Expectation("DongBoHoSoMC", {"data[*].MaHoSo": "H-0003", "isUpdating": "True"})

    closest = near_misses(JOURNAL, wanted)

    assert [c.entry["id"] for c in closest] == [3, 2, 4]
    assert [(c.met, c.of) for c in closest] == [(2, 3), (1, 3), (0, 3)]


def test_the_report_names_each_differing_field() -> None:
    wanted = Expectation("DongBoHoSoMC", {"data[*].MaHoSo": "H-0003", "isUpdating": "True"})

    report = describe_misses("national_portal", wanted, JOURNAL, limit=2)

    assert report.splitlines() == [
        'national_portal received no DongBoHoSoMC with data[*].MaHoSo = "H-0003", '
        'isUpdating = "True".',
        "Its journal holds 4 requests; the 2 closest, closest first:",
        "  #3 POST /api DongBoHoSoMC, 2025-03-01T02:30:03.000+00:00, HTTP 200: 2 of 3 met",
        '      data[*].MaHoSo: expected "H-0003", got "H-0002"',
        "  #2 POST /api DongBoHoSoMC, 2025-03-01T02:30:02.000+00:00, HTTP 200: 1 of 3 met",
        '      data[*].MaHoSo: expected "H-0003", got "H-0001"',
        '      isUpdating: expected "True", got "False"',
    ]


def test_an_empty_journal_says_so() -> None:
    report = describe_misses("document_axis", Expectation("SendDocument"), [])

    assert report.splitlines()[1] == "Its journal is empty: no request reached it."
