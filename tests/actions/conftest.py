"""A plan in the personas' area: a finding, and actions led by the council officer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Action
from tests import factories as f

TODAY = dt.date(2025, 3, 12)  # a Wednesday, not a bank holiday

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name: str = "minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@dataclass
class Scenario:
    plan: object
    finding: object
    action: object  # led by world.officer, overdue
    other_action: object  # in the other area


@pytest.fixture
def scenario(world, settings, tmp_path) -> Scenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    inspection = f.InspectionFactory(area=world.area)
    finding = f.FindingFactory(inspection=inspection, reference="1", title="Waiting times for assessment")
    plan = f.ActionPlanFactory(area=world.area, inspection=inspection, title="Northshire priority action plan")
    action = f.ActionFactory(
        plan=plan,
        reference="1.1",
        title="Cut waiting times",
        lead_officer=world.officer,
        due_date=TODAY - dt.timedelta(days=5),
        findings=[finding],
    )
    other_plan = f.ActionPlanFactory(area=world.other_area)
    other_action = f.ActionFactory(plan=other_plan, reference="9.9", lead_officer=world.other_officer)
    return Scenario(plan=plan, finding=finding, action=action, other_action=other_action)


def reload(action: Action) -> Action:
    return Action.objects.get(pk=action.pk)
