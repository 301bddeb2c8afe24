"""What the dashboards app changes: KPI values (entered or imported) and the board pack it sends."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import access
from accounts.models import Membership, User
from actions.models import Measure, MeasureValue
from inspections.models import BoardMeeting, LocalArea
from send_tracker.working_days import add_working_days, working_day_on_or_before

from . import timeliness

logger = logging.getLogger(__name__)


# --- KPI values entered in the browser -------------------------------------------------------------------------


def measure_value_save(
    *,
    user,
    measure: Measure,
    period: dt.date,
    value: Decimal | None,
    comparator: Decimal | None = None,
    period_label: str = "",
    source: str = "",
) -> tuple[MeasureValue, bool]:
    """Record the value of a measure for a period, replacing any value already recorded for that period.

    Returns the value and whether it was new.
    """
    if not access.can_manage_area(user, measure.area):
        raise PermissionDenied("Only the area's plan managers can record measure values.")
    with transaction.atomic():
        existing = MeasureValue.objects.select_for_update().filter(measure=measure, period=period).first()
        record = existing or MeasureValue(measure=measure, period=period)
        record.value = value
        record.comparator = comparator
        record.period_label = period_label.strip()
        record.source = source.strip()
        record.full_clean()
        record.save()
    return record, existing is None


# --- The timeliness import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    measures_created: int = 0
    areas: list[str] = field(default_factory=list)
    # Local authorities in the file that SEND Tracker does not hold (a file covers all of England).
    skipped_authorities: dict[str, str] = field(default_factory=dict)
    # Areas SEND Tracker holds but the importing user does not manage.
    skipped_not_managed: dict[str, str] = field(default_factory=dict)
    skipped_rows: int = 0
    other_geographies: int = 0
    other_breakdowns: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


def measures_import(*, data: bytes, user=None) -> ImportReport:
    """Import a timeliness file into the areas' measures: all of it, or nothing.

    1. Parse and check every row (timeliness.parse); any problem rejects the file with each row and column.
    2. Match local-authority rows to areas by LA code; rows for authorities not held (or, for a signed-in user,
       not managed by them) are skipped and counted.
    3. In one transaction, create the three measures where an area lacks them and write each value with its
       England comparator, leaving identical values untouched, so importing the same file again changes nothing.
    `user=None` is the command line, which imports into every area.
    """
    parsed = timeliness.parse(timeliness.decode(data))
    report = ImportReport(other_geographies=parsed.other_geographies, other_breakdowns=parsed.other_breakdowns)
    areas = {area.la_code: area for area in LocalArea.objects.filter(la_code__in={code for code, _ in parsed.local})}
    allowed = None if user is None else access.managed_area_ids(user)
    wanted: list[tuple[LocalArea, timeliness.Period, dict]] = []
    for (code, _start), (name, period, values) in sorted(parsed.local.items()):
        area = areas.get(code)
        if area is None:
            report.skipped_authorities[code] = name
            report.skipped_rows += 1
        elif allowed is not None and area.pk not in allowed:
            report.skipped_not_managed[code] = area.name
            report.skipped_rows += 1
        else:
            wanted.append((area, period, values))
    with transaction.atomic():
        measures = _measures_for(sorted({area for area, *_ in wanted}, key=lambda a: a.name), report)
        existing = {
            (v.measure_id, v.period): v
            for v in MeasureValue.objects.select_for_update().filter(measure__in=measures.values())
        }
        for area, period, values in wanted:
            national = parsed.national.get(period.start, {})
            for column, *_ in timeliness.MEASURES:
                measure = measures[(area.pk, column)]
                _write_value(
                    report,
                    existing.get((measure.pk, period.start)),
                    measure,
                    period,
                    values[column],
                    national.get(column),
                )
    report.areas = sorted({area.name for area, *_ in wanted})
    return report


def _measures_for(areas: list[LocalArea], report: ImportReport) -> dict[tuple[int, str], Measure]:
    names = {name: (column, unit, direction) for column, name, unit, direction in timeliness.MEASURES}
    found = {(m.area_id, names[m.name][0]): m for m in Measure.objects.filter(area__in=areas, name__in=list(names))}
    for area in areas:
        for column, name, unit, direction in timeliness.MEASURES:
            if (area.pk, column) not in found:
                measure = Measure(area=area, name=name, unit=unit, direction=direction)
                measure.full_clean()
                measure.save()
                found[(area.pk, column)] = measure
                report.measures_created += 1
    return found


def _write_value(
    report: ImportReport,
    record: MeasureValue | None,
    measure: Measure,
    period: timeliness.Period,
    value: Decimal | None,
    comparator: Decimal | None,
) -> None:
    wanted = {
        "value": value,
        "comparator": comparator,
        "period_label": period.label,
        "source": timeliness.SOURCE,
    }
    if record is None:
        MeasureValue.objects.create(measure=measure, period=period.start, **wanted)
        report.created += 1
        return
    if all(getattr(record, name) == new for name, new in wanted.items()):
        report.unchanged += 1
        return
    for name, new in wanted.items():
        setattr(record, name, new)
    record.save()
    report.updated += 1


# --- The board pack by email -------------------------------------------------------------------------------------


def board_chairs(area: LocalArea) -> list[User]:
    """The area's independent chair(s): board members flagged as chair who sit on this area's board."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Membership.Role.BOARD_MEMBER,
            memberships__is_independent_chair=True,
            memberships__areas=area,
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def board_pack_send_date(meeting: BoardMeeting, working_days_before: int) -> dt.date:
    return add_working_days(working_day_on_or_before(meeting.date), -working_days_before)


# A meeting whose pack is due is at most this many calendar days ahead: 30 working days (the most a schedule
# allows) with their weekends and a run of bank holidays.
HORIZON_DAYS = 30 * 7 // 5 + 14


def board_packs_due(today: dt.date) -> list[BoardMeeting]:
    """Meetings whose pack goes out today, by their area's schedule (working days before the meeting)."""
    meetings = (
        BoardMeeting.objects.filter(
            area__board_pack_schedule__enabled=True,
            date__gt=today,
            date__lte=today + dt.timedelta(days=HORIZON_DAYS),
        )
        .select_related("area__board_pack_schedule")
        .order_by("date", "area__name")
    )
    return [
        meeting
        for meeting in meetings
        if board_pack_send_date(meeting, meeting.area.board_pack_schedule.working_days_before) == today
    ]


def board_packs_send_due(*, today: dt.date) -> int:
    """Owe each chair the packs due today: one reminders ledger row per (meeting, chair); returns rows added.

    The reminders delivery path sends them (claim, retries, reaper), so a second run on the same day, or two at
    once, adds nothing and sends nothing more. The row's period key is the meeting, so a pack is owed once per
    meeting even if its schedule changes.
    """
    from reminders.models import Kind
    from reminders.services import Planned, ledger_insert

    planned = [
        Planned(None, chair.pk, Kind.BOARD_PACK, f"meeting-{meeting.pk}", today, meeting_id=meeting.pk)
        for meeting in board_packs_due(today)
        for chair in _chairs_or_warn(meeting.area)
    ]
    return ledger_insert(day=today, planned=planned).created


def _chairs_or_warn(area: LocalArea) -> list[User]:
    chairs = board_chairs(area)
    if not chairs:
        logger.warning("No board chair with an email address for %s; board pack not sent", area)
    return chairs
