"""A hand-computed plan for Northshire, built step by step through the services on the dates things happened.

Today is Thursday 20 June 2024. Board meetings: 1 March, 20 May (the last one) and 5 July 2024. The plan answers the
November 2023 inspection's findings AFI1, PA1 and PA2; a monitoring inspection in May 2024 judged PA1 "not
sufficient". Ten actions (references as below):

A1  PA1      due 10 May   completed 1 May, signed off 8 May with evidence
A2  PA1+PA2  due 28 Jun   completed 3 Jun, signed off 5 Jun with evidence (answers two findings)
A3  PA1      due 31 May   amber update 10 May, red update 10 Jun: overdue since 31 May (after the meeting)
A4  PA2      due 15 May   revised on 14 May to 15 July (42 working days later), not started
A5  PA2      due 30 Apr   cancelled on 20 April
A6  AFI1     due 17 May   completed 16 May, sent back 17 May (reopened): overdue before the meeting
A7  AFI1     due 10 Jul   in progress, green: due in the next 30 days
A8  PA1      due 25 Jun   completed 18 June, awaiting sign-off
A9  AFI1     due 14 Jun   created 1 June, not started: overdue
A10 PA1      due 7 Jun    completed 6 Jun, signed off 12 June without evidence (not "ready")

Every expected figure in the tests is worked out by hand from this table, not from the code under test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from actions import services
from actions.models import Action, Evidence, MeasureValue
from inspections.models import Finding, Inspection
from tests import factories as f

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2024, 6, 20)


def at(day: dt.date, hour: int = 12):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON), tick=False)


@dataclass
class Scenario:
    world: object
    plan: object
    findings: dict
    actions: dict
    meetings: list


def build(world) -> Scenario:
    area, manager, chair = world.area, world.manager, world.chair
    with at(dt.date(2024, 4, 3)):
        inspection = f.InspectionFactory(area=area)
        findings = {
            "PA1": f.FindingFactory(inspection=inspection, reference="PA1", title="Timeliness of EHC plans"),
            "PA2": f.FindingFactory(inspection=inspection, reference="PA2", title="Joint commissioning"),
            "AFI1": f.FindingFactory(
                inspection=inspection, reference="AFI1", title="The local offer", kind=Finding.Kind.IMPROVEMENT
            ),
        }
        f.FindingFactory(inspection=inspection, reference="S1", title="Early years", kind=Finding.Kind.STRENGTH)
        plan = f.ActionPlanFactory(area=area, inspection=inspection)
        due = {
            "A1": (5, 10, ["PA1"]),
            "A2": (6, 28, ["PA1", "PA2"]),
            "A3": (5, 31, ["PA1"]),
            "A4": (5, 15, ["PA2"]),
            "A5": (4, 30, ["PA2"]),
            "A6": (5, 17, ["AFI1"]),
            "A7": (7, 10, ["AFI1"]),
            "A8": (6, 25, ["PA1"]),
            "A10": (6, 7, ["PA1"]),
        }
        actions = {
            ref: f.ActionFactory(
                plan=plan,
                reference=ref,
                title=f"Action {ref}",
                due_date=dt.date(2024, month, day),
                status=Action.Status.NOT_STARTED,
                findings=[findings[k] for k in keys],
            )
            for ref, (month, day, keys) in due.items()
        }
        for ref in ("A7",):
            _update(actions, ref, manager, "Started", "green")
    monitoring = Inspection.objects.create(
        area=area,
        framework=Inspection.Framework.AREA_SEND_2023,
        kind=Inspection.Kind.MONITORING,
        onsite_start=dt.date(2024, 5, 13),
        onsite_end=dt.date(2024, 5, 17),
        follows=inspection,
    )
    Finding.objects.create(
        inspection=monitoring,
        kind=Finding.Kind.PRIORITY_ACTION,
        reference="PA1",
        title="Timeliness of EHC plans",
        judges=findings["PA1"],
        judgement=Finding.Judgement.NOT_SUFFICIENT,
    )
    meetings = [f.BoardMeetingFactory(area=area, date=dt.date(2024, m, d)) for m, d in ((3, 1), (5, 20), (7, 5))]

    with at(dt.date(2024, 4, 20)):
        actions["A5"] = services.action_cancel(action=actions["A5"], user=manager, reason="Merged into A4")
    with at(dt.date(2024, 4, 25)):
        _update(actions, "A1", manager, "Draft ready", "green", evidence=True)
    with at(dt.date(2024, 5, 1)):
        _complete(actions, "A1", manager)
    with at(dt.date(2024, 5, 8)):
        actions["A1"] = services.action_sign_off(action=actions["A1"], user=chair)
    with at(dt.date(2024, 5, 10)):
        _update(actions, "A3", manager, "Recruitment is slow", "amber")
    with at(dt.date(2024, 5, 14)):
        actions["A4"] = services.action_revise_due_date(
            action_id=actions["A4"].pk,
            user=manager,
            expected_version=actions["A4"].version,
            new_due_date=dt.date(2024, 7, 15),
            reason="Waiting for the new ICB contract",
        )
    with at(dt.date(2024, 5, 16)):
        _complete(actions, "A6", manager)
    with at(dt.date(2024, 5, 17)):
        actions["A6"] = services.action_send_back(action=actions["A6"], user=chair, reason="No evidence of impact")
    with at(dt.date(2024, 6, 1)):
        actions["A9"] = f.ActionFactory(
            plan=plan,
            reference="A9",
            title="Action A9",
            due_date=dt.date(2024, 6, 14),
            status=Action.Status.NOT_STARTED,
            findings=[findings["AFI1"]],
        )
    with at(dt.date(2024, 6, 2)):
        _update(actions, "A2", manager, "Panel in place", "green", evidence=True)
    with at(dt.date(2024, 6, 3)):
        _complete(actions, "A2", manager)
    with at(dt.date(2024, 6, 5)):
        actions["A2"] = services.action_sign_off(action=actions["A2"], user=chair)
    with at(dt.date(2024, 6, 6)):
        _complete(actions, "A10", manager)
    with at(dt.date(2024, 6, 10)):
        _update(actions, "A3", manager, "Supplier delayed", "red")
    with at(dt.date(2024, 6, 12)):
        actions["A10"] = services.action_sign_off(action=actions["A10"], user=chair)
    with at(dt.date(2024, 6, 18)):
        _complete(actions, "A8", manager)
    return Scenario(world=world, plan=plan, findings=findings, actions=actions, meetings=meetings)


def _update(actions: dict, ref: str, user, text: str, rag: str, *, evidence: bool = False) -> None:
    action = Action.objects.get(pk=actions[ref].pk)
    update = services.progress_update_create(action=action, author=user, text=text, rag=rag, percent_complete=50)
    if evidence:
        Evidence.objects.create(
            update=update,
            uploaded_by=user,
            file="evidence/test.pdf",
            original_name="minutes.pdf",
            size=1000,
            content_type="application/pdf",
        )
    actions[ref] = Action.objects.get(pk=action.pk)


def _complete(actions: dict, ref: str, user) -> None:
    action = Action.objects.get(pk=actions[ref].pk)
    actions[ref] = services.action_complete(action=action, user=user, statement="Done")


def add_kpis(area) -> tuple:
    timeliness = f.MeasureFactory(area=area, name="Plans within 20 weeks", unit="%", target=60)
    for year, value, england in ((2021, 40, "59.9"), (2022, None, "49.2"), (2023, "45.5", "50.3")):
        f.MeasureValueFactory(
            measure=timeliness, period=dt.date(year, 1, 1), period_label=str(year), value=value, comparator=england
        )
    weeks = f.MeasureFactory(area=area, name="Average weeks to issue", unit="weeks", direction="lower")
    for year, value in ((2022, 30), (2023, 32)):
        MeasureValue.objects.create(measure=weeks, period=dt.date(year, 1, 1), value=value)
    return timeliness, weeks
