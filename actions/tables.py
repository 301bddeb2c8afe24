"""The action list as a django-tables2 table, and the columns of its CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import Action
from .templatetags.action_tags import due_cell, lead_cell, rag_tag, status_tag


class ActionTable(tables.Table):
    """The cells are built in Python (actions.templatetags.action_tags) rather than by a template each: with 100
    rows, four small templates a row were most of the page's time."""

    reference = tables.Column(verbose_name="Ref")
    title = tables.Column()
    area = tables.Column(accessor="plan__area__name", verbose_name="Area", order_by=("plan__area__name",))
    lead = tables.Column(
        accessor="lead_organisation__name",
        verbose_name="Lead",
        order_by=("lead_organisation__name", "lead_officer__last_name"),
    )
    due_date = tables.Column(verbose_name="Due")
    status = tables.Column(verbose_name="Status")
    rag = tables.Column(verbose_name="RAG")

    class Meta:
        model = Action
        fields = ("reference", "title", "area", "lead", "due_date", "status", "rag")
        orderable = True
        empty_text = "No actions match these filters."
        template_name = "actions/_action_list_table.html"

    # Read by templates/tables/govuk_table.html (extended by this table's own template).
    caption = "Actions"
    caption_hidden = True

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def body_rows(self) -> list[SafeString]:
        """This page's rows as HTML, one string a row, each cell from the render_* method of its column.
        Built here rather than cell by cell through django-tables2, whose per-cell work (signature inspection,
        accessors, attributes) cost more than the cells themselves."""
        rows = self.page.object_list if hasattr(self, "page") else self.rows
        renderers = [getattr(self, f"render_{column.name}") for column in self.columns]
        return [
            format_html(
                '<tr class="govuk-table__row">{}</tr>',
                format_html_join(
                    "", '<td class="govuk-table__cell">{}</td>', ((render(row.record),) for render in renderers)
                ),
            )
            for row in rows
        ]

    def render_reference(self, record: Action) -> SafeString:
        return format_html('<a href="{}">{}</a>', _detail_url(record), record.reference)

    def render_title(self, record: Action) -> SafeString:
        return format_html('<a href="{}">{}</a>', _detail_url(record), record.title)

    def render_area(self, record: Action) -> SafeString:
        return format_html("{}", record.plan.area.name)

    def render_lead(self, record: Action) -> SafeString:
        return lead_cell(record)

    def render_due_date(self, record: Action) -> SafeString:
        return due_cell(record, self.today)

    def render_status(self, record: Action) -> SafeString:
        return status_tag(record)

    def render_rag(self, record: Action) -> SafeString:
        return rag_tag(record)


def _detail_url(record: Action) -> str:
    # Two links a row go to the same page: work the address out once.
    if not hasattr(record, "_detail_url"):
        record._detail_url = reverse("action_detail", args=[record.pk])
    return record._detail_url


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
