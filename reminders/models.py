"""The reminder policy and the delivery ledger.

The ledger is the truth about what is owed to whom: one row per (action or digest, recipient, kind, period).
The broker only carries ledger ids as wake-up calls; a lost message is recovered by the reaper from the rows
here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

DEFAULT_BEFORE_DUE = "14,7,1"


def parse_working_days_list(raw: str) -> tuple[int, ...]:
    """ "14, 7, 1" -> (14, 7, 1); refuses anything but distinct whole numbers from 1 to 60."""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    try:
        days = tuple(int(part) for part in parts)
    except ValueError:
        raise ValidationError(
            "Enter whole numbers of working days separated by commas, for example 14, 7, 1."
        ) from None
    if any(day < 1 or day > 60 for day in days):
        raise ValidationError("Each number of working days must be between 1 and 60.")
    if len(set(days)) != len(days):
        raise ValidationError("Each number of working days may appear only once.")
    return tuple(sorted(days, reverse=True))


def validate_working_days_list(raw: str) -> None:
    parse_working_days_list(raw)


class ReminderPolicy(models.Model):
    """When reminders and escalations go out. The row without an area is the default; an area may override
    it."""

    area = models.OneToOneField(
        "inspections.LocalArea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_policy",
        help_text="Leave blank for the default policy that applies to every area without its own.",
    )
    before_due_working_days = models.CharField(
        "reminders before the due date",
        max_length=40,
        default=DEFAULT_BEFORE_DUE,
        validators=[validate_working_days_list],
        help_text="Working days before the due date, separated by commas.",
    )
    on_due_date = models.BooleanField("remind on the due date", default=True)
    overdue_repeat_days = models.PositiveSmallIntegerField(
        "repeat overdue reminders every (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="After the first overdue reminder on the next working day.",
    )
    escalate_to_managers_after = models.PositiveSmallIntegerField(
        "copy in plan managers when overdue by (working days)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    escalate_to_board_after = models.PositiveSmallIntegerField(
        "alert the board chair and advisers when overdue by (working days)",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )

    class Meta:
        verbose_name_plural = "reminder policies"
        constraints = [
            # One default (area is NULL) and one override per area. NULLs are distinct in a plain unique
            # index, so the default row is made unique through COALESCE.
            models.UniqueConstraint(Coalesce("area", Value(0)), name="reminder_policy_one_per_area"),
            models.CheckConstraint(
                condition=Q(escalate_to_board_after__gt=F("escalate_to_managers_after")),
                name="reminder_policy_board_after_managers",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder policy for {self.area}" if self.area_id else "Default reminder policy"

    def clean(self) -> None:
        if (
            self.escalate_to_board_after is not None
            and self.escalate_to_managers_after is not None
            and self.escalate_to_board_after <= self.escalate_to_managers_after
        ):
            message = "The board is alerted after plan managers: enter a larger number."
            raise ValidationError({"escalate_to_board_after": message})

    @property
    def before_due(self) -> tuple[int, ...]:
        return parse_working_days_list(self.before_due_working_days)


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ESCALATION_MANAGERS = "escalation_managers", "Overdue: plan managers copied in"
    ESCALATION_BOARD = "escalation_board", "Overdue: board chair and advisers alerted"
    ASSIGNED = "assigned", "Assigned"
    DUE_DATE_REVISED = "due_date_revised", "Due date revised"
    SENT_BACK = "sent_back", "Sent back at sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    DAILY_DIGEST = "daily_digest", "Daily digest"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest"
    BOARD_PACK = "board_pack", "Board pack"


# Emails about an open action's deadline: pointless once the action is completed or cancelled.
DEADLINE_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION_MANAGERS, Kind.ESCALATION_BOARD)

# Reminders a user may take as one daily digest instead; escalations and overdue alerts always go one by one.
DIGESTIBLE_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY)


class Delivery(models.Model):
    """One email owed to one person. Claimed with a conditional update before it is sent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # A send whose outcome nobody knows (the sender died after several attempts): left for a person to
        # check.
        UNKNOWN = "unknown", "Unknown"
        # Part of the recipient's daily digest, which is its own row; never sent on its own.
        IN_DIGEST = "in_digest", "In daily digest"
        # The action was completed or cancelled before its reminder went out: nothing to send.
        NOT_NEEDED = "not_needed", "Not needed"

    # The ledger's links to actions, users and meetings are not enforced by the database (db_constraint=False).
    # A foreign key checks each inserted row on its own, and for the daily sweep's thousands of rows those checks
    # cost as much as selecting the reminders in the first place (bench/README.md, "Findings"). Deleting an
    # action, user or meeting through Django still deletes its ledger rows (on_delete=CASCADE is Django's
    # work), the sweep takes its ids from live rows in the same statement, and a worker settles a row whose
    # action, recipient or meeting has gone anyway as "not needed" rather than sending it.
    #
    # Lookups by action use the unique constraint's index, which starts with it (see Meta.constraints).
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    # The board meeting a board pack is for; empty for every other kind. The ledger key is still the
    # period key (the meeting's id), as for digests; this link serves the email, the log and access.
    # Indexed only where set (see Meta.indexes): nearly every row has no meeting.
    meeting = models.ForeignKey(
        "inspections.BoardMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    # Not indexed on its own: the daily digest's lookup has a partial index (Meta.indexes), and any other index
    # on it would only slow the sweep's inserts.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # Which occurrence this is: the day of a reminder, the due date an escalation is about, the action's
    # version for an event, the ISO week of a weekly digest, the board meeting of a board pack. Together with the above it makes a second insert
    # a no-op.
    period_key = models.CharField(max_length=32)
    scheduled_for = models.DateField(help_text="The day the email became due.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a worker claims the row; a row left "sending" long after this was abandoned by a dead worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A transient failure waits until then; the reaper leaves the row alone before it.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # GOV.UK Notify's notification id, when sent through Notify.
    provider_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            # Digests have no action: NULLS NOT DISTINCT (PostgreSQL 15) makes their empty action count as one
            # value for uniqueness. The index also serves every lookup by action.
            models.UniqueConstraint(
                fields=["action", "recipient", "kind", "period_key"],
                name="delivery_once_per_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(action__isnull=False) | Q(kind__in=["daily_digest", "weekly_digest", "board_pack"]),
                name="delivery_action_unless_digest",
            ),
            # A board pack always names its meeting, and only a board pack has one.
            models.CheckConstraint(
                condition=Q(kind="board_pack", meeting__isnull=False, action__isnull=True)
                | (~Q(kind="board_pack") & Q(meeting__isnull=True)),
                name="delivery_meeting_only_for_board_pack",
            ),
        ]
        indexes = [
            # Reaper: "rows still pending or sending, oldest first". Sent and failed rows, nearly all of the
            # table, stay out of the index.
            models.Index(
                fields=["status", "created_at"],
                name="delivery_unsettled_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # Delivery log: newest first by day, filtered by status or kind.
            models.Index(fields=["scheduled_for", "kind"], name="delivery_day_kind_idx"),
            # Daily digest: the recipient's reminders bundled into it. Only those rows, a few percent of each
            # sweep's, are indexed: nothing else looks rows up by recipient but deleting a user, which is rare.
            models.Index(
                fields=["recipient", "scheduled_for"],
                name="delivery_digest_bundle_idx",
                condition=Q(status="in_digest"),
            ),
            # A board meeting's packs (and deleting a meeting).
            models.Index(fields=["meeting"], name="delivery_meeting_idx", condition=Q(meeting__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.period_key})"

    @property
    def key(self) -> str:
        """The ledger key carried in the X-SEND-Tracker-Key header: unique, stable across retries."""
        return f"{self.pk}:{self.kind}:{self.action_id or 0}:{self.recipient_id}:{self.period_key}"
