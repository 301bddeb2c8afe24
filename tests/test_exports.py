"""CSV and XLSX exports keep text as text: no formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from send_tracker.exports import csv_response, neutralise, xlsx_bytes

DANGEROUS = ["=1+2", "+44 1234", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_triggers_get_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Plan 2.3", "", "a=b", "Waiting list - March"])
def test_ordinary_text_is_unchanged(value):
    assert neutralise(value) == value


def test_csv_neutralises_text_but_not_numbers_or_dates():
    response = csv_response(
        filename="actions", headers=["Title", "Percent", "Due"], rows=[["=1+2", -5, dt.date(2025, 3, 1)]]
    )
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Title", "Percent", "Due"], ["'=1+2", "-5", "2025-03-01"]]


def test_xlsx_cells_are_never_formulas():
    content = xlsx_bytes(
        title="Actions", headers=["Title", "Percent", "Due"], rows=[[v, 40, dt.date(2025, 3, 1)] for v in DANGEROUS]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "Actions"
    assert [c.value for c in sheet[2]] == ["Title", "Percent", "Due"]
    titles = [row[0] for row in sheet.iter_rows(min_row=3)]
    assert all(cell.data_type == "s" for cell in titles)
    # XML stores a carriage return as a line feed; the apostrophe is what matters.
    assert [cell.value for cell in titles] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert sheet["B3"].value == 40 and sheet["C3"].value == dt.datetime(2025, 3, 1)


def test_xlsx_drops_control_characters_it_cannot_hold():
    content = xlsx_bytes(title="T", headers=["Title"], rows=[["bell\x07 here"]])
    assert load_workbook(io.BytesIO(content)).active["A3"].value == "bell here"
