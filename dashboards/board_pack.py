"""The board pack for one area and board meeting: the dashboard's content as a PDF and as a workbook.

The pack shows the state on the day it is made and the change since the meeting before the chosen one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from inspections.models import BoardMeeting, LocalArea

from . import presenters, selectors
from .xlsx import Sheet, workbook_bytes


@dataclass
class BoardPack:
    area: LocalArea
    meeting: BoardMeeting
    previous: BoardMeeting | None
    board: selectors.AreaDashboard
    generated_at: dt.datetime

    @property
    def filename(self) -> str:
        return f"board-pack-{self.area.slug}-{self.meeting.date.isoformat()}"


def board_pack_for_meeting(
    area: LocalArea, meeting: BoardMeeting, *, plan_id: str | int | None = None, today: dt.date | None = None
) -> BoardPack:
    meetings = selectors.area_meetings(area)
    previous = selectors.last_meeting_before(meetings, meeting.date, inclusive=False)
    board = selectors.area_dashboard(
        area,
        plan_id=plan_id,
        since=previous.date if previous else None,
        today=today,
        meetings=meetings,
        default_since=False,
    )
    return BoardPack(area=area, meeting=meeting, previous=previous, board=board, generated_at=timezone.now())


def render_html(pack: BoardPack) -> str:
    context = presenters.dashboard_context(pack.board)
    context |= {"pack": pack, "links": False, "service_name": "SEND Tracker"}
    return render_to_string("dashboards/board_pack.html", context)


def render_pdf(pack: BoardPack) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which the web pages never need.
    from weasyprint import HTML

    return HTML(string=render_html(pack), base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")


def render_xlsx(pack: BoardPack) -> bytes:
    board = pack.board
    return workbook_bytes(
        [
            _cover(pack),
            _headline(board),
            _findings(board),
            _overdue(board),
            _slipped(board),
            _burn_up(board),
            _kpis(board),
            _since(pack),
        ]
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_pack_attachments(area: LocalArea, meeting: BoardMeeting) -> list[tuple[str, bytes, str]]:
    """The pack for `meeting` as email attachments: (file name, content, MIME type) for the PDF and the XLSX."""
    pack = board_pack_for_meeting(area, meeting)
    return [
        (f"{pack.filename}.pdf", render_pdf(pack), "application/pdf"),
        (f"{pack.filename}.xlsx", render_xlsx(pack), XLSX),
    ]


def _cover(pack: BoardPack) -> Sheet:
    board = pack.board
    rows = [
        ["Area", pack.area.name],
        ["Board meeting", pack.meeting.date],
        ["Meeting title", pack.meeting.title],
        ["Plan", board.plan.title if board.plan else "No current plan"],
        ["Plan status", board.plan.get_status_display() if board.plan else ""],
        ["Figures as at", board.today],
        ["Changes since", pack.previous.date if pack.previous else "No earlier meeting recorded"],
        ["Produced", pack.generated_at],
    ]
    if pack.area.is_invented:
        rows.append(["Note", "Demonstration data: this area is invented."])
    return Sheet("Cover", f"Board pack: {pack.area.name}, {pack.meeting.date:%d %B %Y}", ["Item", "Value"], rows)


def _headline(board) -> Sheet:
    rows = [[figure.label, figure.value] for figure in presenters.headline_figures(board)]
    return Sheet("Headline figures", "Headline figures", ["Figure", "Actions"], rows)


def _findings(board) -> Sheet:
    columns = [
        "Reference",
        "Finding",
        "Kind",
        *presenters.STATUS_LABELS.values(),
        *presenters.RAG_LABELS.values(),
        "Actions",
        "Signed off with evidence",
        "Readiness (%)",
        "Latest judgement",
    ]
    rows = []
    for row in board.findings:
        judgement = row.last_judgement
        rows.append(
            [
                row.finding.reference,
                row.finding.title,
                row.finding.get_kind_display(),
                *row.status_values,
                *row.rag_values,
                row.total,
                row.ready,
                row.readiness_percent,
                (
                    f"{judgement.get_judgement_display()}, {judgement.inspection.onsite_start:%B %Y}"
                    if judgement
                    else "Not yet judged"
                ),
            ]
        )
    return Sheet("Findings", "Progress on each finding", columns, rows)


def _lead(action) -> str:
    officer = action.lead_officer.display_name + ", " if action.lead_officer else ""
    return officer + action.lead_organisation.name


def _overdue(board) -> Sheet:
    columns = [
        "Reference",
        "Action",
        "Lead",
        "Due",
        "Working days overdue",
        "RAG",
        "Latest update",
        "Update date",
    ]
    rows = [
        [
            o.action.reference,
            o.action.title,
            _lead(o.action),
            o.action.due_date,
            o.working_days_overdue,
            o.action.get_rag_display(),
            o.action.latest_update_text or "",
            o.action.latest_update_at,
        ]
        for o in board.overdue
    ]
    return Sheet("Overdue actions", "Overdue actions, the oldest first", columns, rows)


def _slipped(board) -> Sheet:
    columns = [
        "Reference",
        "Action",
        "First due",
        "Now due",
        "Working days moved",
        "Reasons",
        "Latest update",
    ]
    rows = [
        [
            s.action.reference,
            s.action.title,
            s.action.original_due_date,
            s.action.due_date,
            s.working_days,
            "; ".join(f"{r.previous_due_date:%d %b %Y} to {r.new_due_date:%d %b %Y}: {r.reason}" for r in s.revisions),
            s.action.latest_update_text or "",
        ]
        for s in board.slipped
    ]
    return Sheet("Slippage", "Actions whose due date has moved", columns, rows)


def _burn_up(board) -> Sheet:
    rows = [[m.month, m.planned, m.signed_off] for m in board.burn_up]
    return Sheet(
        "Burn-up",
        "Planned completions and sign-offs by the end of each month (cumulative)",
        ["Month", "Planned", "Signed off"],
        rows,
    )


def _kpis(board) -> Sheet:
    columns = ["Measure", "Unit", "Period", "Value", "England", "Target", "Direction of travel", "Source"]
    rows = []
    for trend in board.kpis:
        for value in trend.values:
            rows.append(
                [
                    trend.measure.name,
                    trend.measure.unit,
                    presenters.period(value),
                    value.value if value.value is not None else "Not published",
                    value.comparator if value.comparator is not None else "Not published",
                    trend.measure.target,
                    trend.direction_label,
                    value.source,
                ]
            )
    return Sheet("KPIs", "Key performance indicators", columns, rows)


def _since(pack: BoardPack) -> Sheet:
    since = pack.board.since_meeting
    title = (
        f"Changes since the board meeting on {pack.previous.date:%d %B %Y}"
        if pack.previous
        else "Changes since the last board meeting (none recorded)"
    )
    rows = []
    if since is not None:
        rows += [
            ["RAG change", a.reference, a.title, f"{a.get_rag_display()} (was {a.rag_then})", None]
            for a in since.rag_changes
        ]
        rows += [
            ["Signed off", c.action.reference, c.action.title, c.changed_by.display_name, c.changed_at]
            for c in since.signed_off
        ]
        rows += [["Newly overdue", a.reference, a.title, "", a.due_date] for a in since.newly_overdue]
    return Sheet("Since last meeting", title, ["Change", "Reference", "Action", "Detail", "Date"], rows)
