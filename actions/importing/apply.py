"""Write a previewed import: every row through actions.services, all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import services
from ..models import Action
from .preview import CREATE, REJECTED, UNCHANGED, UPDATE, ImportPreview, RowPlan

# Fields the apply step changes with action_update; the due date and updates have their own services.
UPDATE_FIELDS = ("title", "lead_organisation", "lead_officer", "start_date", "rag", "success_measure")


class ImportRefused(Exception):
    """Nothing was written; the message says why."""


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    rejected: int

    def __str__(self) -> str:
        counts = (self.created, "created"), (self.updated, "updated"), (self.unchanged, "unchanged")
        return ", ".join(f"{n} {word}" for n, word in (*counts, (self.rejected, "rejected")))


def report_for(preview: ImportPreview) -> ImportReport:
    counts = preview.counts
    return ImportReport(counts[CREATE], counts[UPDATE], counts[UNCHANGED], counts[REJECTED])


def import_apply(*, preview: ImportPreview, user) -> ImportReport:
    """Apply every row or none.

    1. Refuse a preview with file or row errors: a partial import would leave the plan half old, half new.
    2. In one transaction, create new actions and change existing ones through the services, so each change is
       in the history and bumps the version; a due date moves through action_revise_due_date with a reason.
    3. Any failure (someone changed an action since the preview, a rule the database holds) rolls back
       every row.
    """
    if not preview.can_apply:
        raise ImportRefused("The file has errors; correct them and upload it again. Nothing was imported.")
    reason = f"Imported from {preview.filename}"
    try:
        with transaction.atomic():
            for row in preview.rows:
                if row.outcome == CREATE:
                    _create(row, preview, user)
                elif row.outcome == UPDATE:
                    _update(row, user, reason)
    except services.StaleVersion as exc:
        raise ImportRefused(
            f"Action {exc.current.reference} was changed by someone else after the preview. "
            "Upload the file again to see the changes against the current plan. Nothing was imported."
        ) from exc
    except (ValidationError, PermissionDenied) as exc:
        raise ImportRefused(f"The import stopped, and nothing was imported: {_message(exc)}") from exc
    return report_for(preview)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def _create(row: RowPlan, preview: ImportPreview, user) -> None:
    fields = {name: row.fields[name] for name in ("title", "lead_organisation", "due_date", "rag", "status")}
    for name in ("lead_officer", "start_date", "success_measure"):
        if row.fields.get(name) is not None:
            fields[name] = row.fields[name]
    try:
        action = services.action_create(
            plan=preview.plan, user=user, reference=row.reference, findings=row.findings or [], **fields
        )
    except ValidationError as exc:
        raise ValidationError(f"row {row.row_number}: {'; '.join(exc.messages)}") from exc
    if row.new_update:
        services.progress_update_create(
            action=action,
            author=user,
            text=row.new_update,
            rag=action.rag,
            percent_complete=action.percent_complete,
        )


def _update(row: RowPlan, user, reason: str) -> None:
    changed = {change.field for change in row.changes}
    changes = {name: row.fields[name] for name in UPDATE_FIELDS if name in changed}
    if "findings" in changed:
        changes["findings"] = row.findings
    version = row.action_version
    new_due = row.fields.get("due_date") if "due_date" in changed else None
    action = None
    # Move the due date first unless the new start date would only fit the new due date the other way round.
    due_first = new_due is not None and not (
        "start_date" in changes and changes["start_date"] and changes["start_date"] > new_due
    )
    try:
        if due_first:
            action = services.action_revise_due_date(
                action_id=row.action_id,
                user=user,
                expected_version=version,
                new_due_date=new_due,
                reason=reason,
            )
            version = action.version
        if changes:
            action = services.action_update(
                action_id=row.action_id, user=user, expected_version=version, changes=changes
            )
            version = action.version
        if new_due is not None and not due_first:
            action = services.action_revise_due_date(
                action_id=row.action_id,
                user=user,
                expected_version=version,
                new_due_date=new_due,
                reason=reason,
            )
    except ValidationError as exc:
        raise ValidationError(f"row {row.row_number} ({row.reference}): {'; '.join(exc.messages)}") from exc
    if row.new_update:
        action = Action.objects.get(pk=row.action_id)
        services.progress_update_create(
            action=action,
            author=user,
            text=row.new_update,
            rag=action.rag,
            percent_complete=action.percent_complete,
        )
