"""Importing an action plan from a spreadsheet: read, preview row by row, then apply in one transaction."""

from __future__ import annotations

from .apply import ImportRefused, ImportReport, import_apply, report_for
from .preview import CREATE, REJECTED, UNCHANGED, UPDATE, ImportPreview, import_preview
from .reader import MAX_ROWS, ImportFileError
from .workbook import XLSX_CONTENT_TYPE, plan_export_xlsx, plan_template_xlsx

__all__ = [
    "CREATE",
    "MAX_ROWS",
    "REJECTED",
    "UNCHANGED",
    "UPDATE",
    "XLSX_CONTENT_TYPE",
    "ImportFileError",
    "ImportPreview",
    "ImportRefused",
    "ImportReport",
    "import_apply",
    "import_preview",
    "plan_export_xlsx",
    "plan_template_xlsx",
    "report_for",
]
