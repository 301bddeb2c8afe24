"""Improvement plans, their actions, progress updates with evidence, and the measures (KPIs) that show impact.

State changes go through `actions.services`, never through `queryset.update()`, so that every change to a plan or
an action is a model save that django-simple-history records.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class PlanKind(models.TextChoices):
    WRITTEN_STATEMENT = "wsoa", "Written statement of action"
    ACCELERATED_PROGRESS = "app", "Accelerated progress plan"
    PRIORITY_ACTION = "pap", "Priority action plan"
    IMPROVEMENT = "improvement", "Improvement plan"


class PlanDeadlineRule(models.Model):
    """How many working days after the report is published a plan of this kind is due.

    Without a row, `actions.services.DEFAULT_SUBMISSION_WORKING_DAYS` applies; administrators change it here.
    """

    kind = models.CharField(max_length=16, choices=PlanKind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.working_days} working days"


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        SUPERSEDED = "superseded", "Superseded"

    area = models.ForeignKey("inspections.LocalArea", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=16, choices=PlanKind.choices)
    title = models.CharField(max_length=200)
    inspection = models.ForeignKey("inspections.Inspection", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submission_due = models.DateField(
        null=True, blank=True, help_text="Worked out in working days from the report's publication."
    )
    submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    published_url = models.URLField("published plan link", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-inspection__onsite_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True)
                | Q(submitted_on__isnull=False, accepted_on__gte=F("submitted_on")),
                name="plan_accepted_after_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.title}"

    def clean(self) -> None:
        if self.inspection_id and self.area_id and self.inspection.area_id != self.area_id:
            raise ValidationError({"inspection": "The inspection must be of the same area as the plan."})


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed, awaiting sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        REOPENED = "reopened", "Reopened"
        CANCELLED = "cancelled", "Cancelled"

    # Still to be delivered: reminders and "overdue" only ever look at these.
    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.REOPENED)

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"
        BLUE = "blue", "Blue (signed off)"

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=16, help_text='Unique within the plan, for example "2.3".')
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    findings = models.ManyToManyField("inspections.Finding", related_name="actions", blank=True)
    lead_organisation = models.ForeignKey(
        "inspections.Organisation", on_delete=models.PROTECT, related_name="led_actions"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions"
    )
    supporting_organisations = models.ManyToManyField(
        "inspections.Organisation", related_name="supported_actions", blank=True
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField()
    original_due_date = models.DateField(help_text="The first due date; kept when the due date is revised.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG", max_length=8, choices=Rag.choices, default=Rag.GREEN)
    success_measure = models.TextField(blank=True)
    percent_complete = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    # Kept by the services from the latest progress update, so lists need no subquery over all updates.
    last_update_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_off_actions",
    )
    # Optimistic locking: a form carries the version it was read at; a save from an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="action_reference_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_after_start",
            ),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="action_percent_at_most_100"),
            # Blue means signed off, and only signed-off actions are blue.
            models.CheckConstraint(
                condition=(Q(status="signed_off") & Q(rag="blue")) | (~Q(status="signed_off") & ~Q(rag="blue")),
                name="action_blue_iff_signed_off",
            ),
        ]
        indexes = [
            # Reminder sweep: open actions by due date ("which open actions fall due, or are overdue, today?").
            models.Index(
                fields=["due_date"],
                name="action_open_due_idx",
                condition=Q(status__in=["not_started", "in_progress", "reopened"]),
            ),
            # My actions: a lead officer's open actions, soonest first.
            models.Index(
                fields=["lead_officer", "due_date"],
                name="action_open_lead_due_idx",
                condition=Q(status__in=["not_started", "in_progress", "reopened"]),
            ),
            # Dashboards: counts of a plan's actions by status and RAG.
            models.Index(fields=["plan", "status", "rag"], name="action_plan_status_rag_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def area(self):
        return self.plan.area

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def due_date_revised(self) -> bool:
        return self.due_date != self.original_due_date


class DueDateRevision(models.Model):
    """Each change of an action's due date, with the reason the plan manager gave."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_date_revisions")
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason = models.TextField()
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "revised_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="due_date_revision_has_reason"),
            models.CheckConstraint(
                condition=~Q(new_due_date=F("previous_due_date")), name="due_date_revision_changes_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference}: {self.previous_due_date} to {self.new_due_date}"


class StatusChange(models.Model):
    """One step of the workflow (completion, sign-off, sending back, cancelling): who, when and why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Action.Status.choices)
    to_status = models.CharField(max_length=16, choices=Action.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "changed_at"]
        indexes = [models.Index(fields=["to_status", "changed_at"], name="status_change_to_at_idx")]

    def __str__(self) -> str:
        return f"{self.action.reference}: {self.from_status} to {self.to_status}"


class ProgressUpdate(models.Model):
    """Append-only: an update is never edited or deleted once posted, so updates never conflict."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()
    rag = models.CharField("RAG", max_length=8, choices=Action.Rag.choices)
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["action", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="update_percent_at_most_100"),
        ]
        indexes = [
            # Action timeline and "latest update": an action's updates, newest first.
            models.Index(fields=["action", "-created_at"], name="update_action_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"Update on {self.action.reference} by {self.author} at {self.created_at:%d %b %Y}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Progress updates cannot be changed once posted.")
        super().save(*args, **kwargs)


def evidence_path(instance: Evidence, filename: str) -> str:
    # A generated name: the uploader's file name is kept only as data, never as a path on disk.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


class Measure(models.Model):
    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", "Higher is better"
        LOWER_IS_BETTER = "lower", "Lower is better"

    area = models.ForeignKey("inspections.LocalArea", on_delete=models.PROTECT, related_name="measures")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, help_text='For example "%", "weeks" or "plans".')
    direction = models.CharField(max_length=8, choices=Direction.choices)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    findings = models.ManyToManyField("inspections.Finding", related_name="measures", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="measure_name_unique_in_area")]

    def __str__(self) -> str:
        return f"{self.area}: {self.name}"


class MeasureValue(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text="The first day of the period the value describes.")
    period_label = models.CharField(max_length=40, blank=True, help_text='As published, for example "2024-25".')
    # Blank when the publisher suppressed the figure: missing is not zero.
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    comparator = models.DecimalField("England comparator", max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["measure", "period"]
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="measure_value_one_per_period")]

    def __str__(self) -> str:
        return f"{self.measure.name}, {self.period_label or self.period}"
