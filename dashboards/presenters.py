"""Turn the dashboard figures into what pages and the board pack show: charts, summaries and action-list links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from actions.models import Action

from . import charts
from .selectors import DUE_SOON_DAYS, RAG_ORDER, STATUS_ORDER, AreaDashboard, KpiTrend

Status = Action.Status

STATUS_LABELS = {s: Action.Status(s).label for s in STATUS_ORDER}
STATUS_LABELS[Action.Status.COMPLETED] = "Awaiting sign-off"
RAG_LABELS = {r: Action.Rag(r).label.split(" ")[0] for r in RAG_ORDER}


# The action list's URL name, with or without the actions app's namespace.
ACTION_LIST_URL_NAMES = ("actions:action_list", "action_list")


def action_list_url(**params) -> str | None:
    """A link to the action list, filtered to exactly the actions a figure counts where its filters allow.

    The action list's GET filters: area and plan (ids), status (one), overdue=1, and due_from / due_to (both
    inclusive, as the day, month and year fields of a date input). Without the action list installed, figures
    show without links.
    """
    for name in ACTION_LIST_URL_NAMES:
        try:
            return f"{reverse(name)}?{urlencode(params)}"
        except NoReverseMatch:
            continue
    return None


def _date_params(name: str, day) -> dict[str, int]:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@dataclass
class HeadlineFigure:
    key: str
    label: str
    value: int
    url: str | None


def headline_figures(board: AreaDashboard) -> list[HeadlineFigure]:
    if board.headline is None or board.plan is None:
        return []
    h = board.headline
    scope = {"area": board.area.pk, "plan": board.plan.pk}
    today = board.today
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)

    def stage(key: str, label: str, value: int, status: str) -> HeadlineFigure:
        return HeadlineFigure(key, label, value, action_list_url(**scope, status=status))

    return [
        # The list shows cancelled actions too; they are the "Cancelled" figure below.
        HeadlineFigure("total", "Actions in total (not cancelled)", h.total, action_list_url(**scope)),
        stage("signed_off", "Signed off", h.signed_off, Status.SIGNED_OFF),
        stage("awaiting", "Completed, awaiting sign-off", h.awaiting_sign_off, Status.COMPLETED),
        stage("in_progress", "In progress", h.in_progress, Status.IN_PROGRESS),
        stage("reopened", "Reopened (sent back at sign-off)", h.reopened, Status.REOPENED),
        stage("not_started", "Not started", h.not_started, Status.NOT_STARTED),
        HeadlineFigure("overdue", "Overdue", h.overdue, action_list_url(**scope, overdue=1)),
        HeadlineFigure(
            "due_soon",
            f"Due in the next {DUE_SOON_DAYS} days (still open)",
            h.due_soon,
            action_list_url(**scope, **_date_params("due_from", today), **_date_params("due_to", soon)),
        ),
        stage("cancelled", "Cancelled", h.cancelled, Status.CANCELLED),
    ]


def finding_label(finding) -> str:
    return Truncator(f"{finding.reference}. {finding.title}").chars(30)


def finding_charts(board: AreaDashboard) -> tuple[charts.StackedBarChart, charts.StackedBarChart] | None:
    if not board.findings:
        return None
    ready = [f for f in board.findings if f.total]
    most = max(board.findings, key=lambda f: f.readiness_percent or 0)
    status_chart = charts.stacked_bars(
        id="finding-status",
        title="Actions by status for each finding",
        summary=(
            f"{len(board.findings)} findings have {sum(f.total for f in board.findings)} actions between them "
            f"(an action answering two findings counts in both); "
            f"{sum(f.status_counts['signed_off'] for f in board.findings)} of those are signed off."
        ),
        rows=[(finding_label(f.finding), f.status_counts) for f in board.findings],
        labels=STATUS_LABELS,
        colours=charts.STATUS_COLOURS,
    )
    red = sum(f.rag_counts["red"] for f in board.findings)
    rag_chart = charts.stacked_bars(
        id="finding-rag",
        title="Actions by RAG rating for each finding",
        summary=(
            f"{red} action{pluralize(red)} {'is' if red == 1 else 'are'} rated red across the findings; "
            + (
                f"readiness is highest for {most.finding.reference} at {most.readiness_percent}%."
                if ready
                else "no finding has actions yet."
            )
        ),
        rows=[(finding_label(f.finding), f.rag_counts) for f in board.findings],
        labels=RAG_LABELS,
        colours=charts.RAG_COLOURS,
    )
    return status_chart, rag_chart


def burn_up_chart(board: AreaDashboard) -> charts.LineChart | None:
    if not board.burn_up:
        return None
    months = board.burn_up
    current = [m for m in months if m.signed_off is not None]
    now = current[-1] if current else months[0]
    summary = (
        f"By the end of {charts.month_label(now.month)}, {now.planned} actions were due to be complete and "
        f"{now.signed_off or 0} had been signed off; {months[-1].planned} are planned by "
        f"{charts.month_label(months[-1].month)}."
    )
    return charts.line_chart(
        id="burn-up",
        title="Planned completions and actual sign-offs, month by month",
        summary=summary,
        x_labels=[charts.month_label(m.month) for m in months],
        series=[
            ("Planned", [m.planned for m in months], charts.COLOURS["grey"], "6 4", "square"),
            ("Signed off", [m.signed_off for m in months], charts.COLOURS["blue"], "", "circle"),
        ],
    )


def kpi_chart(trend: KpiTrend, index: int, area_name: str) -> charts.LineChart | None:
    if not trend.values:
        return None
    measure = trend.measure
    unit = measure.unit
    if trend.latest is not None:
        summary = (
            f"The latest value is {_num(trend.latest.value)}{_unit(unit)} for {period(trend.latest)}"
            + (f", against a target of {_num(measure.target)}{_unit(unit)}" if measure.target is not None else "")
            + (
                f" and {_num(trend.latest.comparator)}{_unit(unit)} for England"
                if trend.latest.comparator is not None
                else ""
            )
            + f"; direction of travel: {trend.direction_label.lower()}."
        )
    else:
        summary = "No value has been published for this measure yet (suppressed values are shown as missing)."
    return charts.line_chart(
        id=f"kpi-{index}",
        title=measure.name,
        summary=summary,
        x_labels=[period(v) for v in trend.values],
        series=[
            (area_name, [v.value for v in trend.values], charts.COLOURS["blue"], "", "circle"),
            ("England", [v.comparator for v in trend.values], charts.COLOURS["black"], "6 4", "square"),
        ],
        target=(f"Target {_num(measure.target)}{_unit(unit)}", measure.target) if measure.target is not None else None,
    )


def period(value) -> str:
    return value.period_label or value.period.strftime("%b %Y")


def _num(value) -> str:
    return charts._format_number(value) if value is not None else "missing"


def _unit(unit: str) -> str:
    return unit if unit == "%" else f" {unit}"


def dashboard_context(board: AreaDashboard) -> dict:
    """The template context shared by the dashboard page and the board pack."""
    return {
        "board": board,
        "figures": headline_figures(board),
        "finding_charts": finding_charts(board),
        "status_labels": STATUS_LABELS,
        "rag_labels": RAG_LABELS,
        "burn_up_chart": burn_up_chart(board),
        "kpis": [(trend, kpi_chart(trend, i, board.area.name)) for i, trend in enumerate(board.kpis, start=1)],
    }
