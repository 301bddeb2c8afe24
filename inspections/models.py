"""Organisations, local areas and their partnerships, inspections and their findings."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ICB = "icb", "Integrated care board"
        # CCGs closed on 1 July 2022, but plans written before then name them as partners.
        CCG = "ccg", "Clinical commissioning group (historic)"
        DFE = "dfe", "Department for Education"
        NHS_ENGLAND = "nhs_england", "NHS England"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
        PROVIDER = "provider", "Provider or school"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True, help_text="Leave blank while the organisation exists.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True) | Q(active_to__gte=F("active_from")),
                name="organisation_active_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LocalArea(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    la_code = models.CharField(
        "LA code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^E\d{8}$", "An LA code is E followed by eight digits, for example E10000029.")],
    )
    council = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="council_of",
        limit_choices_to={"kind": Organisation.Kind.LOCAL_AUTHORITY},
    )
    partners = models.ManyToManyField(Organisation, through="AreaPartner", related_name="partner_areas")
    is_invented = models.BooleanField(
        default=False,
        help_text="Demonstration data that does not describe a real area; flagged wherever it is shown.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaPartner(models.Model):
    """An organisation working in an area's partnership for a period: health commissioners, the forum, providers."""

    area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["area", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "organisation", "start_date"], name="area_partner_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="area_partner_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.area}"


class BoardMeeting(models.Model):
    """A meeting of an area's improvement board; dashboards compare progress since the last one."""

    area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="board_meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["area", "-date"]
        constraints = [models.UniqueConstraint(fields=["area", "date"], name="board_meeting_one_per_day")]

    def __str__(self) -> str:
        return f"{self.area} board, {self.date:%d %B %Y}"


class Inspection(models.Model):
    class Framework(models.TextChoices):
        LOCAL_AREA_2016 = "2016", "Local area SEND (2016)"
        AREA_SEND_2023 = "2023", "Area SEND (2023)"

    class Kind(models.TextChoices):
        FULL = "full", "Full inspection"
        REVISIT = "revisit", "Revisit"
        MONITORING = "monitoring", "Monitoring inspection"

    class Outcome(models.TextChoices):
        WSOA_REQUIRED = "wsoa_required", "Written statement of action required"
        NO_WSOA = "no_wsoa", "No written statement of action required"
        POSITIVE = "positive", "Typically positive experiences and outcomes"
        INCONSISTENT = "inconsistent", "Inconsistent experiences and outcomes"
        SYSTEMIC = "systemic", "Widespread and/or systemic failings"

    OUTCOMES_2016 = (Outcome.WSOA_REQUIRED, Outcome.NO_WSOA)
    OUTCOMES_2023 = (Outcome.POSITIVE, Outcome.INCONSISTENT, Outcome.SYSTEMIC)

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="inspections")
    framework = models.CharField(max_length=4, choices=Framework.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FULL)
    onsite_start = models.DateField("on-site start")
    onsite_end = models.DateField("on-site end")
    published_on = models.DateField("report published", null=True, blank=True)
    outcome = models.CharField(
        max_length=16,
        choices=Outcome.choices,
        blank=True,
        help_text="Revisits judge findings, not an outcome.",
    )
    report_url = models.URLField("report link", blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="The earlier inspection that a revisit or monitoring inspection follows.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "onsite_start"]
        constraints = [
            models.CheckConstraint(condition=Q(onsite_end__gte=F("onsite_start")), name="inspection_onsite_in_order"),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("onsite_end")),
                name="inspection_published_after_visit",
            ),
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(framework="2016", outcome__in=["wsoa_required", "no_wsoa"])
                | Q(framework="2023", outcome__in=["positive", "inconsistent", "systemic"]),
                name="inspection_outcome_fits_framework",
            ),
            models.CheckConstraint(
                condition=Q(kind="full", follows__isnull=True) | (~Q(kind="full") & Q(follows__isnull=False)),
                name="inspection_follow_up_names_earlier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_kind_display().lower()}, {self.onsite_start:%B %Y}"


class Finding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        SIGNIFICANT_WEAKNESS = "significant_weakness", "Area of significant weakness"
        PRIORITY_ACTION = "priority_action", "Area for priority action"
        IMPROVEMENT = "improvement", "Area for improvement"

    class Judgement(models.TextChoices):
        SUFFICIENT = "sufficient", "Sufficient progress"
        NOT_SUFFICIENT = "not_sufficient", "Not sufficient progress"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    reference = models.CharField(max_length=16, help_text="As numbered in the report, for example 2 or PA1.")
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    judges = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="judgements",
        help_text="At a revisit or monitoring inspection: the earlier finding this one judges.",
    )
    judgement = models.CharField(max_length=16, choices=Judgement.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "reference"], name="finding_reference_unique"),
            models.CheckConstraint(
                condition=Q(judges__isnull=True, judgement="")
                | Q(judges__isnull=False, judgement__in=["sufficient", "not_sufficient"]),
                name="finding_judgement_with_earlier_finding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}. {self.title}"
