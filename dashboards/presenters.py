"""Turn the dashboard figures into what pages and the board pack show: charts, summaries and action-list links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from actions.models import Action

from . import charts
from .selectors import DUE_SOON_DAYS, IN_PROGRESS, OPEN, RAG_ORDER, STATUS_ORDER, AreaDashboard, KpiTrend

STATUS_LABELS = {s: Action.Status(s).label for s in STATUS_ORDER}
STATUS_LABELS[Action.Status.COMPLETED] = "Awaiting sign-off"
RAG_LABELS = {r: Action.Rag(r).label.split(" ")[0] for r in RAG_ORDER}


def action_list_url(**params) -> str | None:
    """A link to the action list filtered like the figure it comes from.

    The action list reads GET filters (area, plan, status repeated for several statuses, rag, overdue=1,
    due_after and due_before, both inclusive). Without the action list installed, figures show without links.
    """
    try:
        base = reverse("actions:action_list")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode(params, doseq=True)}"


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
    scope = {"area": board.area.slug, "plan": board.plan.pk}
    today = board.today
    soon = today.fromordinal(today.toordinal() + DUE_SOON_DAYS)
    return [
        HeadlineFigure("total", "Actions in total", h.total, action_list_url(**scope, status=list(STATUS_ORDER))),
        HeadlineFigure("signed_off", "Signed off", h.signed_off, action_list_url(**scope, status="signed_off")),
        HeadlineFigure(
            "awaiting",
            "Completed, awaiting sign-off",
            h.awaiting_sign_off,
            action_list_url(**scope, status="completed"),
        ),
        HeadlineFigure("in_progress", "In progress", h.in_progress, action_list_url(**scope, status=list(IN_PROGRESS))),
        HeadlineFigure("overdue", "Overdue", h.overdue, action_list_url(**scope, overdue=1)),
        HeadlineFigure(
            "due_soon",
            f"Due in the next {DUE_SOON_DAYS} days",
            h.due_soon,
            action_list_url(**scope, status=list(OPEN), due_after=today.isoformat(), due_before=soon.isoformat()),
        ),
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
