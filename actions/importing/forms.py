from __future__ import annotations

from django import forms
from openpyxl.utils import get_column_letter

from .columns import COLUMNS
from .reader import MAX_BYTES


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="An Excel workbook (.xlsx) or a CSV file, up to 10 MB.",
        error_messages={"required": "Choose the spreadsheet to import.", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per field: which column of the file holds it. Starts from the columns matched by header."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in the file")] + [
            (str(i), f"Column {get_column_letter(i + 1)}: {h or '(no header)'}") for i, h in enumerate(headers)
        ]
        for column in COLUMNS:
            self.fields[f"map_{column.field}"] = forms.ChoiceField(
                label=column.header,
                choices=choices,
                required=False,
                initial=str(mapping[column.field]) if column.field in mapping else "",
            )

    def mapping(self) -> dict[str, int]:
        return {
            name.removeprefix("map_"): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("map_") and value != ""
        }


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
