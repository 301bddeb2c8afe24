"""Pages for plans and actions. Thin: parse, call one selector or service, render or redirect.

Services raise PermissionDenied, ValidationError and StaleVersion; these views turn them into a 403 page that
says why, form errors, and the conflict page. An object outside the user's areas is a 404 (from the selectors).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from accounts import access
from send_tracker import exports

from . import selectors, services
from .filters import ActionFilter
from .forms import ActionForm, CompleteForm, DueDateForm, ProgressUpdateForm, ReasonForm, SignOffForm
from .models import Action
from .tables import EXPORT_HEADERS, ActionTable, action_export_rows

PER_PAGE = 50


def _forbidden(request: HttpRequest, message: str, action: Action | None = None) -> HttpResponse:
    return render(request, "actions/forbidden.html", {"message": message, "action": action}, status=403)


def explains_refusals(view: Callable) -> Callable:
    """A refusal from the access rules or a service becomes a 403 page that says why, not a bare error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc) or "You do not have permission to do this.")

    return wrapper


def _add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named field where the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else str(item))
    else:
        for message in error.messages:
            form.add_error(None, message)


# --- Start page after signing in ---


@login_required
def after_sign_in(request: HttpRequest) -> HttpResponse:
    """Officers start at their actions; everyone else at the home page of their areas."""
    if access.is_action_officer(request.user):
        return redirect("my_actions")
    return redirect("home")


# --- Reading ---


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(request, "actions/action_mine.html", {"mine": selectors.my_actions(request.user)})


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    action_filter = ActionFilter(request.GET or None, selectors.action_list_for_user(request.user), request=request)
    # Bad filter input shows its errors and no rows, rather than quietly ignoring the filter.
    valid = not action_filter.is_bound or action_filter.is_valid()
    actions = action_filter.qs if valid else action_filter.queryset.none()
    fmt = request.GET.get("export")
    if fmt in exports.FORMATS and valid:
        stamp = timezone.localdate().isoformat()
        return exports.export_response(
            fmt,
            filename=f"actions-{stamp}",
            title=f"SEND Tracker actions, exported {stamp}",
            headers=EXPORT_HEADERS,
            # In chunks, so a national export does not hold every row and its findings in memory at once.
            rows=action_export_rows(selectors.with_export_columns(actions).iterator(chunk_size=2000)),
        )
    table = ActionTable(actions, today=timezone.localdate())
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "actions/action_list.html",
        {
            "filter": action_filter,
            "table": table,
            "query": _query_without(request, "page", "export"),
            "page_has_errors": bool(action_filter.is_bound and action_filter.errors),
        },
    )


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.plan_detail(request.user, pk)
    return render(
        request,
        "actions/actionplan_detail.html",
        {"detail": detail, "plan": detail.plan, "can_manage": access.can_manage_area(request.user, detail.plan.area)},
    )


@login_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_detail(request.user, pk)
    context = {
        "action": action,
        "findings": list(
            action.findings.select_related("inspection").order_by("inspection__onsite_start", "reference")
        ),
        "supporting": list(action.supporting_organisations.order_by("name")),
        "revisions": list(action.due_date_revisions.select_related("revised_by").order_by("revised_at")),
        "timeline": selectors.action_timeline(action),
        "can": _permissions(request.user, action),
        "today": timezone.localdate(),
    }
    return render(request, "actions/action_detail.html", context)


def _permissions(user, action: Action) -> dict[str, bool]:
    is_open = action.is_open
    return {
        "update": is_open and access.can_update_action(user, action),
        "edit": action.status != Action.Status.CANCELLED and access.can_edit_action(user, action),
        "manage": access.can_manage_action(user, action),
        "revise": is_open and access.can_manage_action(user, action),
        "complete": is_open and access.can_complete_action(user, action),
        "sign_off": action.status == Action.Status.COMPLETED and access.can_sign_off_action(user, action),
        "cancel": action.status not in (Action.Status.SIGNED_OFF, Action.Status.CANCELLED)
        and access.can_manage_action(user, action),
    }


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence is only ever served here: access-checked, as an attachment, never sniffed as HTML by a browser."""
    evidence = access.get_visible_or_404(access.visible_evidence(request.user), pk=pk)
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Changing ---


def _detail(action: Action) -> HttpResponse:
    return redirect("action_detail", pk=action.pk)


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def progress_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    if not access.can_update_action(request.user, action):
        raise PermissionDenied(
            "Only officers of the lead or supporting organisations, and plan managers, can post updates."
        )
    if not action.is_open:
        return _closed(request, action, "post an update on")
    form = ProgressUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={"rag": action.rag, "percent_complete": action.percent_complete},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update_create(
                action=action,
                author=request.user,
                text=form.cleaned_data["text"],
                rag=form.cleaned_data["rag"],
                percent_complete=form.cleaned_data["percent_complete"],
                files=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Your update has been posted.")
            return _detail(action)
    return render(request, "actions/progressupdate_form.html", {"action": action, "form": form})


def _closed(request: HttpRequest, action: Action, what: str) -> HttpResponse:
    return render(
        request,
        "actions/action_closed.html",
        {"action": action, "what": what},
        status=409,
    )


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = access.get_visible_or_404(access.visible_plans(request.user).select_related("area"), pk=plan_pk)
    if not access.can_manage_area(request.user, plan.area):
        raise PermissionDenied("Only the area's plan managers can add actions.")
    form = ActionForm(request.POST or None, plan=plan, editable=services.MANAGED_FIELDS, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            action = services.action_create(
                plan=plan,
                user=request.user,
                findings=data.pop("findings", []),
                supporting_organisations=data.pop("supporting_organisations", []),
                **data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Action {action.reference} has been added.")
            return _detail(action)
    return render(request, "actions/action_form.html", {"plan": plan, "form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    editable = services.action_editable_fields(request.user, action)
    if not editable:
        raise PermissionDenied("Only the area's plan managers and the action's lead officer can change this action.")
    if action.status == Action.Status.CANCELLED:
        return _closed(request, action, "change")
    form = ActionForm(
        request.POST or None,
        plan=action.plan,
        editable=editable,
        creating=False,
        action=action,
        initial=ActionForm.initial_for(action),
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes(action)
        if not changes and form.cleaned_data["version"] == action.version:
            messages.info(request, "You did not change anything.")
            return _detail(action)
        try:
            services.action_update(
                action_id=action.pk, user=request.user, expected_version=form.cleaned_data["version"], changes=changes
            )
        except services.StaleVersion as stale:
            return _conflict(request, action, form, stale, "actions/action_form.html")
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Your changes have been saved.")
            return _detail(action)
    return render(request, "actions/action_form.html", {"action": action, "plan": action.plan, "form": form})


def _conflict(request: HttpRequest, action: Action, form: Form, stale: services.StaleVersion, form_template: str):
    """Someone saved the action first: show what they changed, and the user's own changes ready to save again.

    For the edit form, only the fields this user actually changed (compared with the version they read) are
    carried over onto the current values, so saving again never quietly undoes the other person's changes.
    """
    read_version = form.cleaned_data["version"]
    current = selectors.action_for_change(request.user, action.pk)
    mine = []
    if isinstance(form, ActionForm):
        read = current.history.filter(version=read_version).order_by("-history_date").first()
        changed = _changed_since_read(form, read, current)
        initial = ActionForm.initial_for(current)
        for name in changed:
            mine.append(
                (form.fields[name].label, _show(form.cleaned_data[name]), _show(initial.get(name), current, name))
            )
            initial[name] = form.cleaned_data[name]
        form = ActionForm(
            plan=current.plan,
            editable=services.action_editable_fields(request.user, current),
            creating=False,
            action=current,
            initial=initial,
        )
    else:
        data = request.POST.copy()
        data["version"] = str(stale.current.version)
        form.data = data
    context = {
        "action": current,
        "plan": current.plan,
        "form": form,
        "changes": selectors.changes_since(current, read_version),
        "mine": mine,
        "form_template": form_template,
    }
    return render(request, "actions/action_conflict.html", context, status=409)


def _changed_since_read(form: ActionForm, read, current: Action) -> list[str]:
    """The fields whose submitted value differs from the version the user read (or, failing that, from now)."""
    changed = []
    for name, value in form.cleaned_data.items():
        if name in ("version", "due_date"):
            continue
        if name in ("findings", "supporting_organisations"):
            # History does not keep many-to-many values, so these are compared with the current ones.
            if {obj.pk for obj in value} != {obj.pk for obj in getattr(current, name).all()}:
                changed.append(name)
            continue
        source = read if read is not None else current
        before = getattr(source, f"{name}_id") if Action._meta.get_field(name).is_relation else getattr(source, name)
        after = value.pk if hasattr(value, "pk") else value
        if before != after:
            changed.append(name)
    return changed


def _show(value, action: Action | None = None, name: str | None = None) -> str:
    if action is not None and name in ("findings", "supporting_organisations"):
        value = list(getattr(action, name).all())
    if value in (None, "", []):
        return "None"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "display_name"):
        return value.display_name
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    if isinstance(value, str) and value in Action.Rag.values:
        return Action.Rag(value).label
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_revise_due_date(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    if not access.can_manage_action(request.user, action):
        raise PermissionDenied("Only the area's plan managers can revise due dates.")
    if not action.is_open:
        return _closed(request, action, "revise the due date of")
    form = DueDateForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_revise_due_date(
                action_id=action.pk,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                new_due_date=form.cleaned_data["due_date"],
                reason=form.cleaned_data["reason"],
            )
        except services.StaleVersion as stale:
            return _conflict(request, action, form, stale, "actions/action_due_date_form.html")
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The due date has been revised.")
            return _detail(action)
    return render(request, "actions/action_due_date_form.html", {"action": action, "form": form})


def _workflow_view(
    request: HttpRequest,
    action: Action,
    form: Form,
    template: str,
    perform: Callable[[], Action],
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            perform()
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return _detail(action)
    return render(request, template, {"action": action, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    if not access.can_complete_action(request.user, action):
        raise PermissionDenied("Only the action's lead officer or a plan manager can mark it complete.")
    if not action.is_open:
        return _closed(request, action, "mark complete")
    form = CompleteForm(request.POST or None, request.FILES or None)

    def perform() -> Action:
        return services.action_complete(
            action=action,
            user=request.user,
            statement=form.cleaned_data["statement"],
            files=form.cleaned_data["evidence"],
        )

    return _workflow_view(
        request, action, form, "actions/action_complete_form.html", perform, "The action is now awaiting sign-off."
    )


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    if not access.can_sign_off_action(request.user, action):
        raise PermissionDenied("Only a board member of this area who does not lead the action can sign it off.")
    if action.status != Action.Status.COMPLETED:
        return _closed(request, action, "sign off")
    form = SignOffForm(request.POST or None)

    def perform() -> Action:
        return services.action_sign_off(action=action, user=request.user, note=form.cleaned_data["note"])

    return _workflow_view(
        request, action, form, "actions/action_sign_off_form.html", perform, "The action is signed off."
    )


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    if not access.can_sign_off_action(request.user, action):
        raise PermissionDenied("Only a board member of this area who does not lead the action can send it back.")
    if action.status != Action.Status.COMPLETED:
        return _closed(request, action, "send back")
    form = ReasonForm(
        request.POST or None,
        label="Why are you sending this action back?",
        required_message="Enter the reason the action is being sent back",
        submit="Send back",
        warning=True,
    )

    def perform() -> Action:
        return services.action_send_back(action=action, user=request.user, reason=form.cleaned_data["reason"])

    return _workflow_view(
        request,
        action,
        form,
        "actions/action_send_back_form.html",
        perform,
        "The action has been sent back and reopened.",
    )


@login_required
@require_http_methods(["GET", "POST"])
@explains_refusals
def action_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_change(request.user, pk)
    if not access.can_manage_action(request.user, action):
        raise PermissionDenied("Only the area's plan managers can cancel an action.")
    if action.status in (Action.Status.SIGNED_OFF, Action.Status.CANCELLED):
        return _closed(request, action, "cancel")
    form = ReasonForm(
        request.POST or None,
        label="Why is this action being cancelled?",
        required_message="Enter the reason the action is being cancelled",
        submit="Cancel action",
        warning=True,
    )

    def perform() -> Action:
        return services.action_cancel(action=action, user=request.user, reason=form.cleaned_data["reason"])

    return _workflow_view(
        request, action, form, "actions/action_cancel_form.html", perform, "The action has been cancelled."
    )
