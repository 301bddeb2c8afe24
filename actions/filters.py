"""Filters for the action list. Every choice list is scoped to what the user may see.

The lists that belong to one area (its plans, findings, lead organisations and lead officers) are offered once an
area is chosen, or straight away to someone who sees only one area. Nationally they would be thousands of options
on every page view: most of the page's weight and time. The form still works without JavaScript: choose an area,
apply the filters, and the page comes back with that area's lists. A value that arrives without an area (a link
from a plan page, a bookmark) is still accepted if the user may see it, and shown as the selected option.
"""

from __future__ import annotations

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts import access
from accounts.models import User
from inspections.models import Finding, Organisation

from .forms import GovDateField
from .models import Action, ActionPlan


class Select(forms.Select):
    """Django's select, its options written in Python rather than through a template include each (an
    administrator's area list has 152). Named Select so that crispy-forms-gds still gives it the govuk-select class."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options)


class GovDateFilter(django_filters.DateFilter):
    field_class = GovDateField


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActionPlan) -> str:
        return f"{obj.area.name}: {obj.title}"


class FindingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.inspection.area.name} {obj.reference}. {obj.title}"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class PlanFilter(django_filters.ModelChoiceFilter):
    field_class = PlanChoiceField


class FindingFilter(django_filters.ModelChoiceFilter):
    field_class = FindingChoiceField


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerChoiceField


class OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = OrganisationChoiceField


_INVALID = {"invalid_choice": "Select one of the options in the list"}
# The filters whose options belong to one area, and what their lists hold.
AREA_LISTS = {
    "plan": "plans",
    "finding": "findings",
    "lead_organisation": "lead organisations",
    "lead_officer": "lead officers",
}


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_text", help_text="Reference, title or description")
    # Choices rather than a model field: the user's areas are read once, for the list and for checking the value.
    area = django_filters.ChoiceFilter(
        field_name="plan__area_id", label="Area", choices=[], empty_label="All areas", widget=Select
    )
    plan = PlanFilter(label="Plan", queryset=ActionPlan.objects.none(), empty_label="All plans", widget=Select)
    finding = FindingFilter(
        field_name="findings",
        label="Finding",
        queryset=Finding.objects.none(),
        empty_label="All findings",
        distinct=True,
        widget=Select,
    )
    lead_organisation = OrganisationFilter(
        label="Lead organisation", queryset=Organisation.objects.none(), empty_label="All organisations", widget=Select
    )
    lead_officer = OfficerFilter(
        label="Lead officer", queryset=User.objects.none(), empty_label="All officers", widget=Select
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Action.Status.choices, empty_label="Any status", widget=Select
    )
    rag = django_filters.ChoiceFilter(
        label="RAG", choices=Action.Rag.choices, empty_label="Any RAG rating", widget=Select
    )
    due_from = GovDateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after", what="first due date")
    due_to = GovDateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before", what="last due date")
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        filters = self.filters
        areas = list(access.visible_areas(user).order_by("name").values_list("pk", "name"))
        filters["area"].extra["choices"] = areas
        area_id = self._chosen_area({pk for pk, _ in areas})
        if area_id is None:
            actions = access.visible_actions(user)
            plans = access.visible_plans(user)
            findings = access.visible_findings(user)
        else:
            actions = Action.objects.filter(plan__area_id=area_id)
            plans = ActionPlan.objects.filter(area_id=area_id)
            findings = Finding.objects.filter(inspection__area_id=area_id)
        filters["plan"].queryset = plans.select_related("area").order_by("area__name", "title")
        filters["finding"].queryset = (
            findings.filter(actions__isnull=False)
            .select_related("inspection__area")
            .distinct()
            .order_by("inspection__area__name", "inspection__onsite_start", "reference")
        )
        filters["lead_organisation"].queryset = Organisation.objects.filter(
            pk__in=actions.values("lead_organisation_id")
        ).order_by("name")
        filters["lead_officer"].queryset = User.objects.filter(pk__in=actions.values("lead_officer_id")).order_by(
            "first_name", "last_name", "username"
        )
        if area_id is None:
            for name, items in AREA_LISTS.items():
                self._offer_only_the_submitted(name, items)
        for name in ("area", "plan", "finding", "lead_organisation", "lead_officer", "status", "rag"):
            filters[name].extra["error_messages"] = _INVALID
        # The error summary ({% error_summary %}) reads its switches from a crispy helper.
        helper = FormHelper()
        helper.form_tag = False
        self.form.helper = helper

    def _chosen_area(self, area_ids: set[int]) -> int | None:
        """The area whose lists to offer: the one chosen, or the user's only area. None if neither."""
        if len(area_ids) == 1:
            return next(iter(area_ids))
        value = (self.data or {}).get("area")
        if isinstance(value, str) and value.isdigit() and int(value) in area_ids:
            return int(value)
        return None

    def _offer_only_the_submitted(self, name: str, items: str) -> None:
        """With no area chosen, list only the value given (checked against everything the user may see), not
        every option the user could choose; the hint says how to get the full list."""
        value = (self.data or {}).get(name)
        if isinstance(value, str) and value.isdigit():
            self.filters[name].queryset = self.filters[name].queryset.filter(pk=int(value))
        else:
            # Nothing given offers nothing; anything else is refused as "not one of the options".
            self.filters[name].queryset = self.filters[name].queryset.none()
        self.filters[name].extra["help_text"] = (
            f"To choose from an area's {items}, choose the area and apply the filters"
        )

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate())

    def is_bound_with_values(self) -> bool:
        return any(v for k, v in (self.data or {}).items() if k not in ("page", "sort", "export"))
