"""The columns a plan spreadsheet can have, and the header names areas actually give them."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # what our template and export write
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        "Ref",
        (
            "ref",
            "reference",
            "no",
            "number",
            "action no",
            "action ref",
            "action number",
            "ref no",
            "action reference",
            "id",
        ),
        required=True,
    ),
    Column(
        "finding",
        "Finding",
        (
            "finding",
            "findings",
            "area of weakness",
            "area of significant weakness",
            "weakness",
            "priority action",
            "area for priority action",
            "area for improvement",
            "improvement area",
            "finding ref",
        ),
    ),
    Column(
        "title",
        "Action",
        (
            "action",
            "actions",
            "what we will do",
            "action title",
            "description of action",
            "what will we do",
            "action description",
        ),
        required=True,
    ),
    Column(
        "lead_organisation",
        "Lead organisation",
        (
            "lead organisation",
            "lead organization",
            "lead agency",
            "lead org",
            "lead partner",
            "organisation",
            "organization",
            "lead organisation name",
        ),
    ),
    Column(
        "lead_officer",
        "Lead officer",
        (
            "lead officer",
            "lead",
            "owner",
            "responsible officer",
            "action owner",
            "responsible",
            "lead person",
            "officer",
        ),
    ),
    Column("start_date", "Start date", ("start", "start date", "from", "date started")),
    Column(
        "due_date",
        "Due date",
        (
            "due date",
            "deadline",
            "by when",
            "target date",
            "due",
            "completion date",
            "timescale",
            "end date",
            "date due",
        ),
        required=True,
    ),
    Column("rag", "RAG", ("rag", "rag rating", "rag status", "red amber green")),
    Column("status", "Status", ("status", "progress status", "action status")),
    Column(
        "success_measure",
        "Success measure",
        (
            "success measure",
            "impact measure",
            "how we will know",
            "measure of success",
            "success criteria",
            "outcome measure",
            "how will we know",
            "impact",
            "success measures",
        ),
    ),
    Column(
        "latest_update",
        "Latest update",
        (
            "latest update",
            "update",
            "progress update",
            "progress",
            "latest progress",
            "comments",
            "commentary",
        ),
    ),
)
BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED = tuple(column.field for column in COLUMNS if column.required)
HEADERS = tuple(column.header for column in COLUMNS)


def normalise(text: object) -> str:
    """Lower case, punctuation and extra spaces removed: "Ref." and " REF " are the same header."""
    value = re.sub(r"[^a-z0-9]+", " ", str(text or "").lower())
    return " ".join(value.split())


_ALIASES = {normalise(alias): column.field for column in COLUMNS for alias in (column.header, *column.aliases)}


def field_for_header(header: object) -> str | None:
    """The field a header names, or None. Exact names first, then a header that starts with a known name
    ("Due date (dd/mm/yyyy)", "Lead officer - name")."""
    text = normalise(header)
    if not text:
        return None
    if text in _ALIASES:
        return _ALIASES[text]
    for alias in sorted(_ALIASES, key=len, reverse=True):
        if len(alias) > 3 and text.startswith(alias + " "):
            return _ALIASES[alias]
    return None


def match_headers(headers: list[str]) -> dict[str, int]:
    """Field -> column index; the first column claiming a field wins, later ones are left unmapped."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = field_for_header(header)
        if field and field not in mapping:
            mapping[field] = index
    return mapping
