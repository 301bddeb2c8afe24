"""Tags for RAG and status: a fixed, small set of GOV.UK tag colours, always with the word in the tag."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


# The cells of an action's row. Simple tags rather than included templates: a plan page shows a hundred rows or
# more, and an include costs a template context and render per cell. The _*.html partials call these tags, so the
# markup is written once.


@register.simple_tag
def status_tag(action) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', status_class(action.status), action.get_status_display()
    )


@register.simple_tag
def rag_tag(action) -> str:
    return format_html('<strong class="govuk-tag {}">{}</strong>', rag_class(action.rag), rag_word(action.rag))


@register.simple_tag
def due_cell(action, today=None) -> str:
    html = conditional_escape(date_filter(action.due_date, "j M Y"))
    if action.is_open and isinstance(today, dt.date) and action.due_date < today:
        html += mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')
    if action.due_date_revised:
        html += format_html(
            '<br><span class="govuk-body-s">Originally {}</span>', date_filter(action.original_due_date, "j M Y")
        )
    return html


@register.simple_tag
def lead_cell(action) -> str:
    html = conditional_escape(action.lead_organisation.name)
    if action.lead_officer:
        html += format_html('<br><span class="govuk-body-s">{}</span>', action.lead_officer.display_name)
    return html
