from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from accounts.models import User


class ReminderPreferencesForm(forms.Form):
    reminder_delivery = forms.ChoiceField(
        label="How do you want your reminders?",
        choices=User.ReminderDelivery.choices,
        widget=forms.RadioSelect,
        help_text="Escalations and overdue alerts always arrive one by one, whichever you choose.",
        error_messages={
            "required": "Choose how you want your reminders.",
            "invalid_choice": "Choose one email for each reminder or one daily digest.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("reminder_delivery", legend_size="m"))


class DeliveryFilterForm(forms.Form):
    """The delivery log's filters; the helper lets the error summary and GOV.UK fields render."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # A GET form: a CSRF token would only end up in the URL.
        self.helper.disable_csrf = True
