"""The authorisation matrix: personas, the objects they are tried against, and how a response is classified.

tests/security/authorisation_matrix.yaml lists, for every URL pattern and HTTP method, the outcome each persona
gets for each kind of object:
- own: in the personas' area (Northshire), led by the council (the officer's organisation);
- same_area_other_org: in the same area, led by the integrated care board (another organisation);
- other_area: in Southshire, which only the other officer, the second adviser and administrators can see;
- nonexistent: an id or slug that matches nothing;
- none: the URL names no object.
Outcomes: ok (the request was let through: 2xx, or a redirect that is not to sign-in), login (sent to sign in,
including the admin site's sign-in), two-factor (sent to set up or enter a second factor), admin-index (sent to
the admin's index page), or the 4xx status
(400 and 409 mean the request was authorised and then refused for its content). A 5xx is never acceptable.
Web forms are posted empty; API changes send a real change (a new title, with the action's current version) so
that the permission check, not validation, decides the answer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions import services as action_services
from actions.models import Action, PlanDeadlineRule
from api.services import api_token_create
from calendars.services import calendar_token_reset
from dashboards.models import BoardPackSchedule
from reminders.models import Delivery, Kind, ReminderPolicy
from tests import factories as f
from tests.security.admin_matrix import admin_entries, admin_placeholders

MATRIX_FILE = Path(__file__).with_name("authorisation_matrix.yaml")
PERSONAS = (
    "anonymous",
    "officer",
    "health_officer",
    "other_officer",
    "manager",
    "chair",
    "pcf",
    "adviser",
    "adviser_elsewhere",
    "admin",
    "deactivated",
)
OBJECTS = ("own", "same_area_other_org", "other_area", "nonexistent", "none")
MISSING = 987_654
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Planted:
    """One object of each kind for every URL parameter, keyed by parameter name then object kind."""

    values: dict[str, dict[str, object]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # persona -> API token


def plant(world) -> Planted:
    """Objects in the personas' area (led by the council and by the ICB) and in the other area."""
    planted = Planted()
    inspection = f.InspectionFactory(area=world.area)
    finding = f.FindingFactory(inspection=inspection)
    plan = f.ActionPlanFactory(area=world.area, inspection=inspection)
    own = f.ActionFactory(plan=plan, lead_organisation=world.council, lead_officer=world.officer, reference="1.1")
    theirs = f.ActionFactory(plan=plan, lead_organisation=world.icb, lead_officer=world.health_officer, reference="1.2")
    other_inspection = f.InspectionFactory(area=world.other_area)
    other_finding = f.FindingFactory(inspection=other_inspection)
    other_plan = f.ActionPlanFactory(area=world.other_area, inspection=other_inspection)
    elsewhere = f.ActionFactory(
        plan=other_plan, lead_organisation=world.other_council, lead_officer=world.other_officer, reference="9.1"
    )

    def evidence_on(action, author):
        update = action_services.progress_update_create(
            action=action,
            author=author,
            text="Board minutes attached.",
            rag="green",
            percent_complete=50,
            files=[SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")],
        )
        return update, update.evidence.get()

    own_update, own_evidence = evidence_on(own, world.officer)
    their_update, their_evidence = evidence_on(theirs, world.health_officer)
    other_update, other_evidence = evidence_on(elsewhere, world.other_officer)
    measure = f.MeasureFactory(area=world.area)
    other_measure = f.MeasureFactory(area=world.other_area)
    value = f.MeasureValueFactory(measure=measure)
    other_value = f.MeasureValueFactory(measure=other_measure)

    def delivery(action, person):
        return Delivery.objects.create(
            action=action,
            recipient=person,
            kind=Kind.OVERDUE,
            period_key="2026-03-02",
            scheduled_for=dt.date(2026, 3, 2),
        )

    deliveries = {
        "own": delivery(own, world.officer),
        "same_area_other_org": delivery(theirs, world.health_officer),
        "other_area": delivery(elsewhere, world.other_officer),
    }
    api_tokens = {}
    for persona in PERSONAS[1:]:
        user = getattr(world, persona)
        token, key = api_token_create(user=user, name="matrix")
        api_tokens[persona] = (token, key)
        planted.tokens[persona] = key
    for persona in ("officer", "health_officer", "other_officer"):
        calendar_token_reset(user=getattr(world, persona))
        getattr(world, persona).refresh_from_db()

    def kinds(own_value, same, other, missing=MISSING):
        return {"own": own_value, "same_area_other_org": same, "other_area": other, "nonexistent": missing}

    planted.values = {
        "slug": kinds(world.area.slug, world.area.slug, world.other_area.slug, "nowhere"),
        "plan": kinds(plan.pk, plan.pk, other_plan.pk),
        "action": kinds(own.pk, theirs.pk, elsewhere.pk),
        "evidence": kinds(own_evidence.pk, their_evidence.pk, other_evidence.pk),
        "delivery": {**{k: v.pk for k, v in deliveries.items()}, "nonexistent": MISSING},
        "api_token": kinds(
            api_tokens["officer"][0].pk, api_tokens["health_officer"][0].pk, api_tokens["other_officer"][0].pk
        ),
        "calendar": kinds(
            world.officer.calendar_token,
            world.health_officer.calendar_token,
            world.other_officer.calendar_token,
            "x" * 40,
        ),
        "area_pk": kinds(world.area.pk, world.area.pk, world.other_area.pk),
        "inspection": kinds(inspection.pk, inspection.pk, other_inspection.pk),
        "finding": kinds(finding.pk, finding.pk, other_finding.pk),
        "progress_update": kinds(own_update.pk, their_update.pk, other_update.pk),
        "measure": kinds(measure.pk, measure.pk, other_measure.pk),
        "measure_value": kinds(value.pk, value.pk, other_value.pk),
        "import_token": kinds("no-such-upload", "no-such-upload", "no-such-upload", "no-such-upload"),
        "reset": kinds("MQ", "MQ", "MQ", "MQ"),
    }
    _plant_admin_rows(world)
    planted.values |= admin_placeholders(planted.values)
    return planted


def _plant_admin_rows(world) -> None:
    """The administrator persona has staff status, as the service's administrator does, so that the admin site
    is tried with someone allowed in; and a row for each admin page that lists rows nothing above creates."""
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save(update_fields=["is_staff", "is_superuser"])
    Group.objects.create(name="Matrix group")
    AccessAttempt.objects.create(username="officer", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="officer", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="officer", ip_address="192.0.2.1", locked_out=False)
    TOTPDevice.objects.create(user=world.manager, name="Matrix app", confirmed=True)
    StaticDevice.objects.create(user=world.manager, name="Matrix codes", confirmed=True)
    PlanDeadlineRule.objects.get_or_create(
        kind=PlanDeadlineRule._meta.get_field("kind").choices[0][0], defaults={"working_days": 20}
    )
    ReminderPolicy.objects.get_or_create(area=world.area)
    BoardPackSchedule.objects.get_or_create(area=world.area, defaults={"working_days_before": 5})


def load_matrix() -> dict:
    """The YAML file's entries and the Django admin's, which admin_matrix.py generates from one explicit rule."""
    return yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8")) | admin_entries()


def expected(entry: dict, method: str, obj: str, persona: str) -> str:
    rule = entry["methods"][method]
    table = rule.get(obj, rule.get("all"))
    if table is None:
        raise KeyError(f"{entry['path']} {method}: no row for object {obj!r}")
    if isinstance(table, str):
        return table
    return str(table.get(persona, table["default"]))


def objects_for(entry: dict, method: str) -> list[str]:
    rule = entry["methods"][method]
    if "all" in rule:
        return ["none"] if "{" not in entry["path"] else ["own", "same_area_other_org", "other_area", "nonexistent"]
    return [obj for obj in OBJECTS if obj in rule]


def build_path(entry: dict, planted: Planted, obj: str) -> str:
    path = entry["path"]
    for name, by_kind in planted.values.items():
        placeholder = "{" + name + "}"
        if placeholder in path:
            path = path.replace(placeholder, str(by_kind["own" if obj == "none" else obj]))
    return path


def classify(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if "/accounts/login/" in location or "/admin/login/" in location:
            return "login"
        if location == "/admin/":
            return "admin-index"
        if "/accounts/two-factor/set-up/" in location or "/accounts/two-factor/verify/" in location:
            return "two-factor"
        return "ok"
    if status in (400, 401, 403, 404, 405, 409, 412, 428, 429):
        return str(status)
    return "ok"


def request(world, planted: Planted, entry: dict, method: str, obj: str, persona: str) -> str:
    """Make the request as the persona, inside a savepoint that is rolled back, so no request changes the next."""
    path = build_path(entry, planted, obj)
    with transaction.atomic():
        client = Client(raise_request_exception=False)
        headers = {}
        if entry.get("api"):
            if persona != "anonymous":
                headers["HTTP_AUTHORIZATION"] = f"Bearer {planted.tokens[persona]}"
        elif persona != "anonymous":
            user = getattr(world, persona)
            if user.is_active:
                client.force_login(user)
            else:
                # A deactivated person cannot sign in; their old session cookie must not work either.
                user.is_active = True
                user.save(update_fields=["is_active"])
                client.force_login(user)
                user.is_active = False
                user.save(update_fields=["is_active"])
        call = getattr(client, method.lower())
        if method in ("POST", "PUT", "PATCH"):
            if entry.get("api"):
                body = "{}"
                if "{action}" in entry["path"]:
                    version = Action.objects.filter(pk=planted.values["action"].get(obj)).values_list(
                        "version", flat=True
                    )
                    body = json.dumps({"title": "Changed through the API", "version": next(iter(version), 1)})
                response = call(path, data=body, content_type="application/json", **headers)
            else:
                response = call(path, data="", content_type="application/x-www-form-urlencoded", **headers)
        else:
            response = call(path, **headers)
        transaction.set_rollback(True)
    return classify(response)
