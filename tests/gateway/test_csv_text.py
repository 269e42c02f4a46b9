"""CSV for spreadsheets (``gateway.csv_text``), shared by the console's exports and the reports."""

from __future__ import annotations

import csv
import io

from gateway.csv_text import csv_text


def test_text_a_spreadsheet_would_run_is_kept_as_text_and_the_rest_as_it_was() -> None:
    text = csv_text(
        ["name", "count"],
        [['=HYPERLINK("x")', 3], ["-1+1", -1], ["@SUM(A1)", 0], ["Nguyễn Văn A", None]],
    )
    assert text.startswith("name,count\r\n") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert rows == [
        ['\'=HYPERLINK("x")', "3"],
        ["'-1+1", "-1"],
        ["'@SUM(A1)", "0"],
        ["Nguyễn Văn A", ""],
    ]
