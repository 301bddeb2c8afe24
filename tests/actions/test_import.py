"""Importing a plan from a spreadsheet: preview, apply, round trip and every bad-file case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from openpyxl import Workbook

from actions.importing import (
    CREATE,
    MAX_ROWS,
    REJECTED,
    UNCHANGED,
    UPDATE,
    ImportRefused,
    import_apply,
    import_preview,
    plan_export_xlsx,
    plan_template_xlsx,
)
from actions.importing.reader import OLE_MAGIC
from actions.models import Action, DueDateRevision, ProgressUpdate
from inspections.models import Finding
from tests import factories as f

from .importing_helpers import read_xlsx, with_cached_formula_values, xlsx

HEADERS = [
    "Ref",
    "Finding",
    "Action",
    "Lead organisation",
    "Lead officer",
    "Start date",
    "Due date",
    "RAG",
    "Status",
    "Success measure",
    "Latest update",
]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def plan(world):
    plan = f.ActionPlanFactory(area=world.area)
    for ref, title in (
        ("AW1", "Leaders do not know the quality of EHC plans"),
        ("AW2", "Waiting times for speech and language therapy are too long"),
        ("AW3", "Children and young people are not prepared for adulthood"),
    ):
        f.FindingFactory(inspection=plan.inspection, reference=ref, title=title, kind=Finding.Kind.SIGNIFICANT_WEAKNESS)
    return plan


@pytest.fixture
def actions(plan, world):
    aw1, aw2, _ = plan.inspection.findings.order_by("reference")
    made = []
    for n in range(1, 6):
        action = f.ActionFactory(
            plan=plan,
            reference=f"1.{n}",
            title=f"Action one point {n}",
            due_date=dt.date(2024, 9, n),
            lead_officer=world.officer if n % 2 else None,
            findings=[aw1 if n < 4 else aw2],
            success_measure="Audits show improvement" if n == 1 else "",
        )
        made.append(action)
    f.ProgressUpdateFactory(action=made[0], author=world.officer, text="Audit tool agreed.")
    return made


def preview_of(plan, user, data, filename="plan.xlsx", mapping=None):
    return import_preview(plan=plan, user=user, data=data, filename=filename, mapping=mapping)


def test_export_then_import_changes_nothing(plan, world, actions):
    preview = preview_of(plan, world.manager, plan_export_xlsx(plan))

    assert preview.file_errors == []
    assert preview.counts == {CREATE: 0, UPDATE: 0, UNCHANGED: 5, REJECTED: 0}
    assert all(row.warnings == [] for row in preview.rows)


def test_three_edited_rows_show_exactly_those_changes_and_apply_them(plan, world, actions):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[1][6] = "31/10/2024"  # 1.1 due date as UK text
    rows[3][2] = "Action one point three, rewritten"  # 1.3 title
    rows[5][7] = "R"  # 1.5 RAG as a letter
    preview = preview_of(plan, world.manager, xlsx(rows))

    changed = {row.reference: [(c.label, c.old, c.new) for c in row.changes] for row in preview.rows if row.changes}
    assert changed == {
        "1.1": [("Due date", "01/09/2024", "31/10/2024")],
        "1.3": [("Action", "Action one point 3", "Action one point three, rewritten")],
        "1.5": [("RAG", "Green", "Red")],
    }
    versions = {a.reference: a.version for a in actions}

    report = import_apply(preview=preview, user=world.manager)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 3, 2, 0)
    first = Action.objects.get(plan=plan, reference="1.1")
    assert first.due_date == dt.date(2024, 10, 31)
    assert first.original_due_date == dt.date(2024, 9, 1)
    assert DueDateRevision.objects.get(action=first).reason == "Imported from plan.xlsx"
    assert first.version == versions["1.1"] + 1
    assert Action.objects.get(plan=plan, reference="1.3").history.count() == 2
    assert Action.objects.get(plan=plan, reference="1.5").rag == Action.Rag.RED
    assert preview_of(plan, world.manager, plan_export_xlsx(plan)).counts[UNCHANGED] == 5


def test_new_rows_create_actions_with_findings_officer_and_first_update(plan, world):
    data = xlsx(
        [
            HEADERS,
            [
                "2.1",
                "AW2",
                "Commission extra therapists",
                "NHS Northshire ICB",
                world.health_officer.email,
                "01/06/2024",
                "March 2025",
                "A",
                "In progress",
                "Waits under 18 weeks",
                "Recruitment started.",
            ],
        ]
    )
    preview = preview_of(plan, world.manager, data)
    assert preview.counts[CREATE] == 1, preview.rows[0].errors

    import_apply(preview=preview, user=world.manager)

    action = Action.objects.get(plan=plan, reference="2.1")
    assert action.lead_organisation == world.icb
    assert action.lead_officer == world.health_officer
    assert list(action.findings.values_list("reference", flat=True)) == ["AW2"]
    assert action.due_date == dt.date(2025, 3, 31)
    assert action.rag == Action.Rag.AMBER
    assert action.updates.get().text == "Recruitment started."


def test_unknown_organisation_is_an_error_with_a_suggestion(plan, world):
    data = xlsx([HEADERS, ["2.1", "AW1", "Do a thing", "NHS Northshire IBC", "", "", "31/03/2025", "", "", "", ""]])
    row = preview_of(plan, world.manager, data).rows[0]

    assert row.outcome == REJECTED
    assert 'Did you mean "NHS Northshire ICB"' in row.errors[0]


def test_unknown_officer_is_a_warning_with_a_suggestion(plan, world):
    world.officer.first_name, world.officer.last_name = "Priya", "Shah"
    world.officer.save()
    name = "Priya Shah"
    data = xlsx([HEADERS, ["2.1", "AW1", "Do a thing", "", "Priya Sha", "", "31/03/2025", "", "", "", ""]])
    row = preview_of(plan, world.manager, data).rows[0]

    assert row.outcome == CREATE
    assert any(f'Did you mean "{name}"' in w for w in row.warnings)


def test_a_single_lead_column_naming_an_organisation_sets_the_lead_organisation(plan, world):
    data = xlsx([["Ref", "Action", "Lead", "Deadline"], ["2.1", "Do a thing", "NHS Northshire ICB", "31/03/2025"]])
    row = preview_of(plan, world.manager, data).rows[0]

    assert row.fields["lead_organisation"] == world.icb
    assert row.warnings == []


def test_unknown_finding_and_bad_values_are_listed_on_the_row(plan, world):
    data = xlsx([HEADERS, ["2.1", "AW9", "Do a thing", "", "", "soon", "whenever", "purple", "", "", ""]])
    errors = preview_of(plan, world.manager, data).rows[0].errors

    assert len(errors) == 4
    assert 'Finding "AW9"' in errors[0]
    assert any("Start date" in e for e in errors)
    assert any("Due date" in e for e in errors)
    assert any("RAG" in e for e in errors)


def test_one_bad_row_means_nothing_is_written(plan, world, actions):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[1][2] = "Changed title"
    rows.append(["9.9", "", "New action", "", "", "", "not a date", "", "", "", ""])
    preview = preview_of(plan, world.manager, xlsx(rows))

    assert not preview.can_apply
    with pytest.raises(ImportRefused):
        import_apply(preview=preview, user=world.manager)
    assert Action.objects.get(plan=plan, reference="1.1").title == "Action one point 1"
    assert not Action.objects.filter(reference="9.9").exists()


def test_an_action_changed_after_the_preview_stops_the_whole_import(plan, world, actions):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[1][2] = "Changed title"
    rows[2][2] = "Also changed"
    preview = preview_of(plan, world.manager, xlsx(rows))
    second = actions[1]
    second.version += 1
    second.save()

    with pytest.raises(ImportRefused, match="1.2 was changed by someone else"):
        import_apply(preview=preview, user=world.manager)
    assert Action.objects.get(plan=plan, reference="1.1").title == "Action one point 1"


def test_status_changes_are_not_imported_but_flagged(plan, world, actions):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[1][8] = "Completed"
    row = preview_of(plan, world.manager, xlsx(rows)).rows[0]

    assert row.outcome == UNCHANGED
    assert "action's page" in row.warnings[0]


def test_a_changed_latest_update_is_posted_as_a_new_update(plan, world, actions):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[1][10] = "Audit of 40 plans done."
    preview = preview_of(plan, world.manager, xlsx(rows))
    import_apply(preview=preview, user=world.manager)

    assert list(actions[0].updates.order_by("-created_at", "-pk").values_list("text", flat=True)) == [
        "Audit of 40 plans done.",
        "Audit tool agreed.",
    ]


def test_only_plan_managers_preview_imports(plan, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview_of(plan, world.officer, plan_template_xlsx())


def test_a_csv_file_is_read_like_a_workbook(plan, world):
    data = "Ref,Action,Deadline\r\n3.1,Publish the local offer,30/06/2024\r\n".encode("utf-8-sig")
    preview = preview_of(plan, world.manager, data, filename="plan.csv")

    assert preview.counts[CREATE] == 1
    assert preview.rows[0].fields["due_date"] == dt.date(2024, 6, 30)


# --- Bad files: each gets one clear message and nothing is written. ---


def only_file_error(plan, world, data: bytes, filename: str = "plan.xlsx") -> str:
    preview = preview_of(plan, world.manager, data, filename)
    assert len(preview.file_errors) == 1, preview.file_errors
    assert preview.rows == []
    assert not preview.can_apply
    return preview.file_errors[0]


def test_a_file_that_is_not_a_spreadsheet(plan, world):
    message = only_file_error(plan, world, b"%PDF-1.7\n%\x00\x01binary", "plan.pdf")
    assert "not a spreadsheet" in message


def test_a_zip_that_is_not_a_workbook(plan, world):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "not a spreadsheet" in only_file_error(plan, world, buffer.getvalue())


def test_a_password_protected_workbook(plan, world):
    # An encrypted workbook is an OLE compound file holding EncryptionInfo and EncryptedPackage streams.
    data = OLE_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    assert "password-protected" in only_file_error(plan, world, data)


def test_an_old_xls_workbook(plan, world):
    data = OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 64
    assert ".xls" in only_file_error(plan, world, data, "plan.xls")


def test_an_empty_file(plan, world):
    assert "empty" in only_file_error(plan, world, b"", "plan.csv")


def test_an_empty_workbook(plan, world):
    assert "empty" in only_file_error(plan, world, xlsx([]))


def test_a_header_row_with_no_actions(plan, world):
    assert "no actions" in only_file_error(plan, world, xlsx([HEADERS]))


def test_missing_required_columns_are_named(plan, world):
    message = only_file_error(plan, world, xlsx([["Ref", "Action", "Lead"], ["1.1", "Do it", "Sam"]]))
    assert "no column for: Due date" in message


def test_the_user_can_choose_a_column_the_headers_did_not_match(plan, world):
    data = xlsx([["Ref", "Action", "When it will be finished"], ["1.1", "Do it", "31/07/2024"]])
    preview = preview_of(plan, world.manager, data, mapping={"reference": 0, "title": 1, "due_date": 2})

    assert preview.file_errors == []
    assert preview.rows[0].fields["due_date"] == dt.date(2024, 7, 31)


def test_duplicate_references_reject_both_rows(plan, world):
    data = xlsx([HEADERS, ["4.1", "", "One", "", "", "", "31/07/2024"], ["4.1", "", "Two", "", "", "", "31/08/2024"]])
    preview = preview_of(plan, world.manager, data)

    assert preview.counts[REJECTED] == 2
    assert "appears more than once (rows 2, 3)" in preview.rows[0].errors[0]


def test_formulas_give_their_saved_values_and_are_never_evaluated(plan, world):
    data = xlsx([HEADERS, ["5.1", "", '=CONCAT("Run ","audits")', "", "", "", "=DATE(2024,7,31)"]])
    data = with_cached_formula_values(data, {"C2": "Cached title", "G2": "31/07/2024"})
    row = preview_of(plan, world.manager, data).rows[0]

    assert row.fields["title"] == "Cached title"
    assert row.fields["due_date"] == dt.date(2024, 7, 31)
    assert row.warnings[0] == "Cell C2 holds a formula; the value Excel saved with it was used."


def test_a_formula_without_a_saved_value_is_an_error_not_evaluated(plan, world):
    data = xlsx([HEADERS, ["5.1", "", "Run audits", "", "", "", "=DATE(2024,7,31)"]])
    row = preview_of(plan, world.manager, data).rows[0]

    assert row.outcome == REJECTED
    assert row.errors[0].startswith("Cell G2 holds a formula with no saved value.")


def test_cells_merged_down_apply_to_each_row_with_a_warning(plan, world):
    data = xlsx(
        [
            HEADERS,
            ["6.1", "AW1", "First", "", "", "", "31/07/2024"],
            ["6.2", None, "Second", "", "", "", "31/08/2024"],
        ],
        merges=("B2:B3",),
    )
    preview = preview_of(plan, world.manager, data)

    assert [[f.reference for f in row.findings] for row in preview.rows] == [["AW1"], ["AW1"]]
    assert "Cells B2:B3 are merged" in preview.warnings[0]


def test_more_than_ten_thousand_rows_is_refused(plan, world):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for n in range(MAX_ROWS + 1):
        sheet.append([f"R{n}", "", "Action", "", "", "", "31/07/2024"])
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    message = only_file_error(plan, world, buffer.getvalue())
    assert "at most 10,000" in message


# --- A spreadsheet laid out the way a real written statement of action is. ---


def wsoa_workbook(world) -> bytes:
    """Title rows, a two-row header with "Lead" over organisation and officer, a merged heading row for each
    area of weakness, dates as Excel dates and as text."""
    rows = [
        ["Northshire Local Area Partnership: Written Statement of Action"] + [None] * 8,
        ["Version 3, agreed by the SEND Improvement Board"] + [None] * 8,
        [None] * 9,
        [
            "No.",
            "What we will do",
            "Lead",
            None,
            "By when",
            "RAG rating",
            "How we will know",
            "Progress",
            "Notes",
        ],
        [None, None, "Organisation", "Officer", None, None, None, None, None],
        ["Area of weakness 1: Leaders do not know the quality of EHC plans"] + [None] * 8,
        [
            "1.1",
            "Set up a multi-agency EHC plan audit",
            "Northshire Council",
            world.officer.get_full_name(),
            dt.datetime(2024, 6, 30),
            "G",
            "80% of audited plans good",
            "Audit tool agreed",
            None,
        ],
        [
            "1.2",
            "Train 200 staff in writing outcomes",
            "Northshire Council",
            None,
            "31 March 2025",
            "Amber",
            None,
            None,
            "Budget agreed",
        ],
        ["Area of weakness 2: Waiting times for speech and language therapy are too long"] + [None] * 8,
        [
            "2.1",
            "Commission additional therapy capacity",
            "NHS Northshire ICB",
            world.health_officer.email,
            "September 2024",
            "R",
            "Waits below 18 weeks",
            None,
            None,
        ],
        ["2.2", "Publish waiting times monthly", "NHS Northshire ICB", None, 45596, "G", None, None, None],
    ]
    merges = ("A1:I1", "A2:I2", "C4:D4", "A6:I6", "A9:I9")
    return xlsx(rows, merges=merges, title="WSoA")


def test_a_written_statement_of_action_as_areas_lay_it_out(plan, world):
    preview = preview_of(plan, world.manager, wsoa_workbook(world), "Northshire WSoA v3.xlsx")

    assert preview.file_errors == []
    assert preview.header_row == 4
    assert preview.counts == {CREATE: 4, UPDATE: 0, UNCHANGED: 0, REJECTED: 0}, [r.errors for r in preview.rows]
    assert preview.unmapped_headers == ["Notes"]
    assert len(preview.sections) == 2
    report = import_apply(preview=preview, user=world.manager)

    assert report.created == 4
    actions = {a.reference: a for a in Action.objects.filter(plan=plan).prefetch_related("findings")}
    assert [f.reference for f in actions["1.1"].findings.all()] == ["AW1"]
    assert [f.reference for f in actions["2.2"].findings.all()] == ["AW2"]
    assert actions["1.1"].lead_officer == world.officer
    assert actions["2.1"].lead_officer == world.health_officer
    assert actions["2.1"].lead_organisation == world.icb
    assert actions["1.1"].due_date == dt.date(2024, 6, 30)
    assert actions["1.2"].due_date == dt.date(2025, 3, 31)
    assert actions["2.1"].due_date == dt.date(2024, 9, 30)
    assert actions["2.2"].due_date == dt.date(2024, 10, 31)
    assert actions["2.1"].rag == Action.Rag.RED
    assert ProgressUpdate.objects.get(action=actions["1.1"]).text == "Audit tool agreed"
    # Importing the same file again changes nothing.
    again = preview_of(plan, world.manager, wsoa_workbook(world))
    assert again.counts[UNCHANGED] == 4, [(r.reference, r.changes) for r in again.rows]


@pytest.mark.parametrize("count", [5, 40])
def test_the_preview_takes_the_same_queries_however_many_rows(plan, world, count, django_assert_num_queries):
    aw1 = plan.inspection.findings.get(reference="AW1")
    for n in range(count):
        f.ActionFactory(plan=plan, reference=f"7.{n}", lead_officer=world.officer, findings=[aw1])
    data = plan_export_xlsx(plan)
    world.manager.__dict__.pop("_access_cache", None)
    plan = type(plan).objects.get(pk=plan.pk)
    # Access (roles and managed areas, in one query), area, council, existing actions, their findings, findings,
    # organisations, people, partners.
    with django_assert_num_queries(9):
        preview = preview_of(plan, world.manager, data)
    assert preview.counts[UNCHANGED] == count
