"""factory_boy factories for every model; tests build exactly the data they need."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Membership, User
from actions.models import Action, ActionPlan, Measure, MeasureValue, PlanKind, ProgressUpdate
from inspections.models import AreaPartner, BoardMeeting, Finding, Inspection, LocalArea, Organisation

PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY


class LocalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalArea

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    la_code = factory.Sequence(lambda n: f"E{10000000 + n:08d}")
    council = factory.SubFactory(
        OrganisationFactory, name=factory.LazyAttribute(lambda o: f"{o.factory_parent.name} Council")
    )


class AreaPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaPartner

    area = factory.SubFactory(LocalAreaFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.ICB)


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    area = factory.SubFactory(LocalAreaFactory)
    date = dt.date(2024, 3, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ACTION_OFFICER

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    area = factory.SubFactory(LocalAreaFactory)
    framework = Inspection.Framework.AREA_SEND_2023
    kind = Inspection.Kind.FULL
    onsite_start = dt.date(2023, 11, 6)
    onsite_end = dt.date(2023, 11, 10)
    published_on = dt.date(2024, 1, 30)
    outcome = Inspection.Outcome.SYSTEMIC


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = Finding.Kind.PRIORITY_ACTION
    reference = factory.Sequence(lambda n: f"F{n}")
    title = factory.Sequence(lambda n: f"Finding {n}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    area = factory.SubFactory(LocalAreaFactory)
    inspection = factory.SubFactory(InspectionFactory, area=factory.SelfAttribute("..area"))
    kind = PlanKind.PRIORITY_ACTION
    title = "Priority action plan"
    status = ActionPlan.Status.ACCEPTED
    submitted_on = dt.date(2024, 3, 7)
    accepted_on = dt.date(2024, 4, 2)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    reference = factory.Sequence(lambda n: f"{n // 10 + 1}.{n % 10 + 1}")
    title = factory.Sequence(lambda n: f"Action {n}")
    lead_organisation = factory.LazyAttribute(lambda a: a.plan.area.council)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    original_due_date = factory.SelfAttribute("due_date")
    status = Action.Status.IN_PROGRESS
    rag = Action.Rag.GREEN

    @factory.post_generation
    def findings(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.findings.set(extracted)

    @factory.post_generation
    def supporting_organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.supporting_organisations.set(extracted)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    text = "Work is under way."
    rag = Action.Rag.GREEN
    percent_complete = 40


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    area = factory.SubFactory(LocalAreaFactory)
    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "%"
    direction = Measure.Direction.HIGHER_IS_BETTER


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    period = dt.date(2024, 1, 1)
    value = 50


def failed_revisit(area, *, weakness_title: str, judged_title: str, **first_fields):
    """A 2016 inspection with one area of significant weakness, and a 2019 revisit judging it not sufficient.

    Returns (first inspection, its weakness, the revisit).
    """
    first = InspectionFactory(
        area=area,
        framework=Inspection.Framework.LOCAL_AREA_2016,
        outcome=Inspection.Outcome.WSOA_REQUIRED,
        onsite_start=dt.date(2016, 12, 5),
        onsite_end=dt.date(2016, 12, 9),
        published_on=dt.date(2017, 2, 1),
        **first_fields,
    )
    weakness = FindingFactory(
        inspection=first, kind=Finding.Kind.SIGNIFICANT_WEAKNESS, reference="1", title=weakness_title
    )
    revisit = InspectionFactory(
        area=area,
        framework=Inspection.Framework.LOCAL_AREA_2016,
        kind=Inspection.Kind.REVISIT,
        follows=first,
        outcome="",
        onsite_start=dt.date(2019, 1, 14),
        onsite_end=dt.date(2019, 1, 16),
        published_on=dt.date(2019, 3, 1),
    )
    FindingFactory(
        inspection=revisit,
        kind=Finding.Kind.SIGNIFICANT_WEAKNESS,
        reference="R1",
        title=judged_title,
        judges=weakness,
        judgement=Finding.Judgement.NOT_SUFFICIENT,
    )
    return first, weakness, revisit
