"""The portal's times: yyyyMMddHHmmss on the Vietnamese clock, strict out, checked in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mappings import VIETNAM, MappingError
from mappings.national_portal import format_portal_time, parse_portal_time


def test_vietnamese_time_is_written_as_fourteen_digits() -> None:
    assert format_portal_time(datetime(2025, 3, 1, 8, 30, 5, tzinfo=VIETNAM), "at") == (
        "20250301083005"
    )


def test_time_of_another_zone_is_written_on_the_vietnamese_clock() -> None:
    evening_utc = datetime(2025, 2, 28, 23, 30, tzinfo=UTC)
    new_york = datetime(2025, 2, 28, 18, 30, tzinfo=timezone(timedelta(hours=-5)))

    assert format_portal_time(evening_utc, "at") == "20250301063000"
    assert format_portal_time(new_york, "at") == "20250301063000"


def test_no_time_is_written_as_an_empty_string() -> None:
    assert format_portal_time(None, "at") == ""


def test_naive_time_is_refused_on_write_naming_the_field() -> None:
    with pytest.raises(MappingError, match=r"^received_at: .* has no time zone"):
        format_portal_time(datetime(2025, 3, 1, 8, 30), "received_at")


def test_fractions_of_a_second_are_not_written() -> None:
    precise = datetime(2025, 3, 1, 8, 30, 5, 999999, tzinfo=VIETNAM)

    assert format_portal_time(precise, "at") == "20250301083005"


def test_early_years_keep_four_digits() -> None:
    assert format_portal_time(datetime(999, 1, 2, 3, 4, 5, tzinfo=VIETNAM), "at") == (
        "09990102030405"
    )


def test_fourteen_digits_are_read_as_a_vietnamese_time() -> None:
    read = parse_portal_time("20250301083005", "NgayTiepNhan")

    assert read == datetime(2025, 3, 1, 1, 30, 5, tzinfo=UTC)
    assert read is not None
    assert read.tzinfo == VIETNAM


@pytest.mark.parametrize("blank", ["", "   "])
def test_empty_string_is_read_as_no_time(blank: str) -> None:
    assert parse_portal_time(blank, "NgayTra") is None


@pytest.mark.parametrize(
    "bad",
    ["2025030108300", "202503010830050", "2025-03-01T08:30:05", "20250229083005", "20251301000000"],
)
def test_bad_time_is_refused_naming_the_field_and_the_format(bad: str) -> None:
    with pytest.raises(MappingError) as caught:
        parse_portal_time(bad, "NgayHenTra")

    assert caught.value.field == "NgayHenTra"
    assert "yyyyMMddHHmmss in Asia/Ho_Chi_Minh" in caught.value.rule
