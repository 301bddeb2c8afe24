"""Reading the DfE "Timeliness of new EHC plans" file, as published on Explore Education Statistics (EES).

One row per geography and year. Local-authority rows are matched to areas by `new_la_code`; the National row of
the same year is England's comparator. Published suppression symbols mean "no figure" and are kept as missing,
never as zero. Parsing checks the whole file first and reports every problem with its row and column, so a bad
file is rejected before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from actions.models import Measure

SOURCE = "DfE, Education, health and care plans: timeliness (Explore Education Statistics)"

# The measures this file feeds: (column, measure name, unit, direction).
MEASURES = (
    (
        "pc_plans_issued_within_20_weeks",
        "New EHC plans issued within 20 weeks, including exceptions",
        "%",
        Measure.Direction.HIGHER_IS_BETTER,
    ),
    (
        "pc_plans_issued_20_weeks_ex",
        "New EHC plans issued within 20 weeks, excluding exceptions",
        "%",
        Measure.Direction.HIGHER_IS_BETTER,
    ),
    (
        "avg_weeks_issue_plan",
        "Average weeks to issue a new EHC plan",
        "weeks",
        Measure.Direction.LOWER_IS_BETTER,
    ),
)
VALUE_COLUMNS = tuple(column for column, *_ in MEASURES)
REQUIRED_COLUMNS = ("time_period", "geographic_level", "new_la_code", "la_name", *VALUE_COLUMNS)

# Symbols EES and DfE statistics use in place of a number: x not available, z not applicable, c confidential,
# low (rounds to zero but is not zero), u low reliability, k (older releases: fewer than 5), ":" and ".." (older
# "not available"), "~" (older "less than half the unit").
SUPPRESSION_CODES = frozenset({"x", "z", "c", "low", "u", "k", ":", "..", "~"})

NATIONAL = "national"
LOCAL_AUTHORITY = "local authority"
LA_CODE = re.compile(r"^E\d{8}$")
MAX_PROBLEMS = 50
MAX_VALUE = Decimal("1e10")


@dataclass(frozen=True)
class Problem:
    row: int  # line in the file; the header is line 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class RejectedFile(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Period:
    start: dt.date
    label: str


@dataclass
class ParsedFile:
    # (la_code, period start) -> (la_name, period, {column: value or None})
    local: dict[tuple[str, dt.date], tuple[str, Period, dict[str, Decimal | None]]] = field(default_factory=dict)
    national: dict[dt.date, dict[str, Decimal | None]] = field(default_factory=dict)
    other_geographies: int = 0
    other_breakdowns: int = 0


def parse_period(raw: str, identifier: str = "") -> Period:
    """`2024` is the calendar year; `202425` the academic year 2024/25 (or financial, when the file says so)."""
    raw = raw.strip()
    if re.fullmatch(r"\d{4}", raw):
        return Period(dt.date(int(raw), 1, 1), raw)
    match = re.fullmatch(r"(\d{4})(\d{2})", raw)
    if match and (int(match[1]) + 1) % 100 == int(match[2]):
        year = int(match[1])
        month = 4 if "financial" in identifier.lower() else 9
        return Period(dt.date(year, month, 1), f"{year}-{match[2]}")
    raise ValueError(f'"{raw}" is not a year such as 2024 or an academic year such as 202425')


def parse_value(raw: str) -> Decimal | None:
    text = raw.strip()
    if text == "":
        # Published files mark every missing figure with a symbol; an empty cell is more likely a slip.
        raise ValueError("this cell is empty; a figure that is not published has a symbol such as x or c")
    if text.lower() in SUPPRESSION_CODES:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(
            f'"{text}" is neither a number nor a published suppression code ({", ".join(sorted(SUPPRESSION_CODES))})'
        ) from None
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise ValueError(f'"{text}" is not a number SEND Tracker can store')
    # Stored to two decimal places; rounding here keeps a re-import of the same file from looking like a change.
    return value.quantize(Decimal("0.01"))


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Files saved from Excel on Windows are often cp1252.
        return data.decode("cp1252")


def parse(text: str) -> ParsedFile:
    """Read the whole file, collecting every problem; raise RejectedFile if there is any."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise RejectedFile([Problem(1, column, "this required column is missing") for column in missing])
    parsed = ParsedFile()
    problems: list[Problem] = []
    for line, row in enumerate(reader, start=2):
        if len(problems) >= MAX_PROBLEMS:
            break
        _read_row(parsed, problems, line, row)
    if problems:
        raise RejectedFile(problems)
    return parsed


def _cell(row: dict, column: str) -> str:
    value = row.get(column)
    return value.strip() if isinstance(value, str) else ""


def _read_row(parsed: ParsedFile, problems: list[Problem], line: int, row: dict) -> None:
    if None in row:
        problems.append(Problem(line, "", "this row has more cells than the header"))
        return
    if any(value is None for value in row.values()) and any(row.values()):
        problems.append(Problem(line, "", "this row has fewer cells than the header"))
        return
    if not any(_cell(row, column) for column in row):
        return  # a blank line at the end of the file
    # A file with breakdowns (by age, need...) also has a total row; only the total is imported.
    breakdown = _cell(row, "breakdown").lower()
    if breakdown not in ("", "total") or _cell(row, "breakdown_topic").lower() not in ("", "total"):
        parsed.other_breakdowns += 1
        return
    level = _cell(row, "geographic_level").lower()
    if level not in (NATIONAL, LOCAL_AUTHORITY):
        if level == "":
            problems.append(Problem(line, "geographic_level", "this cell is empty"))
        else:
            parsed.other_geographies += 1
        return
    try:
        period = parse_period(_cell(row, "time_period"), _cell(row, "time_identifier"))
    except ValueError as exc:
        problems.append(Problem(line, "time_period", str(exc)))
        return
    values: dict[str, Decimal | None] = {}
    for column in VALUE_COLUMNS:
        try:
            values[column] = parse_value(_cell(row, column))
        except ValueError as exc:
            problems.append(Problem(line, column, str(exc)))
    if len(values) < len(VALUE_COLUMNS):
        return
    if level == NATIONAL:
        if period.start in parsed.national:
            problems.append(Problem(line, "time_period", f"a second National row for {period.label}"))
        parsed.national[period.start] = values
        return
    code = _cell(row, "new_la_code").upper()
    if not LA_CODE.match(code):
        problems.append(Problem(line, "new_la_code", f'"{code}" is not an LA code such as E10000029'))
        return
    if (code, period.start) in parsed.local:
        problems.append(Problem(line, "new_la_code", f"a second row for {code} in {period.label}"))
        return
    parsed.local[(code, period.start)] = (_cell(row, "la_name"), period, values)
