from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from accounts import access

from . import board_pack, presenters, selectors, services, timeliness
from .filters import AreaOverviewFilter
from .forms import BoardPackForm, DashboardOptionsForm, MeasureImportForm, MeasureValueForm
from .tables import WORKBOOK_COLUMNS, AreaOverviewTable, overview_records, rendered_body, workbook_row
from .xlsx import Sheet, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def area_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.dashboard_area(request.user, slug)
    plans = selectors.area_plans(area)
    meetings = selectors.area_meetings(area)
    options = DashboardOptionsForm(request.GET or None, plans=plans, meetings=meetings)
    plan_id = since = None
    if options.is_bound:
        # A bad value is reported on the page; the other choices still apply.
        options.is_valid()
        plan_id, since = options.cleaned_data.get("plan") or None, options.cleaned_data.get("since")
    board = selectors.area_dashboard(area, plan_id=plan_id, since=since, meetings=meetings, plans=plans)
    context = presenters.dashboard_context(board) | {
        "options": options,
        "pack_form": BoardPackForm(meetings=meetings, initial={"plan": board.plan.pk if board.plan else ""}),
        "links": True,
        "can_manage": access.can_manage_area(request.user, area),
    }
    return render(request, "dashboards/area_dashboard.html", context)


@login_required
def board_pack_download(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.dashboard_area(request.user, slug)
    meetings = selectors.area_meetings(area)
    form = BoardPackForm(request.GET, meetings=meetings)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{reverse('dashboards:area_dashboard', args=[area.slug])}#board-pack")
    meeting = next(m for m in meetings if m.date.isoformat() == form.cleaned_data["meeting"])
    pack = board_pack.board_pack_for_meeting(area, meeting, plan_id=form.cleaned_data["plan"] or None)
    if form.cleaned_data["format"] == "xlsx":
        return _attachment(board_pack.render_xlsx(pack), XLSX, f"{pack.filename}.xlsx")
    return _attachment(board_pack.render_pdf(pack), "application/pdf", f"{pack.filename}.pdf")


@login_required
def national_overview(request: HttpRequest) -> HttpResponse:
    if not access.can_view_national_overview(request.user):
        raise PermissionDenied("The national overview is for advisers and administrators.")
    today = timezone.localdate()
    filters = AreaOverviewFilter(request.GET or None, queryset=access.visible_areas(request.user))
    rows = selectors.national_overview(filters.qs, today)
    table = AreaOverviewTable(overview_records(rows, today), order_by="area")
    RequestConfig(request, paginate=False).configure(table)
    if request.GET.get("download") == "xlsx":
        return _attachment(_overview_workbook(table, today), XLSX, f"national-overview-{today.isoformat()}.xlsx")
    query = request.GET.copy()
    query["download"] = "xlsx"
    return render(
        request,
        "dashboards/national_overview.html",
        {
            "filter": filters,
            "table": table,
            "table_body": rendered_body(table),
            "rows": rows,
            "today": today,
            "download_query": query.urlencode(),
        },
    )


def _overview_workbook(table: AreaOverviewTable, today) -> bytes:
    """The rows in the order and with the filters shown on the page."""
    columns = [label for label, _key in WORKBOOK_COLUMNS]
    rows = [workbook_row(row.record) for row in table.rows]
    return workbook_bytes([Sheet("Areas", f"National overview, {today:%d %B %Y}", columns, rows)])


@login_required
@require_http_methods(["GET", "POST"])
def measure_value_create(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.dashboard_area(request.user, slug)
    if not access.can_manage_area(request.user, area):
        # The area is theirs to see (dashboard_area answers 404 otherwise), so the answer is "you cannot do this".
        raise PermissionDenied("Only the area's plan managers and administrators can record measure values.")
    measures = access.visible_measures(request.user).filter(area=area).order_by("name")
    form = MeasureValueForm(request.POST or None, measures=measures, initial={"measure": request.GET.get("measure")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record, created = services.measure_value_save(
            user=request.user,
            measure=data["measure"],
            period=data["period"],
            value=data["value"],
            comparator=data["comparator"],
            period_label=data["period_label"],
            source=data["source"],
        )
        verb = "recorded" if created else "replaced"
        messages.success(request, f"The value of {record.measure.name} for {presenters.period(record)} was {verb}.")
        return redirect(f"{reverse('dashboards:area_dashboard', args=[area.slug])}#kpis")
    return render(
        request,
        "dashboards/measurevalue_form.html",
        {"area": area, "form": form, "has_measures": measures.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_import(request: HttpRequest) -> HttpResponse:
    if not access.managed_area_ids(request.user):
        raise PermissionDenied("Only plan managers and administrators can import measures.")
    form = MeasureImportForm(request.POST or None, request.FILES or None)
    report = problems = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.measures_import(data=form.cleaned_data["file"].read(), user=request.user)
        except timeliness.RejectedFile as rejected:
            problems = rejected.problems
    return render(
        request,
        "dashboards/measure_import.html",
        {
            "form": form,
            "report": report,
            "problems": problems,
            "required_columns": timeliness.REQUIRED_COLUMNS,
        },
    )
