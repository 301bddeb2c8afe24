from __future__ import annotations

import django_filters
from django import forms

from .forms import DeliveryFilterForm
from .models import Delivery, Kind


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Delivery.Status.choices,
        empty_label="Any status",
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of email",
        choices=Kind.choices,
        empty_label="Any kind",
        error_messages={"invalid_choice": "Choose a kind of email from the list."},
    )
    date = django_filters.DateFilter(
        field_name="scheduled_for",
        label="Date due",
        help_text="For example 2026-03-02",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the date as year-month-day, for example 2026-03-02."},
    )

    class Meta:
        model = Delivery
        form = DeliveryFilterForm
        fields = ["status", "kind", "date"]
