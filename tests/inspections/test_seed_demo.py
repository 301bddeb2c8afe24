"""The demonstration data set: its facts, its shape, its personas and its idempotence."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import User
from actions.models import Action, ActionPlan, Measure, MeasureValue, ProgressUpdate, StatusChange
from inspections.demo import content
from inspections.models import BoardMeeting, Finding, Inspection, LocalArea, Organisation
from send_tracker.working_days import working_days_between


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back afterwards; each test nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def row_counts() -> dict[str, int]:
    """Rows in every table the project owns, historical tables included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_has_about_120_actions_across_four_plans(demo):
    assert 110 <= Action.objects.count() <= 150
    by_plan = dict(ActionPlan.objects.annotate(n=Count("actions")).values_list("kind", "n"))
    assert by_plan == {"wsoa": 20, "app": 35, "pap": 50, "improvement": 15}
    assert 4 <= Inspection.objects.count() <= 7
    assert Finding.objects.count() >= 15
    assert Measure.objects.count() >= 10


def test_historic_plans_are_closed_and_current_plans_mix_every_status(demo):
    historic = Action.objects.filter(plan__kind__in=["wsoa", "app"])
    assert set(historic.values_list("status", flat=True)) == {
        Action.Status.SIGNED_OFF,
        Action.Status.CANCELLED,
    }
    current = set(Action.objects.filter(plan__kind__in=["pap", "improvement"]).values_list("status", flat=True))
    assert current == set(Action.Status.values)


def test_suffolk_is_recorded_as_published(demo):
    suffolk = LocalArea.objects.get(slug="suffolk")
    assert (suffolk.la_code, suffolk.council.name, suffolk.is_invented) == (
        "E10000029",
        "Suffolk County Council",
        False,
    )
    partners = {p.organisation.name: (p.start_date, p.end_date) for p in suffolk.partnerships.all()}
    for ccg in (
        "NHS Ipswich and East Suffolk CCG",
        "NHS West Suffolk CCG",
        "NHS Great Yarmouth and Waveney CCG",
    ):
        assert partners[ccg][1] == dt.date(2022, 6, 30)
        assert Organisation.objects.get(name=ccg).kind == Organisation.Kind.CCG
    for icb in ("NHS Suffolk and North East Essex ICB", "NHS Norfolk and Waveney ICB"):
        assert partners[icb] == (dt.date(2022, 7, 1), None)
    assert "Suffolk Parent Carer Forum" in partners

    first, revisit, latest = Inspection.objects.filter(area=suffolk).order_by("onsite_start")
    assert (first.framework, first.kind, first.outcome) == ("2016", "full", "wsoa_required")
    assert first.onsite_start.strftime("%Y-%m") == "2016-12" and first.published_on.strftime("%Y-%m") == "2017-02"
    assert first.findings.filter(kind=Finding.Kind.SIGNIFICANT_WEAKNESS).count() == 4
    assert revisit.follows == first and revisit.onsite_start.strftime("%Y-%m") == "2019-01"
    verdicts = sorted(revisit.findings.values_list("judges__reference", "judgement"))
    assert verdicts == [
        ("1", "sufficient"),
        ("2", "not_sufficient"),
        ("3", "not_sufficient"),
        ("4", "not_sufficient"),
    ]
    assert (latest.framework, latest.outcome, latest.published_on) == (
        "2023",
        "systemic",
        dt.date(2024, 1, 30),
    )
    assert latest.findings.filter(kind=Finding.Kind.PRIORITY_ACTION).count() == 2
    improvements = latest.findings.filter(kind=Finding.Kind.IMPROVEMENT)
    assert improvements.count() == 3
    assert all("Invented wording" in finding.text for finding in improvements)

    pap = ActionPlan.objects.get(area=suffolk, kind="pap")
    assert pap.submitted_on == dt.date(2024, 3, 7) and pap.inspection == latest
    app = ActionPlan.objects.get(area=suffolk, kind="app")
    assert app.inspection == revisit
    assert set(Finding.objects.filter(actions__plan=app).values_list("judgement", flat=True)) == {"not_sufficient"}
    wsoa = ActionPlan.objects.get(area=suffolk, kind="wsoa")
    assert wsoa.status == ActionPlan.Status.ACCEPTED and wsoa.inspection == first
    board = set(BoardMeeting.objects.filter(area=suffolk).values_list("date", flat=True))
    assert {dt.date(2024, 3, 1), dt.date(2024, 5, 3), dt.date(2024, 6, 7), dt.date(2024, 7, 5)} <= board
    assert max(board) > timezone.localdate()


def test_westmere_is_flagged_as_invented_with_an_inconsistent_outcome(demo):
    westmere = LocalArea.objects.get(slug="westmere")
    assert westmere.is_invented and westmere.la_code == "E06000999"
    latest = westmere.inspections.order_by("-onsite_start").first()
    assert latest.outcome == Inspection.Outcome.INCONSISTENT
    assert latest.findings.filter(kind=Finding.Kind.IMPROVEMENT).count() == 3
    assert ActionPlan.objects.get(area=westmere).kind == "improvement"


def test_every_action_answers_findings_of_its_own_area(demo):
    for action in Action.objects.select_related("plan").prefetch_related("findings__inspection"):
        findings = list(action.findings.all())
        assert findings, action
        assert {finding.inspection.area_id for finding in findings} == {action.plan.area_id}


def test_signed_off_actions_and_only_they_are_blue(demo):
    assert not Action.objects.filter(Q(status="signed_off") & ~Q(rag="blue")).exists()
    assert not Action.objects.filter(~Q(status="signed_off") & Q(rag="blue")).exists()
    for action in Action.objects.filter(status="signed_off"):
        assert action.signed_off_by and action.signed_off_by_id != action.lead_officer_id
        assert action.status_changes.filter(to_status="signed_off").exists()


def test_health_actions_are_led_by_health_bodies(demo):
    health_kinds = {Organisation.Kind.ICB, Organisation.Kind.CCG}
    for action in Action.objects.filter(lead_officer__username="health.suffolk"):
        assert action.lead_organisation.kind in health_kinds
    icb_led = Action.objects.filter(plan__kind="pap", lead_organisation__kind="icb")
    assert icb_led.filter(lead_officer__username="health.suffolk").count() >= 5


def test_officer_suffolk_has_overdue_and_due_soon_actions(demo):
    today = timezone.localdate()
    mine = Action.objects.filter(lead_officer__username="officer.suffolk", status__in=Action.OPEN_STATUSES)
    overdue = [working_days_between(a.due_date, today) for a in mine if a.due_date < today]
    due_soon = [a for a in mine if today <= a.due_date <= today + dt.timedelta(days=14)]
    assert len(overdue) >= 2 and max(overdue) > 20
    assert due_soon


def test_open_actions_span_overdue_bands_and_due_soon(demo):
    today = timezone.localdate()
    open_actions = Action.objects.filter(status__in=Action.OPEN_STATUSES)
    late = [working_days_between(a.due_date, today) for a in open_actions if a.due_date < today]
    assert (
        any(days > 20 for days in late) and any(10 < days <= 20 for days in late) and any(days <= 10 for days in late)
    )
    assert open_actions.filter(due_date__range=(today, today + dt.timedelta(days=14))).count() >= 5
    assert open_actions.filter(due_date__gt=today + dt.timedelta(days=14)).count() >= 10


def test_in_progress_actions_have_several_updates_with_varied_rag(demo):
    in_progress = Action.objects.filter(status=Action.Status.IN_PROGRESS).annotate(n=Count("updates"))
    assert all(action.n >= 1 for action in in_progress)
    assert in_progress.filter(n__gte=2).count() >= 20
    assert set(in_progress.values_list("rag", flat=True)) == {"red", "amber", "green"}
    for action in in_progress:
        latest = action.updates.order_by("-created_at").first()
        assert (action.rag, action.percent_complete, action.last_update_at) == (
            latest.rag,
            latest.percent_complete,
            latest.created_at,
        )


def test_revised_due_dates_keep_the_original_and_a_reason(demo):
    revised = Action.objects.exclude(due_date=F("original_due_date"))
    assert revised.count() >= 4
    for action in revised:
        revision = action.due_date_revisions.get()
        assert revision.previous_due_date == action.original_due_date and revision.reason


def test_history_is_dated_in_the_past_and_in_order(demo):
    now = timezone.now()
    assert ProgressUpdate.objects.filter(created_at__gt=now).count() == 0
    assert StatusChange.objects.filter(changed_at__gt=now).count() == 0
    assert not Action.history.filter(history_date__gt=now).exists()
    assert not Action.history.filter(history_user__isnull=True).exists()
    for action in Action.objects.filter(plan__kind="wsoa"):
        dates = list(action.history.order_by("history_id").values_list("history_date", flat=True))
        assert dates == sorted(dates) and dates[-1].year < 2020


def test_suffolk_measures_have_a_year_of_monthly_values_marked_invented(demo):
    timeliness = Measure.objects.get(area__slug="suffolk", name__startswith="New EHC plans issued within 20 weeks")
    assert timeliness.direction == "higher" and timeliness.findings.exists()
    values = list(timeliness.values.all())
    assert len(values) == 12
    assert all(value.source.startswith("Demonstration figures") for value in values)
    assert all(value.comparator is not None for value in values)
    monthly = Measure.objects.filter(area__slug="suffolk").annotate(n=Count("values")).filter(n=12)
    assert monthly.count() >= 6
    post16 = Measure.objects.get(name__startswith="Post-16 phase-transfer")
    assert post16.values.get(period_label="2023").value == 53.5


@pytest.mark.parametrize(
    ("username", "areas"),
    [
        ("officer.suffolk", {"suffolk"}),
        ("health.suffolk", {"suffolk"}),
        ("manager.suffolk", {"suffolk"}),
        ("chair.suffolk", {"suffolk"}),
        ("pcf.suffolk", {"suffolk"}),
        ("officer.westmere", {"westmere"}),
        ("adviser.dfe", {"suffolk", "westmere"}),
        ("adviser.nhse", {"suffolk", "westmere"}),
        ("admin", {"suffolk", "westmere"}),
    ],
)
def test_each_demo_persona_sees_exactly_its_areas(demo, username, areas):
    user = User.objects.get(username=username)
    assert set(access.visible_areas(user).values_list("slug", flat=True)) == areas


def test_demo_personas_hold_the_roles_the_design_lists(demo):
    chair = User.objects.get(username="chair.suffolk").memberships.get()
    assert chair.role == "board_member" and chair.is_independent_chair
    pcf = User.objects.get(username="pcf.suffolk").memberships.get()
    assert pcf.is_parent_carer_forum_rep and pcf.organisation.kind == Organisation.Kind.PARENT_CARER_FORUM
    assert User.objects.get(username="manager.suffolk").memberships.get().role == "plan_manager"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    suffolk = LocalArea.objects.get(slug="suffolk")
    assert access.can_manage_area(User.objects.get(username="manager.suffolk"), suffolk)
    assert suffolk.pk in access.board_area_ids(User.objects.get(username="chair.suffolk"))


def test_demo_users_sign_in_with_the_demo_password(demo):
    for person in content.DEMO_USERS:
        assert authenticate(username=person.username, password=settings.DEMO_PASSWORD) is not None, person.username
    for person in content.OTHER_PEOPLE:
        assert not User.objects.get(username=person.username).has_usable_password()


def test_command_prints_counts_and_the_demo_logins(demo):
    assert "actions: 120" in demo
    for person in content.DEMO_USERS:
        assert person.username in demo
    assert settings.DEMO_PASSWORD in demo


def test_second_run_weeks_later_changes_nothing(demo):
    before = row_counts()
    due_dates = list(Action.objects.order_by("pk").values_list("due_date", "version"))
    values = list(MeasureValue.objects.order_by("pk").values_list("period", "value"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=45)):
        output = StringIO()
        call_command("seed_demo", stdout=output)
    assert row_counts() == before
    assert list(Action.objects.order_by("pk").values_list("due_date", "version")) == due_dates
    assert list(MeasureValue.objects.order_by("pk").values_list("period", "value")) == values
    assert "new)" not in output.getvalue()


def test_officer_westmere_gets_404_on_every_suffolk_object(demo):
    user = User.objects.get(username="officer.westmere")
    scoped = [
        (access.visible_inspections(user), Inspection.objects.filter(area__slug="suffolk")),
        (access.visible_findings(user), Finding.objects.filter(inspection__area__slug="suffolk")),
        (access.visible_plans(user), ActionPlan.objects.filter(area__slug="suffolk")),
        (access.visible_actions(user), Action.objects.filter(plan__area__slug="suffolk")),
        (access.visible_measures(user), Measure.objects.filter(area__slug="suffolk")),
    ]
    for queryset, suffolk_objects in scoped:
        assert suffolk_objects.exists()
        for pk in suffolk_objects.values_list("pk", flat=True):
            with pytest.raises(Http404):
                access.get_visible_or_404(queryset, pk=pk)
    assert access.visible_actions(user).count() == Action.objects.filter(plan__area__slug="westmere").count()


def test_loading_the_demo_emails_nobody_about_its_historic_events(db):
    from reminders.models import Delivery

    call_command("seed_demo", stdout=StringIO())
    assert not Delivery.objects.exists()
