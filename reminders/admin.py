from __future__ import annotations

from django.contrib import admin

from .models import Delivery, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "before_due_working_days",
        "on_due_date",
        "overdue_repeat_days",
        "escalate_to_managers_after",
        "escalate_to_board_after",
    ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: the ledger changes only through the reminders services (and the delivery log's re-send)."""

    list_display = ["scheduled_for", "kind", "recipient", "action", "meeting", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "scheduled_for"]
    search_fields = ["recipient__email", "action__reference", "action__title"]
    list_select_related = ["recipient", "action", "meeting__area"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
