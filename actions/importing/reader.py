"""Turn an uploaded file into rows of cell values, or say clearly why it cannot be read.

Spreadsheets are read with openpyxl and `data_only=True`: a formula gives the value Excel saved with it and is
never evaluated here. CSV is decoded as UTF-8 (with or without a byte-order mark), falling back to
Windows-1252, which is what Excel writes on most council laptops.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .columns import match_headers

MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024
# How far down the sheet to look for the header row, past titles and logos.
HEADER_SEARCH_ROWS = 30

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE compound file with these streams, named in UTF-16.
ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message tells the user what to do."""


@dataclass
class Sheet:
    """The table found in the file: header row, data rows, and what we noticed on the way."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (spreadsheet row number, values)
    header_row: int
    warnings: list[str] = field(default_factory=list)
    # Rows that are one merged cell across the table: section headings such as "Area of weakness 1: ...".
    section_rows: dict[int, str] = field(default_factory=dict)
    # Row number -> (cell name, column index) of each formula cell.
    formula_cells: dict[int, list[tuple[str, int]]] = field(default_factory=dict)


def read_upload(data: bytes, filename: str) -> Sheet:
    if not data:
        raise ImportFileError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in ENCRYPTION_MARKERS):
            raise ImportFileError(
                "The file is password-protected. Open it in Excel, remove the password "
                "(File > Info > Protect Workbook > Encrypt with Password) and save it again."
            )
        raise ImportFileError("The file is in the old Excel 97-2003 (.xls) format. Save it as .xlsx and try again.")
    if data.startswith(b"PK"):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".docx")) or b"\x00" in data[:4096]:
        raise ImportFileError("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> Sheet:
    try:
        # Read-only first: it gives the sheet sizes cheaply, before the full load that merged cells need.
        formula_book = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
        for worksheet in formula_book.worksheets:
            if (worksheet.max_row or 0) - 1 > MAX_ROWS + HEADER_SEARCH_ROWS:
                formula_book.close()
                raise ImportFileError(_too_many_rows(worksheet.max_row - 1))
        values_book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(
            "The file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) or a CSV file."
        ) from exc
    try:
        candidates = [
            values_book.active,
            *[ws for ws in values_book.worksheets if ws is not values_book.active],
        ]
        for worksheet in candidates:
            if worksheet is None:
                continue
            sheet = _sheet_from_worksheet(worksheet, formula_book[worksheet.title])
            if sheet is not None:
                return sheet
    finally:
        formula_book.close()
    if all(ws.max_row <= 1 and ws.max_column <= 1 and ws.cell(1, 1).value is None for ws in values_book.worksheets):
        raise ImportFileError("The file is empty: no sheet has any data in it.")
    raise ImportFileError(_no_header_message())


def _too_many_rows(count: int) -> str:
    return (
        f"The file has {count:,} rows; a plan can have at most {MAX_ROWS:,}. "
        "Check for blank formatted rows at the bottom of the sheet, or split the file."
    )


def _no_header_message() -> str:
    return (
        "No header row was found. The sheet needs a row of column names including a reference (for example "
        '"Ref"), the action ("Action" or "What we will do") and a due date '
        '("Due date", "Deadline" or "By when").'
    )


def _sheet_from_worksheet(ws, formula_ws) -> Sheet | None:
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    while grid and all(_blank(value) for value in grid[-1]):
        grid.pop()
    if not grid:
        return None
    merged = list(ws.merged_cells.ranges)
    header_index = _find_header_row(grid, merged)
    if header_index is None:
        return None
    headers, data_start = _headers(grid, header_index, merged)
    warnings: list[str] = []
    sections: dict[int, str] = {}
    width = len(headers)
    _fill_merged_down(grid, merged, data_start, warnings)
    for cell_range in merged:
        top = cell_range.min_row - 1
        if top >= data_start and cell_range.min_col == 1 and cell_range.max_col >= min(width, 3):
            value = grid[top][0]
            if not _blank(value):
                sections[top + 1] = str(value).strip()
    rows = []
    for index in range(data_start, len(grid)):
        values = (grid[index] + [None] * width)[:width]
        if all(_blank(value) for value in values):
            continue
        rows.append((index + 1, values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_too_many_rows(len(rows)))
    for cell_range in merged:
        in_data = cell_range.min_row - 1 >= data_start and cell_range.min_row == cell_range.max_row
        if in_data and cell_range.min_row not in sections:
            warnings.append(f"Cells {cell_range.coord} are merged; only the first cell's value was read.")
    return Sheet(
        name=ws.title,
        headers=headers,
        rows=rows,
        header_row=header_index + 1,
        warnings=warnings,
        section_rows=sections,
        formula_cells=_formula_cells(formula_ws, data_start),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header_row(grid: list[list[object]], merged) -> int | None:
    """The row among the first few with the most recognised column names (at least two)."""
    best, best_score = None, 1
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        score = len(match_headers([str(v) if v is not None else "" for v in row]))
        if score > best_score:
            best, best_score = index, score
    return best


def _headers(grid: list[list[object]], index: int, merged) -> tuple[list[str], int]:
    """Header names, and the index of the first data row.

    A two-row header ("Lead" merged over "Organisation" and "Officer") is joined into "Lead Organisation" and
    "Lead Officer"; the data then starts a row later.
    """
    row = grid[index]
    width = max(len(r) for r in grid)
    headers = [str(row[i]).strip() if i < len(row) and row[i] is not None else "" for i in range(width)]
    spans = [r for r in merged if r.min_row == index + 1 and r.max_col > r.min_col and r.max_row == index + 1]
    if not spans or index + 1 >= len(grid):
        return _trim(headers), index + 1
    below = grid[index + 1]
    for cell_range in spans:
        parent = headers[cell_range.min_col - 1]
        for col in range(cell_range.min_col - 1, cell_range.max_col):
            child = str(below[col]).strip() if col < len(below) and below[col] is not None else ""
            headers[col] = f"{parent} {child}".strip()
    for col in range(width):
        in_span = any(r.min_col - 1 <= col < r.max_col for r in spans)
        if not in_span and not headers[col] and col < len(below) and below[col] is not None:
            headers[col] = str(below[col]).strip()
    return _trim(headers), index + 2


def _trim(headers: list[str]) -> list[str]:
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _fill_merged_down(grid: list[list[object]], merged, data_start: int, warnings: list[str]) -> None:
    """A cell merged down over several rows (one finding for many actions) belongs to each of those rows."""
    for cell_range in merged:
        if cell_range.max_row - 1 < data_start or cell_range.max_row == cell_range.min_row:
            continue
        top, left = cell_range.min_row - 1, cell_range.min_col - 1
        value = grid[top][left] if left < len(grid[top]) else None
        for r in range(max(top, data_start), min(cell_range.max_row, len(grid))):
            for c in range(left, cell_range.max_col):
                while len(grid[r]) <= c:
                    grid[r].append(None)
                grid[r][c] = value
        warnings.append(
            f"Cells {cell_range.coord} are merged; the value {_short(value)} was used for each of rows "
            f"{cell_range.min_row} to {cell_range.max_row}."
        )


def _short(value: object) -> str:
    text = str(value or "").strip()
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def _formula_cells(formula_ws, data_start: int) -> dict[int, list[tuple[str, int]]]:
    found: dict[int, list[tuple[str, int]]] = {}
    for row in formula_ws.iter_rows(min_row=data_start + 1):
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                name = f"{get_column_letter(cell.column)}{cell.row}"
                found.setdefault(cell.row, []).append((name, cell.column - 1))
    return found


def _read_csv(data: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportFileError("The file is not a spreadsheet or a CSV file we can read.")
    if not text.strip():
        raise ImportFileError("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        grid: list[list[object]] = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise ImportFileError(f"The CSV file could not be read: {exc}.") from exc
    while grid and all(_blank(v) for v in grid[-1]):
        grid.pop()
    if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise ImportFileError(_too_many_rows(len(grid)))
    header_index = _find_header_row(grid, [])
    if header_index is None:
        raise ImportFileError(_no_header_message())
    headers = _trim([str(v).strip() for v in grid[header_index]])
    width = len(headers)
    rows = [
        (index + 1, ([None if _blank(v) else v for v in grid[index]] + [None] * width)[:width])
        for index in range(header_index + 1, len(grid))
        if not all(_blank(v) for v in grid[index])
    ]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_too_many_rows(len(rows)))
    return Sheet(name="CSV", headers=headers, rows=rows, header_row=header_index + 1)
