from __future__ import annotations

import django_tables2 as tables

from .models import Delivery


class DeliveryTable(tables.Table):
    scheduled_for = tables.DateColumn("j M Y", verbose_name="Due")
    kind = tables.Column(verbose_name="Email")
    recipient = tables.Column(accessor="recipient__email", verbose_name="To", order_by=("recipient__email",))
    # An action, or for a board pack the board meeting it is for.
    action = tables.TemplateColumn(
        template_name="reminders/_delivery_action_cell.html",
        verbose_name="About",
        order_by=("action__plan__area__name", "action__reference"),
    )
    status = tables.TemplateColumn(template_name="reminders/_delivery_status_cell.html")
    attempts = tables.Column(
        attrs={"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}
    )
    sent_at = tables.DateTimeColumn("j M Y H:i", verbose_name="Sent")
    resend = tables.TemplateColumn(
        template_name="reminders/_delivery_resend_cell.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Delivery
        fields = ["scheduled_for", "kind", "recipient", "action", "status", "attempts", "sent_at", "resend"]
        order_by = ("-scheduled_for",)
        empty_text = "No deliveries match these filters."
