"""One small function per email kind, each rendering emails/<name>_subject.txt, _body.txt and _body.html.

Every message goes to exactly one recipient (Django's SMTP backend cannot report a partial refusal), carries
the ledger key in X-SEND-Tracker-Key and a Message-ID derived from it, and links back with absolute URLs from
SITE_URL.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from billiard.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from send_tracker import working_days

from .models import Kind

# Counted day by day; a batch of emails asks for the same few hundred (day, due date) pairs again and again.
working_days_between = lru_cache(maxsize=4096)(working_days.working_days_between)

if TYPE_CHECKING:
    from actions.models import Action

    from .models import Delivery


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def action_url(action: Action) -> str:
    try:
        path = reverse("action_detail", kwargs={"pk": action.pk})
    except NoReverseMatch:
        # The action pages may not be installed in every deployment; this is where they live.
        path = f"/actions/{action.pk}/"
    return absolute(path)


def _url(name: str, fallback: str) -> str:
    try:
        return absolute(reverse(name))
    except NoReverseMatch:
        return absolute(fallback)


def _base_context(delivery: Delivery) -> dict:
    return {
        "delivery": delivery,
        "recipient": delivery.recipient,
        "site_url": settings.SITE_URL,
        "preferences_url": _url("reminder_preferences", "/account/reminders/"),
        "service_name": "SEND Tracker",
    }


def _action_context(delivery: Delivery) -> dict:
    action = delivery.action
    day = delivery.scheduled_for
    return {
        "action": action,
        "area": action.plan.area,
        "action_url": action_url(action),
        "working_days_left": working_days_between(day, action.due_date),
        "working_days_late": working_days_between(action.due_date, day),
    }


def render_email(delivery: Delivery, name: str, context: dict) -> EmailMultiAlternatives:
    context = {**_base_context(delivery), **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    context["subject"] = subject
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "send-tracker.invalid"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient.email],
        headers={
            "X-SEND-Tracker-Key": delivery.key,
            # The same Message-ID on a repeated send lets mail clients and auditors see it is the same email.
            "Message-ID": f"<delivery-{delivery.pk}@{domain}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# --- One function per kind. ---


def due_soon_email(delivery: Delivery) -> EmailMultiAlternatives:
    return render_email(delivery, "due_soon", _action_context(delivery))


def due_today_email(delivery: Delivery) -> EmailMultiAlternatives:
    return render_email(delivery, "due_today", _action_context(delivery))


def overdue_email(delivery: Delivery) -> EmailMultiAlternatives:
    return render_email(delivery, "overdue", _action_context(delivery))


def escalation_managers_email(delivery: Delivery) -> EmailMultiAlternatives:
    return render_email(delivery, "escalation_managers", _action_context(delivery))


def escalation_board_email(delivery: Delivery) -> EmailMultiAlternatives:
    return render_email(delivery, "escalation_board", _action_context(delivery))


def assigned_email(delivery: Delivery) -> EmailMultiAlternatives:
    return render_email(delivery, "assigned", _action_context(delivery))


def due_date_revised_email(delivery: Delivery) -> EmailMultiAlternatives:
    revision = delivery.action.due_date_revisions.order_by("-revised_at").first()
    return render_email(delivery, "due_date_revised", {**_action_context(delivery), "revision": revision})


def _latest_status_change(action: Action, to_status: str):
    return (
        action.status_changes.filter(to_status=to_status).select_related("changed_by").order_by("-changed_at").first()
    )


def sent_back_email(delivery: Delivery) -> EmailMultiAlternatives:
    change = _latest_status_change(delivery.action, "reopened")
    return render_email(delivery, "sent_back", {**_action_context(delivery), "change": change})


def signed_off_email(delivery: Delivery) -> EmailMultiAlternatives:
    change = _latest_status_change(delivery.action, "signed_off")
    return render_email(delivery, "signed_off", {**_action_context(delivery), "change": change})


def daily_digest_email(delivery: Delivery) -> EmailMultiAlternatives:
    from .models import Delivery as Row

    bundled = (
        Row.objects.filter(
            recipient_id=delivery.recipient_id,
            scheduled_for=delivery.scheduled_for,
            status=Row.Status.IN_DIGEST,
        )
        .select_related("action__plan__area")
        .order_by("action__due_date", "action__plan__area__name", "action__reference")
    )
    items = [
        {
            "action": row.action,
            "area": row.action.plan.area,
            "kind": row.get_kind_display(),
            "url": action_url(row.action),
            "working_days_left": working_days_between(delivery.scheduled_for, row.action.due_date),
        }
        for row in bundled
        # An action deleted since the sweep leaves its row behind (the ledger's links are not database
        # constraints): it has nothing left to remind anyone of.
        if row.action is not None
    ]
    return render_email(delivery, "daily_digest", {"items": items, "day": delivery.scheduled_for})


def weekly_digest_email(delivery: Delivery) -> EmailMultiAlternatives:
    from .digests import weekly_digest_for

    areas = weekly_digest_for(delivery.recipient, today=delivery.scheduled_for)
    for section in areas:
        for group in ("overdue", "due_soon", "completed", "signed_off"):
            section[group] = [{"action": a, "url": action_url(a)} for a in section[group]]
        section["rag_changes"] = [{**change, "url": action_url(change["action"])} for change in section["rag_changes"]]
    return render_email(
        delivery,
        "weekly_digest",
        {"areas": areas, "day": delivery.scheduled_for, "since": delivery.scheduled_for - timedelta(days=7)},
    )


def board_pack_email(delivery: Delivery) -> EmailMultiAlternatives:
    """The board pack for the row's meeting, PDF and XLSX attached, rendered at sending time as the download
    would be."""
    # Imported here: the pack's PDF rendering loads WeasyPrint, which no other email needs.
    from dashboards.board_pack import board_pack_attachments

    meeting = delivery.meeting
    area = meeting.area
    context = {
        "area": area,
        "meeting": meeting,
        "dashboard_url": absolute(reverse("dashboards:area_dashboard", args=[area.slug])),
    }
    message = render_email(delivery, "board_pack", context)
    for name, content, mimetype in board_pack_attachments(area, meeting):
        message.attach(name, content, mimetype)
    return message


BUILDERS: dict[str, Callable[[Delivery], EmailMultiAlternatives]] = {
    Kind.DUE_SOON: due_soon_email,
    Kind.DUE_TODAY: due_today_email,
    Kind.OVERDUE: overdue_email,
    Kind.ESCALATION_MANAGERS: escalation_managers_email,
    Kind.ESCALATION_BOARD: escalation_board_email,
    Kind.ASSIGNED: assigned_email,
    Kind.DUE_DATE_REVISED: due_date_revised_email,
    Kind.SENT_BACK: sent_back_email,
    Kind.SIGNED_OFF: signed_off_email,
    Kind.DAILY_DIGEST: daily_digest_email,
    Kind.WEEKLY_DIGEST: weekly_digest_email,
    Kind.BOARD_PACK: board_pack_email,
}


def delivery_email(delivery: Delivery) -> EmailMultiAlternatives:
    return BUILDERS[delivery.kind](delivery)


# --- Sending, and telling transient failures from permanent ones. ---


class PermanentFailure(Exception):
    """Retrying cannot help (for example a rendering error or a refused address)."""


def delivery_email_send(delivery: Delivery, notify_client=None, connection=None) -> str:
    """Send the row's email by SMTP (or GOV.UK Notify when NOTIFY_API_KEY is set); returns a provider id if
    any. With `connection` (a mail backend), the message goes over it, opened first if need be and left open
    for the next message of the batch."""
    if not delivery.recipient.email:
        raise PermanentFailure("The recipient has no email address.")
    try:
        message = delivery_email(delivery)
    except SoftTimeLimitExceeded:
        # Cut off by the task's time limit (a board pack's PDF takes a while on a busy worker): worth a retry.
        raise
    except Exception as exc:
        raise PermanentFailure(f"The email could not be written: {exc.__class__.__name__}: {exc}") from exc
    if settings.NOTIFY_API_KEY or notify_client is not None:
        return notify_send(delivery, message, client=notify_client)
    if connection is not None:
        connection.open()
        message.connection = connection
    message.send(fail_silently=False)
    return ""


def notify_send(delivery: Delivery, message: EmailMultiAlternatives, client=None) -> str:
    """Send through GOV.UK Notify's plain-email template, with the ledger id as the reference."""
    if client is None:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
    template_id = settings.NOTIFY_EMAIL_TEMPLATE_ID
    if not template_id:
        raise PermanentFailure("NOTIFY_EMAIL_TEMPLATE_ID is not set: Notify needs a template with subject and body.")
    response = client.send_email_notification(
        email_address=delivery.recipient.email,
        template_id=template_id,
        personalisation={"subject": message.subject, "body": message.body},
        reference=str(delivery.pk),
    )
    return str(response.get("id", ""))


def _smtp_code(exc: Exception) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        # One recipient per message, so this is that recipient's answer; any 4xx among several is worth a
        # retry.
        return min(codes) if codes else None
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    return None


def is_transient(exc: Exception) -> bool:
    """Connection errors, timeouts and 4xx replies may pass; 5xx replies and our own errors will not."""
    if isinstance(exc, PermanentFailure):
        return False
    if isinstance(exc, SoftTimeLimitExceeded):
        # The mail server stalled past the task's soft time limit: try again later.
        return True
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        # GOV.UK Notify (HTTP): rate limiting and server errors pass; other 4xx are our request's fault.
        return status == 429 or status >= 500
    code = _smtp_code(exc)
    if code is not None:
        return 400 <= code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | OSError | TimeoutError)


def describe_error(exc: Exception) -> str:
    code = _smtp_code(exc)
    text = str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{address}: {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for address, (_, reply) in exc.recipients.items()
        )
    elif isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    prefix = f"SMTP {code}: " if code is not None else f"{exc.__class__.__name__}: "
    return (prefix + text)[:2000]
