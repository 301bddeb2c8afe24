"""Workbooks for board papers: one sheet per section, a title in A1, one header row, no merged cells.

Text that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return) is prefixed
with an apostrophe and stored as text, so an action title such as "=HYPERLINK(...)" can never run on a board
member's computer.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel limits sheet names to 31 characters and forbids some punctuation.
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def safe_cell(value):
    """A value that openpyxl stores as data, never as a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            # Excel has no time zones; show the London wall-clock time.
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


@dataclass
class Sheet:
    name: str
    title: str
    columns: list[str]
    rows: list[list]


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name.translate(SHEET_NAME_FORBIDDEN)[:31])
        ws.append([safe_cell(sheet.title)])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([safe_cell(c) for c in sheet.columns])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
        for index, column in enumerate(sheet.columns, start=1):
            width = max([len(str(column)), *(len(str(r[index - 1])) for r in sheet.rows if index - 1 < len(r))])
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
        for row in ws.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    # Keep apostrophe-prefixed and other text as text whatever it looks like.
                    cell.data_type = "s"
                elif isinstance(cell.value, dt.date | dt.datetime):
                    cell.number_format = "d mmm yyyy" if not isinstance(cell.value, dt.datetime) else "d mmm yyyy hh:mm"
        ws.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
