"""The admin's link fields: a link typed without a scheme is taken as https, without Django 6's deprecation."""

from __future__ import annotations

import warnings

import pytest
from django.contrib import admin
from django.utils.deprecation import RemovedInDjango60Warning

from actions.admin import ActionPlanAdmin
from actions.models import ActionPlan
from inspections.admin import InspectionAdmin
from inspections.models import Inspection


@pytest.mark.parametrize(
    ("model", "model_admin", "field"),
    [(Inspection, InspectionAdmin, "report_url"), (ActionPlan, ActionPlanAdmin, "published_url")],
)
def test_a_link_without_a_scheme_is_taken_as_https(rf, model, model_admin, field):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        form_field = model_admin(model, admin.site).formfield_for_dbfield(model._meta.get_field(field), rf.get("/"))
    assert (
        form_field.clean("reports.ofsted.gov.uk/provider/44/80123") == "https://reports.ofsted.gov.uk/provider/44/80123"
    )
