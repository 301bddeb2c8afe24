"""Making ledger rows whose action, recipient or meeting has gone, as the worker and the digest must handle."""

from __future__ import annotations

from django.db import connection


def delete_bypassing_django(model, pk) -> None:
    """Delete a row the way only a concurrent transaction or a hand-written statement could: without Django's
    cascade to the ledger, whose links the database does not enforce."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608 - from the model
