"""Tags for RAG and status: a fixed, small set of GOV.UK tag colours, always with the word in the tag."""

from __future__ import annotations

from django import template

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
