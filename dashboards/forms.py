from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from actions.models import Measure

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class DashboardOptionsForm(forms.Form):
    """The plan and the board meeting to compare with, read from the query string."""

    plan = forms.ChoiceField(
        label="Plan", required=False, error_messages={"invalid_choice": "Choose one of this area's plans"}
    )
    since = forms.DateField(
        label="Compare with the board meeting on",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Choose a board meeting date from the list"},
    )

    def __init__(self, *args, plans=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(str(p.pk), p.title) for p in plans]
        self.meeting_choices = [
            (m.date.isoformat(), f"{m.date:%d %B %Y}" + (f" ({m.title})" if m.title else "")) for m in meetings
        ]


class BoardPackForm(forms.Form):
    meeting = forms.ChoiceField(
        label="Board meeting",
        error_messages={"invalid_choice": "Choose a board meeting recorded for this area"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF"), ("xlsx", "Spreadsheet (XLSX)")],
        initial="pdf",
        error_messages={"invalid_choice": "Choose PDF or spreadsheet"},
    )
    plan = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [(m.date.isoformat(), f"{m.date:%d %B %Y}") for m in meetings]


class MeasureValueForm(forms.Form):
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(),
        label="Measure",
        empty_label=None,
        error_messages={
            "required": "Choose the measure",
            "invalid_choice": "Choose one of this area's measures",
        },
    )
    period = DateInputField(
        label="First day of the period",
        help_text="For example, 1 9 2024 for the academic year 2024 to 2025.",
        require_all_fields=False,
    )
    period_label = forms.CharField(
        label="Period as published (optional)",
        required=False,
        max_length=40,
        help_text="For example, 2024-25 or Quarter 1 2025.",
        error_messages={"max_length": "The period label must be 40 characters or fewer"},
    )
    value = forms.DecimalField(
        label="Value",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Leave blank if the figure was suppressed or is not available. Missing is not zero.",
        error_messages={
            "invalid": "Enter the value as a number, like 48.5",
            "max_digits": "Enter a value of no more than 10 digits before the decimal point",
            "max_decimal_places": "Enter the value to no more than 2 decimal places",
            "max_whole_digits": "Enter a value of no more than 10 digits before the decimal point",
        },
    )
    comparator = forms.DecimalField(
        label="England comparator (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the England comparator as a number, like 46.4",
            "max_digits": "Enter a comparator of no more than 10 digits before the decimal point",
            "max_decimal_places": "Enter the comparator to no more than 2 decimal places",
            "max_whole_digits": "Enter a comparator of no more than 10 digits before the decimal point",
        },
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Where the figure comes from, for example the SEN2 return or the council's case system.",
        error_messages={
            "required": "Enter where the figure comes from",
            "max_length": "The source must be 300 characters or fewer",
        },
    )

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures if measures is not None else Measure.objects.none()
        self.fields["period"].error_messages |= {
            "required": "Enter the first day of the period",
            "incomplete": "Enter the first day of the period, with a day, month and year",
        }
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("measure"),
            Field("period"),
            Field.text("period_label", field_width=10),
            Field.text("value", field_width=10),
            Field.text("comparator", field_width=10),
            Field.text("source"),
            Button("submit", "Save value"),
        )

    def clean_period(self) -> dt.date:
        period = self.cleaned_data["period"]
        if period > dt.date.today() + dt.timedelta(days=366):
            raise forms.ValidationError("The period must start no more than a year from today")
        if period.year < 2000:
            raise forms.ValidationError("The period must start in 2000 or later")
        return period


class MeasureImportForm(forms.Form):
    file = forms.FileField(
        label="Timeliness file (CSV)",
        help_text='The "Timeliness of new EHC plans" data file downloaded from Explore Education Statistics.',
        error_messages={"required": "Choose the CSV file to import", "empty": "The chosen file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("file"), Button("submit", "Import file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        return upload
