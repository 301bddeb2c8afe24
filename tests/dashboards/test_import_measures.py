"""Importing the DfE timeliness CSV, in the Explore Education Statistics layout, from the command line and the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actions.models import Measure, MeasureValue
from dashboards import timeliness

pytestmark = pytest.mark.django_db

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "new_la_code,old_la_code,la_name,breakdown_topic,breakdown,plans_issued_den,plans_issued_den_ex,"
    "plans_issued_within_20_weeks,plans_issued_20_weeks_ex,pc_plans_issued_within_20_weeks,"
    "pc_plans_issued_20_weeks_ex,plans_issued_gt20weeks_ltyear,pc_plans_issued_gt20weeks_ltyear,"
    "plans_issued_gt_1_year,pc_plans_issued_gt_1_year,avg_weeks_issue_plan,avg_weeks_issue_plan_exc"
)
ENGLAND = "E92000001,England"
ROWS = [
    f"2023,Calendar year,National,{ENGLAND},,,,,,Total,Total,66000,64000,33198,32768,50.3,51.2,25000,37.9,7802,11.8,22.1,21.9",
    f"2024,Calendar year,National,{ENGLAND},,,,,,Total,Total,70000,68000,32480,32504,46.4,47.8,28000,40.0,9520,13.6,24.3,24.0",
    f"2023,Calendar year,Regional,{ENGLAND},E12000006,East of England,,,,Total,Total,7000,6900,3300,3300,47.1,47.8,x,x,x,x,23,23",
    f"2023,Calendar year,Local authority,{ENGLAND},E12000006,East of England,E08000035,935,Northshire,Total,Total,"
    "1000,980,410,426,41.0,43.5,400,40.0,190,19.0,27.0,26.5",
    f"2024,Calendar year,Local authority,{ENGLAND},E12000006,East of England,E08000035,935,Northshire,Total,Total,"
    "c,c,c,c,x,low,c,c,c,c,z,u",
    f"2024,Calendar year,Local authority,{ENGLAND},E12000006,East of England,E08000035,935,Northshire,Age,Under 5,"
    "100,100,50,50,50.0,50.0,30,30.0,20,20.0,21,21",
    f"2023,Calendar year,Local authority,{ENGLAND},E12000001,North East,E06000001,805,Hartlepool,Total,Total,"
    "100,100,90,90,90.0,90.0,5,5.0,5,5.0,12,12",
    f"2024,Calendar year,Local authority,{ENGLAND},E12000007,London,E09000002,301,Barking and Dagenham,Total,Total,"
    "100,100,60,60,60.0,60.0,30,30.0,10,10.0,19,19",
    f"2024,Calendar year,Local authority,{ENGLAND},E12000006,East of England,E08000036,881,Southshire,Total,Total,"
    "500,500,277,280,55.5,56.0,200,40.0,23,4.6,20.5,20.1",
]


def csv_file(tmp_path, rows=ROWS, header=HEADER, name="timeliness.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def areas(world):
    world.area.la_code = "E08000035"
    world.area.save()
    world.other_area.la_code = "E08000036"
    world.other_area.save()
    return world


def values_of(area) -> dict:
    return {
        (v.measure.name, v.period): (v.value, v.comparator, v.period_label)
        for v in MeasureValue.objects.filter(measure__area=area).select_related("measure")
    }


def test_import_matches_areas_by_la_code_with_england_as_comparator(areas, tmp_path, capsys):
    call_command("import_measures", str(csv_file(tmp_path)))
    out = capsys.readouterr().out
    northshire = values_of(areas.area)
    within = "New EHC plans issued within 20 weeks, including exceptions"
    assert northshire[(within, dt.date(2023, 1, 1))] == (Decimal("41.00"), Decimal("50.30"), "2023")
    excluding = "New EHC plans issued within 20 weeks, excluding exceptions"
    assert northshire[(excluding, dt.date(2023, 1, 1))] == (Decimal("43.50"), Decimal("51.20"), "2023")
    weeks = "Average weeks to issue a new EHC plan"
    assert northshire[(weeks, dt.date(2023, 1, 1))] == (Decimal("27.00"), Decimal("22.10"), "2023")
    measure = Measure.objects.get(area=areas.area, name=weeks)
    assert (measure.unit, measure.direction) == ("weeks", "lower")
    assert len(northshire) == 6
    assert values_of(areas.other_area)[(within, dt.date(2024, 1, 1))] == (Decimal("55.50"), Decimal("46.40"), "2024")
    assert "Skipped 2 local authorities not held in SEND Tracker" in out
    assert "Hartlepool (E06000001)" in out and "Barking and Dagenham (E09000002)" in out


def test_suppressed_cells_are_stored_as_missing_not_zero(areas, tmp_path):
    call_command("import_measures", str(csv_file(tmp_path)))
    northshire = values_of(areas.area)
    for name, *_ in ((m[1],) for m in timeliness.MEASURES):
        value, comparator, _label = northshire[(name, dt.date(2024, 1, 1))]
        assert value is None
        assert comparator is not None


def test_reimporting_the_same_file_changes_nothing(areas, tmp_path):
    path = csv_file(tmp_path)
    first = timeliness_import(path)
    before = list(MeasureValue.objects.order_by("pk").values())
    measures = list(Measure.objects.order_by("pk").values_list("pk", flat=True))
    second = timeliness_import(path)
    assert (first.created, first.updated, first.measures_created) == (9, 0, 6)
    assert (second.created, second.updated, second.unchanged, second.measures_created) == (0, 0, 9, 0)
    assert list(MeasureValue.objects.order_by("pk").values()) == before
    assert list(Measure.objects.order_by("pk").values_list("pk", flat=True)) == measures


def timeliness_import(path):
    from dashboards import services

    return services.measures_import(data=path.read_bytes())


def test_a_corrected_file_updates_the_value(areas, tmp_path):
    timeliness_import(csv_file(tmp_path))
    corrected = [row.replace(",41.0,43.5,", ",42.0,43.5,") for row in ROWS]
    report = timeliness_import(csv_file(tmp_path, corrected, name="corrected.csv"))
    assert (report.created, report.updated) == (0, 1)
    within = "New EHC plans issued within 20 weeks, including exceptions"
    assert values_of(areas.area)[(within, dt.date(2023, 1, 1))][0] == Decimal("42.00")


def test_missing_required_column_rejects_the_file(areas, tmp_path):
    header = HEADER.replace("new_la_code", "la_code")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_measures", str(csv_file(tmp_path, header=header)))
    assert not Measure.objects.exists()


def test_bad_values_reject_the_whole_file_naming_row_and_column(areas, tmp_path, capsys):
    rows = list(ROWS)
    rows[3] = rows[3].replace(",41.0,43.5,", ",n/a,43.5,")
    rows[8] = rows[8].replace("2024,Calendar", "2024Q1,Calendar")
    with pytest.raises(CommandError):
        call_command("import_measures", str(csv_file(tmp_path, rows)))
    err = capsys.readouterr().err
    assert 'Row 5, column pc_plans_issued_within_20_weeks: "n/a" is neither a number nor a published suppression' in err
    assert 'Row 10, column time_period: "2024Q1" is not a year' in err
    assert not MeasureValue.objects.exists() and not Measure.objects.exists()


def test_short_rows_and_empty_cells_are_problems(areas, tmp_path):
    rows = [*ROWS, ROWS[3].rsplit(",", 3)[0], ROWS[7].replace(",60.0,60.0,", ",,60.0,")]
    with pytest.raises(timeliness.RejectedFile) as rejected:
        timeliness_import(csv_file(tmp_path, rows))
    assert [str(p) for p in rejected.value.problems] == [
        "Row 11: this row has fewer cells than the header",
        "Row 12, column pc_plans_issued_within_20_weeks: this cell is empty; a figure that is not published has a "
        "symbol such as x or c",
    ]


def test_duplicate_rows_and_bad_codes_are_problems(areas, tmp_path):
    rows = [*ROWS, ROWS[3], ROWS[3].replace("E08000035", "X123")]
    with pytest.raises(timeliness.RejectedFile) as rejected:
        timeliness_import(csv_file(tmp_path, rows))
    messages = [str(p) for p in rejected.value.problems]
    assert messages == [
        "Row 11, column new_la_code: a second row for E08000035 in 2023",
        'Row 12, column new_la_code: "X123" is not an LA code such as E10000029',
    ]


def test_academic_and_financial_years_become_periods():
    assert timeliness.parse_period("202425") == timeliness.Period(dt.date(2024, 9, 1), "2024-25")
    assert timeliness.parse_period("202425", "Financial year") == timeliness.Period(dt.date(2024, 4, 1), "2024-25")
    assert timeliness.parse_period("2019") == timeliness.Period(dt.date(2019, 1, 1), "2019")
    with pytest.raises(ValueError):
        timeliness.parse_period("202427")


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_measures", str(tmp_path / "missing.csv"))


def upload(client, user, path):
    client.force_login(user)
    with path.open("rb") as handle:
        return client.post(
            reverse("dashboards:measure_import"),
            {"file": SimpleUploadedFile(path.name, handle.read(), content_type="text/csv")},
        )


def test_plan_manager_uploads_into_the_areas_they_manage_only(client, areas, tmp_path):
    response = upload(client, areas.manager, csv_file(tmp_path))
    html = response.content.decode()
    assert response.status_code == 200
    assert "File imported: 6 values added, 0 updated, 0 unchanged." in html
    assert "Hartlepool (E06000001)" in html
    assert "Areas skipped (you do not manage them)" in html
    assert MeasureValue.objects.filter(measure__area=areas.area).count() == 6
    assert not MeasureValue.objects.filter(measure__area=areas.other_area).exists()


def test_upload_with_problems_lists_them_and_changes_nothing(client, areas, tmp_path):
    rows = [row.replace(",41.0,", ",forty-one,") for row in ROWS]
    html = upload(client, areas.admin, csv_file(tmp_path, rows)).content.decode()
    assert "The file was not imported" in html
    assert "Row 5, column pc_plans_issued_within_20_weeks" in html
    assert not MeasureValue.objects.exists()


def test_upload_must_be_a_csv(client, areas, tmp_path):
    path = tmp_path / "timeliness.xlsx"
    path.write_bytes(b"PK\x03\x04")
    html = upload(client, areas.admin, path).content.decode()
    assert "The file must be a CSV file" in html


def test_officers_cannot_import(client, areas, tmp_path):
    assert upload(client, areas.officer, csv_file(tmp_path)).status_code == 403
    assert not MeasureValue.objects.exists()
