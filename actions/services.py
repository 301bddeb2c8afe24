"""Everything that changes plans and actions.

Each change is a model save inside a transaction (never `queryset.update()`), so django-simple-history records who
changed what, and the optimistic-locking check and the write cannot be separated by another request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts import access
from send_tracker.working_days import add_working_days

from .evidence import MAX_FILES, CheckedFile, evidence_check
from .models import (
    Action,
    ActionPlan,
    DueDateRevision,
    Evidence,
    PlanDeadlineRule,
    PlanKind,
    ProgressUpdate,
    StatusChange,
)

# The history record of the save a progress update makes; the timeline shows the update itself instead.
PROGRESS_UPDATE_REASON = "Progress update"

# Working days from the report's publication to the plan's submission. The 70 for a written statement of action
# is set nationally; the others are this service's defaults, which administrators can change (PlanDeadlineRule).
# 27 for a priority action plan matches Suffolk's: report published 30 January 2024, plan due 7 March 2024.
DEFAULT_SUBMISSION_WORKING_DAYS = {
    PlanKind.WRITTEN_STATEMENT: 70,
    PlanKind.ACCELERATED_PROGRESS: 30,
    PlanKind.PRIORITY_ACTION: 27,
    PlanKind.IMPROVEMENT: 30,
}


# Set while loading historic records (the demo data), whose events must not email anyone today.
_event_emails_paused: ContextVar[bool] = ContextVar("event_emails_paused", default=False)


@contextmanager
def event_emails_paused() -> Iterator[None]:
    token = _event_emails_paused.set(True)
    try:
        yield
    finally:
        _event_emails_paused.reset(token)


def _notify_lead_officer(action: Action, kind: str) -> None:
    """Once the change has committed, email the action's lead officer about it (reminders ledger, kind `kind`)."""
    from reminders.services import action_event_notify

    if _event_emails_paused.get():
        return
    transaction.on_commit(lambda: action_event_notify(action_id=action.pk, kind=kind))


class StaleVersion(Exception):
    """Someone else saved the action since this form was read."""

    def __init__(self, current: Action):
        super().__init__(f"Action {current.reference} has changed since it was read (now version {current.version}).")
        self.current = current


def plan_submission_working_days(kind: str) -> int:
    rule = PlanDeadlineRule.objects.filter(kind=kind).values_list("working_days", flat=True).first()
    return rule if rule is not None else DEFAULT_SUBMISSION_WORKING_DAYS[kind]


def plan_submission_due(plan: ActionPlan) -> date | None:
    published = plan.inspection.published_on
    if published is None:
        return None
    return add_working_days(published, plan_submission_working_days(plan.kind))


def plan_save(*, plan: ActionPlan) -> ActionPlan:
    """Create or save a plan, working out its submission deadline from the inspection report."""
    plan.submission_due = plan_submission_due(plan)
    plan.full_clean()
    plan.save()
    return plan


def action_create(*, plan: ActionPlan, user, findings=(), supporting_organisations=(), **fields) -> Action:
    if not access.can_manage_area(user, plan.area):
        raise PermissionDenied("Only the area's plan managers can add actions.")
    action = Action(plan=plan, **fields)
    action.original_due_date = action.due_date
    _check_findings_belong_to_area(plan, findings)
    with transaction.atomic():
        action.full_clean()
        action._history_user = user
        action.save()
        action.findings.set(findings)
        action.supporting_organisations.set(supporting_organisations)
        if action.lead_officer_id:
            _notify_lead_officer(action, "assigned")
    return action


def _check_findings_belong_to_area(plan: ActionPlan, findings) -> None:
    if any(finding.inspection.area_id != plan.area_id for finding in findings):
        raise ValidationError({"findings": "An action can only answer findings about its own area."})


# Fields a lead officer may change on their own action; plan managers may change every editable field.
LEAD_OFFICER_FIELDS = frozenset({"description", "supporting_organisations"})
MANAGED_FIELDS = frozenset(
    {
        "reference",
        "title",
        "description",
        "findings",
        "lead_organisation",
        "lead_officer",
        "supporting_organisations",
        "start_date",
        "success_measure",
        "rag",
    }
)


def action_update(*, action_id: int, user, expected_version: int, changes: dict) -> Action:
    """Apply `changes` to an action if nobody has saved it since `expected_version`.

    1. Lock the row (select_for_update) so two saves cannot interleave.
    2. Compare versions: an older version raises StaleVersion carrying the current action, and nothing is written.
    3. Check the user may change each field, apply, validate, bump the version and save (recorded in history).
    The due date is not changed here: it needs a reason (action_revise_due_date).
    """
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        if action.version != expected_version:
            raise StaleVersion(action)
        allowed = action_editable_fields(user, action)
        refused = set(changes) - allowed
        if refused:
            raise PermissionDenied(f"You cannot change: {', '.join(sorted(refused))}.")
        previous_lead = action.lead_officer_id
        many = {name: changes[name] for name in ("findings", "supporting_organisations") if name in changes}
        for name, value in changes.items():
            if name not in many:
                setattr(action, name, value)
        if "findings" in many:
            _check_findings_belong_to_area(action.plan, many["findings"])
        # History does not follow many-to-many fields, so the record of this save says how they changed.
        action._change_reason = _history_reason(_many_changes_note(action, many))
        action._history_user = user
        action.version += 1
        action.full_clean()
        action.save()
        for name, value in many.items():
            getattr(action, name).set(value)
        if action.lead_officer_id and action.lead_officer_id != previous_lead:
            _notify_lead_officer(action, "assigned")
    return action


def _many_changes_note(action: Action, many: dict) -> str:
    notes = []
    for name, label in (("findings", "Findings"), ("supporting_organisations", "Supporting organisations")):
        if name not in many:
            continue
        before = sorted(str(obj) for obj in getattr(action, name).all())
        after = sorted(str(obj) for obj in many[name])
        if before != after:
            notes.append(f"{label}: {', '.join(before) or 'none'} → {', '.join(after) or 'none'}")
    return "; ".join(notes)


def action_editable_fields(user, action: Action) -> frozenset[str]:
    """The fields this user may change on this action (empty: none)."""
    if access.can_manage_action(user, action):
        return MANAGED_FIELDS
    if access.can_edit_action(user, action):
        return LEAD_OFFICER_FIELDS
    return frozenset()


def action_revise_due_date(*, action_id: int, user, expected_version: int, new_due_date: date, reason: str) -> Action:
    """Move an action's due date, keeping the original date and recording the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason the due date is changing."})
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        if action.version != expected_version:
            raise StaleVersion(action)
        if not access.can_manage_action(user, action):
            raise PermissionDenied("Only the area's plan managers can revise due dates.")
        if new_due_date == action.due_date:
            raise ValidationError({"due_date": "The new due date is the same as the current one."})
        DueDateRevision.objects.create(
            action=action,
            previous_due_date=action.due_date,
            new_due_date=new_due_date,
            reason=reason,
            revised_by=user,
        )
        action.due_date = new_due_date
        action.version += 1
        action._change_reason = _history_reason(f"Due date revised: {reason}")
        action._history_user = user
        action.full_clean()
        action.save()
        _notify_lead_officer(action, "due_date_revised")
    return action


def progress_update_create(
    *, action: Action, author, text: str, rag: str, percent_complete: int, files: Sequence[UploadedFile] = ()
) -> ProgressUpdate:
    """Post a progress update with its evidence; the action's RAG, percentage and last-update time follow it.

    1. Check permission, state and every file's real type before anything is written.
    2. Store the files under generated names outside the transaction (disk I/O should not hold row locks).
    3. In one transaction, lock the action, add the update and its evidence rows, and move the action on.
    4. If the transaction fails, delete the stored files so none is left without a row.
    """
    if not access.can_update_action(author, action):
        raise PermissionDenied("You cannot post updates on this action.")
    if not action.is_open:
        raise ValidationError("Updates can only be posted on an action that is still open.")
    if rag == Action.Rag.BLUE:
        raise ValidationError({"rag": "Blue is set by sign-off, not by an update."})
    if not text.strip():
        raise ValidationError({"text": "Enter what has happened since the last update."})
    checked = _check_files(files)
    stored = [_store_evidence(item) for item in checked]
    try:
        with transaction.atomic():
            locked = Action.objects.select_for_update().get(pk=action.pk)
            update = ProgressUpdate(
                action=locked, author=author, text=text.strip(), rag=rag, percent_complete=percent_complete
            )
            # The action is the row just locked and the author the signed-in user: checking that they exist would
            # be two more queries for nothing. The percentage's only constraint (at most 100) is the field's own
            # validator, checked here without a query; the database enforces it again on insert.
            update.full_clean(exclude={"action", "author"}, validate_constraints=False)
            update.save()
            for item, path in zip(checked, stored, strict=True):
                Evidence.objects.create(
                    update=update,
                    uploaded_by=author,
                    file=path,
                    original_name=item.original_name,
                    size=item.size,
                    content_type=item.content_type,
                )
            locked.rag = rag
            locked.percent_complete = percent_complete
            locked.last_update_at = update.created_at
            if locked.status == Action.Status.NOT_STARTED:
                locked.status = Action.Status.IN_PROGRESS
            locked.version += 1
            locked._change_reason = PROGRESS_UPDATE_REASON
            locked._history_user = author
            locked.save()
    except BaseException:
        for path in stored:
            default_storage.delete(path)
        raise
    return update


def _check_files(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationError({"evidence": f"Upload at most {MAX_FILES} files with one update."})
    return [evidence_check(upload) for upload in files]


def _store_evidence(item: CheckedFile) -> str:
    from .models import evidence_path

    # The stored name is generated and its suffix comes from the content, never from the uploader's name.
    return default_storage.save(evidence_path(None, f"upload.{item.extension}"), item.upload)


# django-simple-history keeps the change reason in a 100-character column (PostgreSQL refuses longer values);
# the full text stays in StatusChange.reason or DueDateRevision.reason.
HISTORY_REASON_LENGTH = 100


def _history_reason(text: str) -> str:
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "…"


def _transition(
    *, action_id: int, user, to_status: str, allowed_from: tuple[str, ...], reason: str = "", **fields
) -> Action:
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action_id)
        previous = action.status
        # The callers checked the status they read; two people acting at once (two board members signing off)
        # are told here, under the row lock, so the step is recorded once.
        if previous not in allowed_from:
            raise ValidationError(
                f"Someone else has just changed this action: it is now {action.get_status_display().lower()}."
            )
        StatusChange.objects.create(
            action=action, from_status=previous, to_status=to_status, changed_by=user, reason=reason
        )
        action.status = to_status
        for name, value in fields.items():
            setattr(action, name, value)
        action.version += 1
        action._change_reason = _history_reason(reason or f"Status changed to {Action.Status(to_status).label}")
        action._history_user = user
        action.full_clean()
        action.save()
    return action


def action_complete(*, action: Action, user, statement: str, files: Sequence[UploadedFile] = ()) -> Action:
    """The lead officer (or a plan manager) marks the action complete; it then awaits the board's sign-off.

    Evidence given with the completion is posted first as a progress update carrying the statement, so it shows
    in the timeline like any other evidence.
    """
    if not access.can_complete_action(user, action):
        raise PermissionDenied("Only the lead officer or a plan manager can mark this action complete.")
    if not action.is_open:
        raise ValidationError("Only an open action can be marked complete.")
    if not statement.strip():
        raise ValidationError({"statement": "Enter a completion statement saying what was done."})
    if files:
        progress_update_create(
            action=action, author=user, text=statement, rag=action.rag, percent_complete=100, files=files
        )
    return _transition(
        action_id=action.pk,
        user=user,
        to_status=Action.Status.COMPLETED,
        allowed_from=Action.OPEN_STATUSES,
        reason=statement.strip(),
        completed_at=timezone.now(),
        percent_complete=100,
    )


def action_sign_off(*, action: Action, user, note: str = "") -> Action:
    if not access.can_sign_off_action(user, action):
        raise PermissionDenied("Only a board member who does not lead this action can sign it off.")
    if action.status != Action.Status.COMPLETED:
        raise ValidationError("Only an action awaiting sign-off can be signed off.")
    action = _transition(
        action_id=action.pk,
        user=user,
        to_status=Action.Status.SIGNED_OFF,
        allowed_from=(Action.Status.COMPLETED,),
        reason=note.strip(),
        rag=Action.Rag.BLUE,
        signed_off_at=timezone.now(),
        signed_off_by=user,
    )
    _notify_lead_officer(action, "signed_off")
    return action


def action_send_back(*, action: Action, user, reason: str) -> Action:
    if not access.can_sign_off_action(user, action):
        raise PermissionDenied("Only a board member who does not lead this action can send it back.")
    if action.status != Action.Status.COMPLETED:
        raise ValidationError("Only an action awaiting sign-off can be sent back.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason the action is being sent back."})
    action = _transition(
        action_id=action.pk,
        user=user,
        to_status=Action.Status.REOPENED,
        allowed_from=(Action.Status.COMPLETED,),
        reason=reason.strip(),
        completed_at=None,
    )
    _notify_lead_officer(action, "sent_back")
    return action


def action_cancel(*, action: Action, user, reason: str) -> Action:
    if not access.can_manage_action(user, action):
        raise PermissionDenied("Only the area's plan managers can cancel an action.")
    if action.status in (Action.Status.SIGNED_OFF, Action.Status.CANCELLED):
        raise ValidationError("A signed-off or cancelled action cannot be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason the action is being cancelled."})
    rag = Action.Rag.GREEN if action.rag == Action.Rag.BLUE else action.rag
    return _transition(
        action_id=action.pk,
        user=user,
        to_status=Action.Status.CANCELLED,
        allowed_from=(*Action.OPEN_STATUSES, Action.Status.COMPLETED),
        reason=reason.strip(),
        rag=rag,
    )
