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
