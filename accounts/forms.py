from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
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


class SecondFactorForm(forms.Form):
    """A six-digit code from the authenticator app, or (when allowed) a backup code."""

    code = forms.CharField(
        label="Security code",
        max_length=20,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, hint: str = "", button: str = "Continue", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = hint
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("code", field_width=10), Button.primary("continue", button))

    def clean_code(self) -> str:
        # People type codes with spaces or dashes, as they are shown; neither is part of the code.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class ResetRequestForm(PasswordResetForm):
    """Django's password reset request (it never says whether the address belongs to anyone) in GOV.UK style."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("email"), Button.primary("send", "Send reset link"))


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form (with the password validators) in GOV.UK style."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 8 characters, not a common password, not all numbers and not like your name or username."
        )
        self.fields["new_password2"].label = "Confirm new password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Button.primary("save", "Change password"),
        )
