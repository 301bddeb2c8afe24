from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK wording and an error shown against the username field.

    A wrong username or password is reported on the username field rather than as a form-wide error, so the
    error summary links to a field that shows the same message, as the Design System's error pattern asks.
    """

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your administrator if you need it again.",
    }

    username = forms.CharField(
        label="Username",
        max_length=254,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button.primary("sign-in", "Sign in"),
        )

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("username", error)
            return self.cleaned_data
