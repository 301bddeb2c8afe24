"""CSV and XLSX downloads of tabular data, safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula (CSV/formula injection), so an action titled `=HYPERLINK(...)` could run in a board
member's spreadsheet. Every text cell goes through `neutralise`, which prefixes such values with an apostrophe,
the spreadsheet convention for "this is text". Numbers and dates are written as typed values and left alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XLSX (XML 1.0) cannot hold; openpyxl refuses a cell that contains one.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

Cell = str | int | float | Decimal | dt.date | dt.datetime | None


def neutralise(value: str) -> str:
    """Make a text value inert in a spreadsheet: a leading formula character gets an apostrophe before it."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        # Spreadsheets have no time zones: write the local wall-clock time people saw on the page.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return neutralise(str(value))


def csv_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> HttpResponse:
    response = HttpResponse(content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # A byte-order mark so Excel opens UTF-8 (names with accents, en dashes) correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(_cell(value)) for value in row])
    return response


def _csv_text(value: Cell) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """One sheet: the title in A1, one header row, then the data (no merged cells, no blank rows)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append([_xlsx_value(neutralise(title))])
    sheet.append([_xlsx_value(neutralise(h)) for h in headers])
    for row in rows:
        sheet.append([_xlsx_value(_cell(value)) for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            # openpyxl turns any string starting with "=" into a formula; text stays text whatever it holds.
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


def _sheet_title(title: str) -> str:
    # Sheet names: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1"


def xlsx_response(*, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title=title, headers=headers, rows=rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(
    fmt: str, *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """The download in `fmt` ("csv" or "xlsx"); callers check `fmt in FORMATS` first."""
    if fmt == "xlsx":
        return xlsx_response(filename=filename, title=title, headers=headers, rows=rows)
    return csv_response(filename=filename, headers=headers, rows=rows)
