"""The spreadsheets we write: the blank template and a plan's export, with the headers the importer reads."""

from __future__ import annotations

import io

from django.db.models import OuterRef, Subquery
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..models import Action, ActionPlan, ProgressUpdate
from .columns import COLUMNS, HEADERS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WIDTHS = {
    "Ref": 8,
    "Finding": 14,
    "Action": 50,
    "Lead organisation": 28,
    "Lead officer": 30,
    "Start date": 12,
    "Due date": 12,
    "RAG": 8,
    "Status": 24,
    "Success measure": 40,
    "Latest update": 50,
}
_GUIDANCE = (
    (
        "Ref",
        "Required. Unique in the plan, for example 1.2. Importing again updates the action with this ref.",
    ),
    ("Finding", "The finding's reference, for example AW1; several separated by semicolons."),
    ("Action", "Required. What will be done."),
    ("Lead organisation", "The organisation's name as held in SEND Tracker. Blank: the council."),
    ("Lead officer", "Name or email address of a user in the area."),
    ("Start date", "Optional. 31/03/2024, 31 March 2024, or March 2024 (its last working day)."),
    ("Due date", "Required. As for the start date."),
    ("RAG", "Red, Amber or Green (or R, A, G). Blue is set by sign-off."),
    ("Status", "New actions: Not started or In progress. Later steps are taken on the action's page."),
    ("Success measure", "How you will know the action worked."),
    ("Latest update", "A changed text is posted as a new progress update."),
)


def _sheet(book: Workbook, plan_title: str):
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(list(HEADERS))
    for index, header in enumerate(HEADERS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(header, 16)
    sheet.freeze_panes = "A2"
    guidance = book.create_sheet("Guidance")
    guidance.append(["Column", "What to enter"])
    for row in _GUIDANCE:
        guidance.append(list(row))
    guidance.column_dimensions["A"].width = 20
    guidance.column_dimensions["B"].width = 100
    return sheet


def _as_text(cell) -> None:
    """A value starting with = + - @ must stay text: otherwise Excel would run it as a formula."""
    if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_template_xlsx() -> bytes:
    book = Workbook()
    _sheet(book, "")
    return _save(book)


def export_rows(plan: ActionPlan) -> list[list[object]]:
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk").values("text")[:1]
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("lead_organisation", "lead_officer")
        .prefetch_related("findings")
        .annotate(latest_update_text=Subquery(latest))
        .order_by("reference")
    )
    rows = []
    for action in actions:
        officer = action.lead_officer
        rows.append(
            [
                action.reference,
                "; ".join(f.reference for f in action.findings.all()),
                action.title,
                action.lead_organisation.name,
                f"{officer.get_full_name() or officer.username} <{officer.email}>"
                if officer and officer.email
                else (officer.username if officer else ""),
                action.start_date,
                action.due_date,
                action.get_rag_display(),
                action.get_status_display(),
                action.success_measure,
                action.latest_update_text or "",
            ]
        )
    return rows


def plan_export_xlsx(plan: ActionPlan) -> bytes:
    book = Workbook()
    sheet = _sheet(book, plan.title)
    date_columns = {i for i, column in enumerate(COLUMNS, start=1) if column.field in ("start_date", "due_date")}
    for values in export_rows(plan):
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row], start=1):
            if index in date_columns and cell.value is not None:
                cell.number_format = "DD/MM/YYYY"
            _as_text(cell)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _save(book)
