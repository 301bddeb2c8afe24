"""The board pack as PDF and workbook, its download, and when it is due to the chair before each meeting.

Emailing it through the delivery ledger is in test_board_pack_delivery.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboards import board_pack, services
from dashboards.models import BoardPackSchedule
from inspections.models import BoardMeeting
from tests import factories as f

from . import scenario as sc
from .test_views import grow

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def built(world):
    built = sc.build(world)
    sc.add_kpis(world.area)
    return built


def pack_for(built, day: dt.date):
    meeting = BoardMeeting.objects.get(area=built.world.area, date=day)
    with sc.at(sc.TODAY):
        return board_pack.board_pack_for_meeting(built.world.area, meeting)


def test_pdf_has_a_cover_and_every_section(built):
    pack = pack_for(built, dt.date(2024, 7, 5))
    content = board_pack.render_pdf(pack)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for heading in (
        "Northshire improvement board pack",
        "Board meeting: Friday 5 July 2024",
        "Headline figures",
        "Progress on each finding",
        "Overdue actions",
        "Slippage",
        "Burn-up",
        "Key performance indicators",
        "Since the board meeting on 20 May 2024",
    ):
        assert heading in text, heading
    assert "Supplier delayed" in text  # an overdue action's latest update
    assert "Waiting for the new ICB contract" in text


def test_pack_compares_with_the_meeting_before_the_chosen_one(built):
    pack = pack_for(built, dt.date(2024, 5, 20))
    assert pack.previous.date == dt.date(2024, 3, 1)
    assert [c.action.reference for c in pack.board.since_meeting.signed_off] == ["A1", "A2", "A10"]
    first = pack_for(built, dt.date(2024, 3, 1))
    assert first.previous is None and first.board.since_meeting is None


def test_workbook_has_one_sheet_per_section_with_the_same_figures(built):
    pack = pack_for(built, dt.date(2024, 7, 5))
    book = load_workbook(io.BytesIO(board_pack.render_xlsx(pack)))
    assert book.sheetnames == [
        "Cover",
        "Headline figures",
        "Findings",
        "Overdue actions",
        "Slippage",
        "Burn-up",
        "KPIs",
        "Since last meeting",
    ]
    headline = {row[0]: row[1] for row in book["Headline figures"].iter_rows(min_row=3, values_only=True)}
    assert headline["Actions in total (not cancelled)"] == 9
    assert headline["Overdue"] == 3
    assert headline["Cancelled"] == 1
    overdue = [row[0] for row in book["Overdue actions"].iter_rows(min_row=3, values_only=True)]
    assert overdue == ["A6", "A3", "A9"]
    kpi_values = [row[3] for row in book["KPIs"].iter_rows(min_row=3, values_only=True)]
    assert "Not published" in kpi_values  # the suppressed 2022 value is not a zero


def test_workbook_text_never_becomes_a_formula(built):
    action = built.actions["A9"]
    action.title = "=cmd|'/c calc'!A0"
    action.save()
    pack = pack_for(built, dt.date(2024, 7, 5))
    book = load_workbook(io.BytesIO(board_pack.render_xlsx(pack)))
    titles = [row[1] for row in book["Overdue actions"].iter_rows(min_row=3, values_only=True)]
    assert "'=cmd|'/c calc'!A0" in titles
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_chair_downloads_the_pack_for_a_recorded_meeting(client, built):
    client.force_login(built.world.chair)
    url = reverse("dashboards:board_pack", args=["northshire"])
    with sc.at(sc.TODAY):
        pdf = client.get(url, {"meeting": "2024-07-05", "format": "pdf"})
        xlsx = client.get(url, {"meeting": "2024-07-05", "format": "xlsx"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="board-pack-northshire-2024-07-05.pdf"'
    assert xlsx["Content-Disposition"] == 'attachment; filename="board-pack-northshire-2024-07-05.xlsx"'


def test_a_date_without_a_meeting_is_refused_with_a_message(client, built):
    client.force_login(built.world.chair)
    url = reverse("dashboards:board_pack", args=["northshire"])
    with sc.at(sc.TODAY):
        response = client.get(url, {"meeting": "2024-07-06", "format": "pdf"}, follow=True)
    assert response.status_code == 200
    assert "Choose a board meeting recorded for this area" in response.content.decode()


def test_pack_of_another_area_is_not_found(client, built):
    f.BoardMeetingFactory(area=built.world.other_area, date=dt.date(2024, 7, 5))
    client.force_login(built.world.chair)
    url = reverse("dashboards:board_pack", args=["southshire"])
    assert client.get(url, {"meeting": "2024-07-05", "format": "pdf"}).status_code == 404


def test_packs_go_out_the_scheduled_working_days_before_each_meeting(built):
    BoardPackSchedule.objects.create(area=built.world.area, working_days_before=5)
    # Friday 5 July 2024 less five working days is Friday 28 June.
    assert [m.date for m in services.board_packs_due(dt.date(2024, 6, 28))] == [dt.date(2024, 7, 5)]
    assert services.board_packs_due(dt.date(2024, 6, 27)) == []
    assert services.board_packs_due(dt.date(2024, 7, 1)) == []
    # Tuesday 28 May 2024 follows the spring bank holiday: three working days before it is Wednesday 22 May.
    BoardPackSchedule.objects.create(area=built.world.other_area, working_days_before=3)
    f.BoardMeetingFactory(area=built.world.other_area, date=dt.date(2024, 5, 28))
    assert [m.area.name for m in services.board_packs_due(dt.date(2024, 5, 22))] == ["Southshire"]


def test_areas_without_an_enabled_schedule_get_no_pack(built):
    assert services.board_packs_due(dt.date(2024, 6, 28)) == []
    BoardPackSchedule.objects.create(area=built.world.area, working_days_before=5, enabled=False)
    assert services.board_packs_due(dt.date(2024, 6, 28)) == []


def test_pack_runs_the_same_queries_whatever_the_number_of_actions(built, django_assert_num_queries):
    meeting = BoardMeeting.objects.get(area=built.world.area, date=dt.date(2024, 7, 5))

    def make():
        with sc.at(sc.TODAY):
            board_pack.render_html(board_pack.board_pack_for_meeting(built.world.area, meeting))

    with CaptureQueriesContext(connection) as small:
        make()
    grow(built.plan, built.findings, 20, built.world.manager)
    with django_assert_num_queries(len(small)):
        make()
    # Meetings, plans, measures with their values, the counts behind the headline and burn-up, findings with
    # their judgements, the overdue, slipped and changed actions with their revisions, and the sign-offs since the
    # previous meeting.
    assert len(small) == 7
