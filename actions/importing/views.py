"""Plan import pages: template download, upload, preview (with column mapping), confirm; and the plan export.

The uploaded file is kept in storage between the preview and the confirmation, under a random name recorded in
the uploader's session, and read again on confirmation; the preview's fingerprint must still match, so what is
applied is exactly what the user saw.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access

from ..models import ActionPlan
from . import ImportRefused, import_apply, import_preview, plan_export_xlsx, plan_template_xlsx
from .forms import ColumnMappingForm, ImportConfirmForm, PlanUploadForm
from .workbook import XLSX_CONTENT_TYPE

SESSION_KEY = "plan_imports"
# Uploads left by previews nobody confirmed are removed after this long.
UPLOAD_LIFETIME = timedelta(days=1)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _managed_plan(request: HttpRequest, plan_id: int) -> ActionPlan:
    """A plan the user manages. Seen but not managed: refused; not seen: not found."""
    plan = access.get_visible_or_404(access.visible_plans(request.user).select_related("area"), pk=plan_id)
    if not access.can_manage_area(request.user, plan.area):
        raise PermissionDenied("Only the area's plan managers can import a plan.")
    return plan


@login_required
def plan_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(plan_template_xlsx(), "send-tracker-plan-template.xlsx")


@login_required
def plan_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.get_visible_or_404(access.visible_plans(request.user).select_related("area"), pk=plan_id)
    return _xlsx(plan_export_xlsx(plan), f"{slugify(plan.area.name)}-{slugify(plan.title)}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _managed_plan(request, plan_id)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _remove_abandoned_uploads()
        token = secrets.token_urlsafe(16)
        path = default_storage.save(f"imports/{token}", ContentFile(upload.read()))
        imports = request.session.get(SESSION_KEY, {})
        imports[token] = {"plan": plan.pk, "path": path, "name": upload.name[:200]}
        request.session[SESSION_KEY] = imports
        return redirect("plan_import_preview", plan_id=plan.pk, token=token)
    return render(request, "actions/plan_import.html", {"plan": plan, "form": form})


def _remove_abandoned_uploads() -> None:
    try:
        _, names = default_storage.listdir("imports")
    except FileNotFoundError:
        return
    cutoff = timezone.now() - UPLOAD_LIFETIME
    for name in names:
        path = f"imports/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:
            continue  # another request removed it first


def _stored(request: HttpRequest, plan: ActionPlan, token: str) -> dict:
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if not stored or stored["plan"] != plan.pk or not default_storage.exists(stored["path"]):
        raise Http404("This upload has expired; upload the file again.")
    return stored


def _preview(request: HttpRequest, plan: ActionPlan, stored: dict, mapping: dict[str, int] | None):
    with default_storage.open(stored["path"], "rb") as handle:
        data = handle.read()
    return import_preview(plan=plan, user=request.user, data=data, filename=stored["name"], mapping=mapping)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_preview(request: HttpRequest, plan_id: int, token: str) -> HttpResponse:
    plan = _managed_plan(request, plan_id)
    stored = _stored(request, plan, token)
    mapping = stored.get("mapping")
    if request.method == "POST":
        preview = _preview(request, plan, stored, None)
        form = ColumnMappingForm(request.POST, headers=preview.headers, mapping=preview.mapping)
        if form.is_valid():
            mapping = form.mapping()
            imports = request.session[SESSION_KEY]
            imports[token]["mapping"] = mapping
            request.session.modified = True
    preview = _preview(request, plan, stored, mapping)
    form = ColumnMappingForm(headers=preview.headers, mapping=preview.mapping)
    return render(
        request,
        "actions/plan_import_preview.html",
        {
            "plan": plan,
            "preview": preview,
            "mapping_form": form,
            "confirm_form": ImportConfirmForm(initial={"digest": preview.digest}),
            "token": token,
        },
    )


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest, plan_id: int, token: str) -> HttpResponse:
    plan = _managed_plan(request, plan_id)
    stored = _stored(request, plan, token)
    preview = _preview(request, plan, stored, stored.get("mapping"))
    form = ImportConfirmForm(request.POST)
    if not form.is_valid() or form.cleaned_data["digest"] != preview.digest:
        messages.error(
            request,
            "The plan or the file changed after the preview. Check this new preview, then import again.",
        )
        return redirect("plan_import_preview", plan_id=plan.pk, token=token)
    try:
        report = import_apply(preview=preview, user=request.user)
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("plan_import_preview", plan_id=plan.pk, token=token)
    default_storage.delete(stored["path"])
    request.session[SESSION_KEY].pop(token, None)
    request.session.modified = True
    return render(
        request,
        "actions/plan_import_report.html",
        {
            "plan": plan,
            "report": report,
            "preview": preview,
            "upload_url": reverse("plan_import", args=[plan.pk]),
        },
    )
