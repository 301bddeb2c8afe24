from __future__ import annotations

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
