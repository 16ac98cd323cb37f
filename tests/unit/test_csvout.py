"""The one CSV writer defuses formula injection in every text cell, leaves numbers alone."""

import csv
import io

import pytest

from server.csvout import csv_text, safe_cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_becomes_text(start):
    assert safe_cell(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Maya Patel", "", "2025-07-01", "a=b", 3, -2, 2.5, None])
def test_everything_else_is_written_as_it_is(value):
    assert safe_cell(value) == value


def test_header_and_rows_go_through_it():
    text = csv_text(["=name", "points"], [['=HYPERLINK("https://evil.example","x")', -5]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=name", "points"],
        ['\'=HYPERLINK("https://evil.example","x")', "-5"],
    ]
