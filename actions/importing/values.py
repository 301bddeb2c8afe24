"""Cell values as areas write them: Excel dates, UK text dates, RAG words or letters, status labels."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from openpyxl.utils.datetime import from_excel

from send_tracker.working_days import last_working_day_of_month

from ..models import Action


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is shown on the row."""


DATE_HINT = "Use a date such as 31/03/2024, 31 March 2024 or March 2024."
_DAY_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %B %y",
    "%d %b %y",
    "%A %d %B %Y",
    "%a %d %b %Y",
)
_MONTH_FORMATS = ("%B %Y", "%b %Y", "%b-%y", "%b-%Y", "%B %y", "%m/%Y")
# Excel serial numbers for 1 January 1990 and 31 December 2100: numbers outside are not dates in a plan.
_SERIAL_RANGE = (32874, 73415)


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date cell, an Excel serial number, or UK text. "March 2024" means the last working
    day of March 2024, which is how plans write "by the end of March"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return from_excel(value).date()
        raise ValueProblem(f'"{text(value)}" is not a date. {DATE_HINT}')
    raw = " ".join(str(value).split())
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw, flags=re.IGNORECASE)
    cleaned = re.sub(r"^(by|end of|by end of|by the end of|end)\s+", "", cleaned, flags=re.IGNORECASE).strip(" ,")
    cleaned = cleaned.replace(",", "")
    if re.fullmatch(r"\d{5}(\.0+)?", cleaned):
        return parse_date(float(cleaned))
    for fmt in _DAY_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    for fmt in _MONTH_FORMATS:
        try:
            month = dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        return last_working_day_of_month(month.year, month.month)
    raise ValueProblem(f'"{raw}" is not a date. {DATE_HINT}')


_RAG = {
    "r": Action.Rag.RED,
    "red": Action.Rag.RED,
    "a": Action.Rag.AMBER,
    "amber": Action.Rag.AMBER,
    "g": Action.Rag.GREEN,
    "green": Action.Rag.GREEN,
    "b": Action.Rag.BLUE,
    "blue": Action.Rag.BLUE,
    "blue signed off": Action.Rag.BLUE,
}


def parse_rag(value: object) -> str | None:
    raw = text(value)
    if not raw:
        return None
    key = " ".join(re.sub(r"[^a-z]+", " ", raw.lower()).split())
    if key in _RAG:
        return _RAG[key]
    raise ValueProblem(f'RAG "{raw}" is not one of Red, Amber, Green or Blue (or R, A, G, B).')


def _key(raw: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", raw.lower()).split())


_STATUS = {_key(label): value for value, label in Action.Status.choices}
_STATUS.update({value.replace("_", " "): value for value in Action.Status.values})
_STATUS.update(
    {
        "complete": Action.Status.COMPLETED,
        "completed": Action.Status.COMPLETED,
        "started": Action.Status.IN_PROGRESS,
        "ongoing": Action.Status.IN_PROGRESS,
        "on track": Action.Status.IN_PROGRESS,
        "not yet started": Action.Status.NOT_STARTED,
        "closed": Action.Status.SIGNED_OFF,
        "canceled": Action.Status.CANCELLED,
    }
)


def parse_status(value: object) -> str | None:
    raw = text(value)
    if not raw:
        return None
    key = " ".join(re.sub(r"[^a-z]+", " ", raw.lower()).split())
    if key in _STATUS:
        return _STATUS[key]
    labels = ", ".join(label for _, label in Action.Status.choices)
    raise ValueProblem(f'Status "{raw}" is not one of: {labels}.')


def suggestions(raw: str, names: list[str], limit: int = 3) -> list[str]:
    """Names close to what was typed, for "did you mean" hints on unknown organisations and officers."""
    lowered = {name.lower(): name for name in names}
    close = difflib.get_close_matches(raw.lower(), list(lowered), n=limit, cutoff=0.6)
    contained = [name for key, name in lowered.items() if raw.lower() in key or key in raw.lower()]
    result: list[str] = []
    for name in [*(lowered[c] for c in close), *contained]:
        if name not in result:
            result.append(name)
    return result[:limit]


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    return " Did you mean " + " or ".join(f'"{name}"' for name in names) + "?"


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


def split_many(value: object) -> list[str]:
    """Cells listing several findings: separated by semicolons or new lines."""
    return [part.strip() for part in re.split(r"[;\n]+", text(value)) if part.strip()]
