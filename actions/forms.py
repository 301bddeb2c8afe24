"""Forms for actions and progress updates, rendered as GOV.UK Design System components by crispy-forms-gds.

Every field has its own error messages: the defaults ("This field is required.") do not say what to do.
Forms only parse and check input; the rules about who may change what are in accounts.access and the services.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.models import Membership, User
from inspections.models import Finding, Organisation

from .evidence import ALLOWED_DESCRIPTION, MAX_FILES
from .models import Action, ActionPlan

UPDATE_RAG_CHOICES = [(value, label) for value, label in Action.Rag.choices if value != Action.Rag.BLUE]


class GovDateField(DateInputField):
    """A day/month/year date input whose errors say which part is wrong and what to enter."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {what}"
        self.error_messages["incomplete"] = f"The {what} must include a day, month and year"
        day, month, year = self.fields
        day.error_messages["incomplete"] = f"The {what} must include a day"
        month.error_messages["incomplete"] = f"The {what} must include a month"
        year.error_messages["incomplete"] = f"The {what} must include a year"
        for part, name in ((day, "day"), (month, "month"), (year, "year")):
            part.validators = [_digits(f"The {name} of the {what} must be a number")]

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (int(v) for v in data_list)
        if not 1000 <= year <= 9999:
            raise ValidationError(f"The year of the {self.what} must be four digits, for example 2025")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(f"The {self.what} must be a real date") from None


def _digits(message: str):
    from django.core.validators import RegexValidator

    return RegexValidator(r"^\s*[0-9]+\s*$", message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Zero or more files; their type and size are checked by the service, from their content."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Evidence (optional)")
        kwargs.setdefault(
            "help_text",
            f"{ALLOWED_DESCRIPTION} files, up to 20 MB each and {MAX_FILES} at a time.",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceField, self).clean(item, initial) for item in files]


def _helper(*fields, submit: str, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    layout = Layout(*fields)
    # GOV.UK Frontend ignores a second click within a second, so a double click cannot post an update twice.
    layout.append(
        Submit(
            "submit",
            submit,
            css_class="govuk-button--warning" if warning else "",
            **{"data-prevent-double-click": "true"},
        )
    )
    helper.layout = layout
    return helper


class VersionedForm(forms.Form):
    """Carries the action version the form was read at, for optimistic locking."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_version(self) -> int | None:
        # A hidden field's error would not be listed in the error summary, so a missing or altered version is
        # reported at the top of the form instead.
        raw = (self.cleaned_data.get("version") or "").strip()
        if not raw.isdigit() or int(raw) < 1:
            self.add_error(None, "This form is out of date. Go back to the action and open the form again.")
            return None
        return int(raw)


class ProgressUpdateForm(forms.Form):
    text = forms.CharField(
        label="What has happened since the last update?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what was done, what changed for children and families, and any risks.",
        error_messages={"required": "Enter what has happened since the last update"},
        max_length=10000,
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=UPDATE_RAG_CHOICES,
        widget=forms.RadioSelect,
        help_text="Red: will miss the due date. Amber: at risk. Green: on track.",
        error_messages={"required": "Select a RAG rating", "invalid_choice": "Select red, amber or green"},
    )
    percent_complete = forms.IntegerField(
        label="Percentage complete",
        min_value=0,
        max_value=100,
        help_text="A whole number from 0 to 100.",
        error_messages={
            "required": "Enter the percentage complete",
            "invalid": "Enter the percentage complete as a whole number, like 40",
            "min_value": "The percentage complete must be 0 or more",
            "max_value": "The percentage complete must be 100 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    evidence = EvidenceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text", label_size=Size.SMALL),
            Field.radios("rag", legend_size=Size.SMALL, inline=True),
            Field.text("percent_complete", field_width=3),
            Field("evidence"),
            submit="Post update",
        )


class CompleteForm(forms.Form):
    statement = forms.CharField(
        label="Completion statement",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was done, and how the board can see the difference it made.",
        error_messages={"required": "Enter a completion statement saying what was done"},
        max_length=10000,
    )
    evidence = EvidenceField(label="Evidence (optional, but it helps the board sign off)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("statement", label_size=Size.SMALL), Field("evidence"), submit="Mark as complete"
        )


class SignOffForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the board meeting that agreed it.",
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("note", label_size=Size.SMALL), submit="Sign off")


class ReasonForm(forms.Form):
    """Send back or cancel: a reason is required and recorded with the change."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, label: str, required_message: str, submit: str, warning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message
        self.helper = _helper(Field.textarea("reason", label_size=Size.SMALL), submit=submit, warning=warning)


class DueDateForm(VersionedForm):
    due_date = GovDateField(what="new due date", label="New due date", help_text="For example, 27 3 2026")
    reason = forms.CharField(
        label="Why is the due date changing?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The board sees this reason beside the original and revised dates.",
        error_messages={"required": "Enter the reason the due date is changing"},
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("version"),
            Field("due_date"),
            Field.textarea("reason", label_size=Size.SMALL),
            submit="Revise due date",
        )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.reference}. {obj.title}"


def _choice_errors(what: str) -> dict[str, str]:
    message = f"Choose only the {what} shown in the list"
    return {"invalid_choice": message, "invalid_pk_value": message, "invalid_list": message}


class ActionForm(VersionedForm):
    """Create or edit an action. Built with only the fields the user may change (see services.MANAGED_FIELDS)."""

    reference = forms.CharField(
        label="Reference",
        max_length=16,
        help_text='Unique within the plan, for example "2.3".',
        error_messages={
            "required": "Enter the action's reference",
            "max_length": "The reference must be 16 characters or fewer",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={
            "required": "Enter a title for the action",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    findings = FindingChoiceField(
        label="Findings this action answers",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors("findings of this plan's inspection"),
    )
    lead_organisation = OrganisationChoiceField(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        empty_label="Select the lead organisation",
        error_messages={
            "required": "Select the lead organisation",
            "invalid_choice": "Select one of the area's partners",
        },
    )
    lead_officer = OfficerChoiceField(
        label="Lead officer",
        queryset=User.objects.none(),
        required=False,
        empty_label="No lead officer yet",
        error_messages={"invalid_choice": "Select an officer from one of the area's partners"},
    )
    supporting_organisations = forms.ModelMultipleChoiceField(
        label="Supporting organisations",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_errors("area's partner organisations"),
    )
    start_date = GovDateField(what="start date", label="Start date (optional)", required=False)
    due_date = GovDateField(what="due date", label="Due date", help_text="For example, 27 3 2026")
    success_measure = forms.CharField(
        label="How will we know it has worked?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=UPDATE_RAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a RAG rating", "invalid_choice": "Select red, amber or green"},
    )

    ORDER = (
        "reference",
        "title",
        "description",
        "findings",
        "lead_organisation",
        "lead_officer",
        "supporting_organisations",
        "start_date",
        "due_date",
        "success_measure",
        "rag",
    )

    def __init__(self, *args, plan: ActionPlan, editable: frozenset[str], creating: bool, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.action = action
        keep = set(editable) | ({"due_date"} if creating else set())
        if creating:
            keep.discard("rag")
            self.fields.pop("version")
        for name in list(self.fields):
            if name != "version" and name not in keep:
                self.fields.pop(name)
        self._scope_choices(plan)
        layout = [Field("version")] if "version" in self.fields else []
        for name in self.ORDER:
            if name not in self.fields:
                continue
            if name in ("description", "success_measure"):
                layout.append(Field.textarea(name))
            elif name in ("findings", "supporting_organisations"):
                layout.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
            elif name == "rag":
                layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
            elif name in ("lead_organisation", "lead_officer"):
                layout.append(Field.select(name))
            elif name in ("start_date", "due_date"):
                layout.append(Field(name))
            else:
                layout.append(Field.text(name))
        self.helper = _helper(*layout, submit="Add action" if creating else "Save changes")

    def _scope_choices(self, plan: ActionPlan) -> None:
        area = plan.area
        organisations = Organisation.objects.filter(
            pk__in=[area.council_id, *area.partnerships.values_list("organisation_id", flat=True)]
        ).order_by("name")
        if "findings" in self.fields:
            # The findings of the inspection the plan answers (and any the action already answers), so a
            # reference such as "1" appears once, not once for each inspection of the area.
            current = self.action.findings.values("pk") if self.action is not None else Finding.objects.none()
            self.fields["findings"].queryset = (
                Finding.objects.filter(inspection__area=area)
                .filter(Q(inspection_id=plan.inspection_id) | Q(pk__in=current))
                .order_by("inspection__onsite_start", "reference")
            )
        if "lead_organisation" in self.fields:
            self.fields["lead_organisation"].queryset = organisations
        if "supporting_organisations" in self.fields:
            self.fields["supporting_organisations"].queryset = organisations
        if "lead_officer" in self.fields:
            self.fields["lead_officer"].queryset = (
                User.objects.filter(
                    is_active=True,
                    memberships__organisation__in=organisations,
                    memberships__role__in=[Membership.Role.ACTION_OFFICER, Membership.Role.PLAN_MANAGER],
                )
                .distinct()
                .order_by("first_name", "last_name", "username")
            )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        taken = self.plan.actions.filter(reference=reference)
        if self.action is not None:
            taken = taken.exclude(pk=self.action.pk)
        if taken.exists():
            raise ValidationError(f"This plan already has an action {reference}. Choose another reference.")
        return reference

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if due is None and self.action is not None:
            due = self.action.due_date
        if start and due and due < start:
            self.add_error("start_date", "The start date must be on or before the due date")
        organisation, officer = cleaned.get("lead_organisation"), cleaned.get("lead_officer")
        if organisation and officer and not officer.memberships.filter(organisation=organisation).exists():
            self.add_error("lead_officer", f"{officer.display_name} does not work for {organisation.name}")
        return cleaned

    def changes(self, action: Action) -> dict:
        """What the user changed compared with `action`, for services.action_update."""
        changed = {}
        for name, value in self.cleaned_data.items():
            if name in ("version", "due_date"):
                continue
            if name in ("findings", "supporting_organisations"):
                if {obj.pk for obj in value} != {obj.pk for obj in getattr(action, name).all()}:
                    changed[name] = list(value)
            elif getattr(action, name) != value:
                changed[name] = value
        return changed

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        initial = {
            name: getattr(action, name) for name in cls.ORDER if name not in ("findings", "supporting_organisations")
        }
        initial["findings"] = [f.pk for f in action.findings.all()]
        initial["supporting_organisations"] = [o.pk for o in action.supporting_organisations.all()]
        initial["version"] = action.version
        return initial
