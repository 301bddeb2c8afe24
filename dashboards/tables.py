"""The national overview table: one row per area, sortable on the server."""

from __future__ import annotations

import inspect

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .selectors import AreaRow

# Sorting a list in Python: missing values sort before every number or date.
MISSING = -1


def overview_records(rows: list[AreaRow], today) -> list[dict]:
    records = []
    for row in rows:
        inspection = row.latest_inspection
        records.append(
            {
                "area": row.area.name,
                "slug": row.area.slug,
                "is_invented": row.area.is_invented,
                "inspection": (
                    f"{inspection.get_kind_display()}, {inspection.onsite_start:%B %Y}"
                    if inspection
                    else "None recorded"
                ),
                "inspection_date": inspection.onsite_start.toordinal() if inspection else MISSING,
                "outcome": row.outcome_inspection.get_outcome_display() if row.outcome_inspection else "",
                "plan": row.plan.title if row.plan else "No current plan",
                "plan_status": row.plan.get_status_display() if row.plan else "",
                "actions": row.total,
                "signed_off_percent": row.signed_off_percent if row.signed_off_percent is not None else MISSING,
                "overdue": row.overdue,
                "oldest_overdue": row.oldest_overdue,
                "oldest_overdue_days": (today - row.oldest_overdue).days if row.oldest_overdue else MISSING,
                "red": row.red,
                "amber": row.amber,
                "green": row.green,
                "blue": row.blue,
                "signed_off_last_30_days": row.signed_off_last_30_days,
                "overdue_change": row.overdue_change,
            }
        )
    return records


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


def numeric(label: str) -> tables.Column:
    return tables.Column(verbose_name=label, attrs=NUMERIC)


class AreaOverviewTable(tables.Table):
    area = tables.Column(verbose_name="Area")
    inspection = tables.Column(verbose_name="Latest inspection and outcome", order_by=("inspection_date",))
    plan = tables.Column(verbose_name="Current plan")
    actions = numeric("Actions")
    signed_off_percent = numeric("Signed off")
    overdue = numeric("Overdue")
    oldest_overdue_days = numeric("Oldest overdue")
    red = tables.Column(verbose_name="RAG mix")
    overdue_change = tables.Column(verbose_name="Change in 30 days")

    class Meta:
        attrs = {"class": "govuk-table st-overview"}
        orderable = True
        empty_text = "No area matches these filters."

    def render_area(self, value, record):
        url = reverse("dashboards:area_dashboard", args=[record["slug"]])
        invented = (
            format_html(' <strong class="govuk-tag app-tag--invented">{}</strong>', "Invented demo data")
            if record["is_invented"]
            else ""
        )
        return format_html('<a class="govuk-link" href="{}">{}</a>{}', url, value, invented)

    def render_inspection(self, value, record):
        outcome = record["outcome"] or "No outcome recorded"
        return format_html('{}<br><span class="app-secondary-text">{}</span>', value, outcome)

    def render_plan(self, value, record):
        if not record["plan_status"]:
            return value
        return format_html('{}<br><span class="app-secondary-text">{}</span>', value, record["plan_status"])

    def render_signed_off_percent(self, value):
        return "No actions" if value == MISSING else f"{value}%"

    def render_oldest_overdue_days(self, value, record):
        if value == MISSING:
            return "None"
        return format_html(
            '{}<br><span class="app-secondary-text">{} days</span>', f"{record['oldest_overdue']:%d %b %Y}", value
        )

    def render_red(self, value, record):
        return f"Red {record['red']}, amber {record['amber']}, green {record['green']}, blue {record['blue']}"

    def render_overdue_change(self, value, record):
        return (
            f"{signed(record['signed_off_last_30_days'])} signed off, overdue {signed(value) if value else 'unchanged'}"
        )


def rendered_body(table: AreaOverviewTable) -> str:
    """The table's rows as HTML, in the table's order.

    django-tables2 renders each cell through accessors, a signature inspection per call and merged attributes, and
    a template loop over 152 areas and 9 columns took as long again: together most of the page's time. The
    columns' own `render_*` methods are called here directly, so the cells are the same.
    """
    columns = [
        (column.name, _renderer(table, column.name), column.attrs.get("td", {}).get("class") or "")
        for column in table.columns
    ]
    rows = []
    for row in table.rows:
        record = row.record
        cells = [
            f'<th scope="row" class="govuk-table__header">{conditional_escape(render(record[name], record))}</th>'
            if i == 0
            else f'<td class="govuk-table__cell {css}">{conditional_escape(render(record[name], record))}</td>'
            for i, (name, render, css) in enumerate(columns)
        ]
        rows.append(
            f'<tr class="govuk-table__row" data-area="{conditional_escape(record["slug"])}">{"".join(cells)}</tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)


def _renderer(table: AreaOverviewTable, name: str):
    method = getattr(table, f"render_{name}", None)
    if method is None:
        return lambda value, record: value
    wants_record = "record" in inspect.signature(method).parameters
    return (lambda value, record: method(value, record)) if wants_record else (lambda value, record: method(value))


# The workbook keeps every figure in its own column, so it can be sorted and charted.
WORKBOOK_COLUMNS = (
    ("Area", "area"),
    ("Latest inspection", "inspection"),
    ("Outcome", "outcome"),
    ("Current plan", "plan"),
    ("Plan status", "plan_status"),
    ("Actions", "actions"),
    ("Signed off (%)", "signed_off_percent"),
    ("Overdue", "overdue"),
    ("Oldest overdue", "oldest_overdue"),
    ("Red", "red"),
    ("Amber", "amber"),
    ("Green", "green"),
    ("Blue", "blue"),
    ("Signed off in the last 30 days", "signed_off_last_30_days"),
    ("Change in overdue over 30 days", "overdue_change"),
)


def workbook_row(record: dict) -> list:
    return [
        None if record[key] == MISSING and key == "signed_off_percent" else record[key] for _, key in WORKBOOK_COLUMNS
    ]
