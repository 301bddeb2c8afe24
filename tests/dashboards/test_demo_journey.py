"""The issue's "done when", on the demonstration data: the Suffolk chair's dashboard and board pack, and the DfE
adviser's national overview with both demo areas side by side."""

from __future__ import annotations

import io
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action
from dashboards import selectors
from inspections.models import BoardMeeting, LocalArea


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return LocalArea.objects.get(slug="suffolk")


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def figures(html: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-figure="(\w+)">(\d+)<', html)}


def test_suffolk_chair_sees_figures_that_match_the_actions(demo):
    client = sign_in("chair.suffolk")
    html = client.get(reverse("dashboards:area_dashboard", args=["suffolk"])).content.decode()
    plan = selectors.area_plans(demo)[0]
    today = timezone.localdate()
    actions = Action.objects.filter(plan=plan)
    open_ = Q(status__in=["not_started", "in_progress", "reopened"])
    assert figures(html) == {
        "total": actions.exclude(status="cancelled").count(),
        "signed_off": actions.filter(status="signed_off").count(),
        "awaiting": actions.filter(status="completed").count(),
        "in_progress": actions.filter(status="in_progress").count(),
        "reopened": actions.filter(status="reopened").count(),
        "not_started": actions.filter(status="not_started").count(),
        "cancelled": actions.filter(status="cancelled").count(),
        "overdue": actions.filter(open_, due_date__lt=today).count(),
        "due_soon": actions.filter(
            open_, due_date__gte=today, due_date__lte=today + timezone.timedelta(days=30)
        ).count(),
    }
    assert figures(html)["total"] > 0


def test_suffolk_chair_picks_the_last_meeting_and_downloads_the_pack(demo):
    client = sign_in("chair.suffolk")
    last = BoardMeeting.objects.filter(area=demo, date__lt=timezone.localdate()).order_by("-date").first()
    dashboard = client.get(reverse("dashboards:area_dashboard", args=["suffolk"]), {"since": last.date.isoformat()})
    assert f"Since the board meeting on {last.date.day} {last.date:%B %Y}" in dashboard.content.decode()
    response = client.get(
        reverse("dashboards:board_pack", args=["suffolk"]), {"meeting": last.date.isoformat(), "format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Suffolk improvement board pack" in text
    assert "Headline figures" in text and "Key performance indicators" in text


def test_dfe_adviser_sees_both_demo_areas_side_by_side(demo):
    client = sign_in("adviser.dfe")
    html = client.get(reverse("dashboards:national_overview")).content.decode()
    assert re.findall(r'data-area="([\w-]+)"', html) == ["suffolk", "westmere"]
