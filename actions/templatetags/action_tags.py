"""Tags for RAG and status: a fixed, small set of GOV.UK tag colours, always with the word in the tag."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

STATUS_CLASSES = {
    "not_started": "govuk-tag--grey",
    "in_progress": "",  # the default blue
    "completed": "govuk-tag--turquoise",
    "signed_off": "govuk-tag--green",
    "reopened": "govuk-tag--orange",
    "cancelled": "govuk-tag--grey",
}
RAG_CLASSES = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
    "blue": "",  # the default GOV.UK tag is blue
}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def rag_class(rag: str) -> str:
    return RAG_CLASSES.get(rag, "govuk-tag--grey")


@register.filter
def rag_word(rag: str) -> str:
    return RAG_WORDS.get(rag, rag)


# The cells of action tables, built in Python: the action list and My actions show dozens to hundreds a page, and
# a template include per cell cost more than the rest of the page. Page templates call them as tags, so there is
# one definition of each.
OVERDUE_TAG = mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')


@register.simple_tag
def status_tag(action) -> SafeString:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', status_class(action.status), action.get_status_display()
    )


@register.simple_tag
def rag_tag(action) -> SafeString:
    return format_html('<strong class="govuk-tag {}">{}</strong>', rag_class(action.rag), rag_word(action.rag))


@register.simple_tag
def due_cell(action, today: dt.date) -> SafeString:
    """The due date, "Overdue" if the action is open and past it, and the original date if it was revised."""
    html = format_html("{}", format_date(action.due_date, "j M Y"))
    if action.is_open and action.due_date < today:
        html += OVERDUE_TAG
    if action.due_date_revised:
        html += format_html(
            '<br><span class="govuk-body-s">Originally {}</span>', format_date(action.original_due_date, "j M Y")
        )
    return html


@register.simple_tag
def lead_cell(action) -> SafeString:
    if action.lead_officer is None:
        return format_html("{}", action.lead_organisation.name)
    return format_html(
        '{}<br><span class="govuk-body-s">{}</span>', action.lead_organisation.name, action.lead_officer.display_name
    )


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"
