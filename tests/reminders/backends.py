"""Email backends that answer like a refusing SMTP server, for the service-level tests of failure handling.

The real SMTP conversation is covered end to end (tests/e2e) against aiosmtpd; here only the reply matters.
"""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class Refusing451(BaseEmailBackend):
    code = 451

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (self.code, b"Mailbox busy") for m in email_messages})


class Refusing550(Refusing451):
    code = 550


class Unreachable(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class Counting(BaseEmailBackend):
    """Accepts everything, like locmem, and counts the connections opened and the messages each carried."""

    opened: list[int] = []
    sent: list = []

    def open(self):
        if getattr(self, "is_open", False):
            return False
        self.is_open = True
        Counting.opened.append(1)
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, email_messages):
        Counting.sent.extend(email_messages)
        return len(email_messages)


class CutOffOnSecond(Counting):
    """The task's soft time limit fires while the second message is being sent."""

    def send_messages(self, email_messages):
        if len(Counting.sent) == 1:
            from billiard.exceptions import SoftTimeLimitExceeded

            raise SoftTimeLimitExceeded()
        return super().send_messages(email_messages)


class SendingRowsCounter(Counting):
    """Records, at each message, how many ledger rows are "sending" (claimed and not settled)."""

    seen: list[int] = []

    def send_messages(self, email_messages):
        from reminders.models import Delivery

        SendingRowsCounter.seen.append(Delivery.objects.filter(status=Delivery.Status.SENDING).count())
        return super().send_messages(email_messages)
