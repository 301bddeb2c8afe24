"""The dashboards app reads other apps' models; it owns only the board pack schedule."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class BoardPackSchedule(models.Model):
    """Administrators schedule an area's board pack: emailed to its chair before each recorded board meeting."""

    area = models.OneToOneField("inspections.LocalArea", on_delete=models.CASCADE, related_name="board_pack_schedule")
    working_days_before = models.PositiveSmallIntegerField(
        "working days before each meeting",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="The pack goes to the board chair this many working days before each board meeting.",
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["area__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(working_days_before__gte=1, working_days_before__lte=30),
                name="board_pack_schedule_days_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Board pack for {self.area}, {self.working_days_before} working days before each meeting"
