"""The action list as a django-tables2 table, and the columns of its CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import django_tables2 as tables
from django.utils import timezone

from .models import Action


class ActionTable(tables.Table):
    reference = tables.Column(linkify=("action_detail", {"pk": tables.A("pk")}), verbose_name="Ref")
    title = tables.Column(linkify=("action_detail", {"pk": tables.A("pk")}))
    area = tables.Column(accessor="plan__area__name", verbose_name="Area", order_by=("plan__area__name",))
    lead = tables.TemplateColumn(
        template_name="actions/_lead_cell.html",
        verbose_name="Lead",
        order_by=("lead_organisation__name", "lead_officer__last_name"),
    )
    due_date = tables.TemplateColumn(template_name="actions/_due_cell.html", verbose_name="Due")
    status = tables.TemplateColumn(template_name="actions/_status_tag.html", verbose_name="Status")
    rag = tables.TemplateColumn(template_name="actions/_rag_tag.html", verbose_name="RAG")

    class Meta:
        model = Action
        fields = ("reference", "title", "area", "lead", "due_date", "status", "rag")
        orderable = True
        empty_text = "No actions match these filters."

    # Read by templates/tables/govuk_table.html.
    caption = "Actions"
    caption_hidden = True


EXPORT_HEADERS = (
    "Area",
    "Plan",
    "Reference",
    "Title",
    "Findings",
    "Lead organisation",
    "Lead officer",
    "Status",
    "RAG",
    "Percent complete",
    "Start date",
    "Original due date",
    "Due date",
    "Overdue",
    "Last update",
    "Description",
)


def action_export_rows(actions: Iterable[Action]) -> Iterable[Sequence]:
    """One row per action, with typed dates and numbers; text is neutralised by send_tracker.exports."""
    today = timezone.localdate()
    for action in actions:
        yield (
            action.plan.area.name,
            action.plan.title,
            action.reference,
            action.title,
            "; ".join(f"{f.reference}. {f.title}" for f in action.findings.all()),
            action.lead_organisation.name,
            action.lead_officer.display_name if action.lead_officer else "",
            action.get_status_display(),
            action.get_rag_display(),
            action.percent_complete,
            action.start_date,
            action.original_due_date,
            action.due_date,
            action.is_open and action.due_date < today,
            action.last_update_at,
            action.description,
        )
