"""People: users, their membership of an organisation with a role, advisers' caseloads, preferences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    class ReminderDelivery(models.TextChoices):
        EACH = "each", "One email for each reminder"
        DAILY_DIGEST = "daily_digest", "One daily digest"

    reminder_delivery = models.CharField(
        max_length=16,
        choices=ReminderDelivery.choices,
        default=ReminderDelivery.EACH,
        help_text="Escalations and overdue alerts are always sent one by one.",
    )
    # Secret part of the user's private calendar-feed URL; a new value revokes the old URL.
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's organisation and role. A user may hold more than one (for example officer in two bodies)."""

    class Role(models.TextChoices):
        ACTION_OFFICER = "action_officer", "Action officer"
        PLAN_MANAGER = "plan_manager", "Plan manager"
        BOARD_MEMBER = "board_member", "Board member"
        ADVISER = "adviser", "Adviser"
        ADMINISTRATOR = "administrator", "Administrator"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey("inspections.Organisation", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    job_title = models.CharField(max_length=200, blank=True)
    is_independent_chair = models.BooleanField(default=False)
    is_parent_carer_forum_rep = models.BooleanField("parent carer forum representative", default=False)
    areas = models.ManyToManyField(
        "inspections.LocalArea",
        blank=True,
        related_name="assigned_memberships",
        help_text=(
            "Advisers: their caseload. Board members: the boards they sit on. "
            "Officers and plan managers reach their organisation's areas without this."
        ),
    )

    class Meta:
        ordering = ["user__username", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=Q(role="board_member") | Q(is_independent_chair=False, is_parent_carer_forum_rep=False),
                name="membership_board_flags_only_for_board_members",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_role_display()}, {self.organisation}"
