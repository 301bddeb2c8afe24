"""Work out, without writing anything, what importing a file into a plan would do, row by row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery

from accounts import access
from accounts.models import User
from inspections.models import Finding, Organisation

from ..models import Action, ActionPlan, ProgressUpdate
from . import values as v
from .columns import BY_FIELD, COLUMNS, REQUIRED, match_headers
from .reader import ImportFileError, Sheet, read_upload

CREATE, UPDATE, UNCHANGED, REJECTED = "create", "update", "unchanged", "rejected"
# Statuses a new action may start in: later ones have their own steps (completion statement, board sign-off).
NEW_ACTION_STATUSES = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS)


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row_number: int
    reference: str
    outcome: str = UNCHANGED
    shown: dict[str, str] = field(default_factory=dict)  # label -> value as it will be saved
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    action_id: int | None = None
    action_version: int | None = None
    fields: dict[str, object] = field(default_factory=dict)  # model values for the apply step
    findings: list[Finding] | None = None
    new_update: str = ""


@dataclass
class ImportPreview:
    plan: ActionPlan
    filename: str
    sheet_name: str = ""
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, int] = field(default_factory=dict)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REJECTED: 0}
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def can_apply(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.counts[REJECTED]

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        return bool(counts[CREATE] or counts[UPDATE])

    @property
    def unmapped_headers(self) -> list[str]:
        used = set(self.mapping.values())
        return [h for i, h in enumerate(self.headers) if h and i not in used]

    @property
    def digest(self) -> str:
        """A fingerprint of what applying would do; the confirm step refuses if it no longer matches."""
        summary = [
            [
                r.row_number,
                r.outcome,
                r.reference,
                r.action_version,
                [[c.field, c.old, c.new] for c in r.changes],
            ]
            for r in self.rows
        ]
        payload = json.dumps([self.plan.pk, sorted(self.mapping.items()), summary], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def import_preview(
    *, plan: ActionPlan, user, data: bytes, filename: str, mapping: dict[str, int] | None = None
) -> ImportPreview:
    if not access.can_manage_area(user, plan.area):
        raise PermissionDenied("Only the area's plan managers can import into its plan.")
    preview = ImportPreview(plan=plan, filename=filename)
    try:
        sheet = read_upload(data, filename)
    except ImportFileError as exc:
        preview.file_errors.append(str(exc))
        return preview
    preview.sheet_name, preview.header_row, preview.headers = sheet.name, sheet.header_row, sheet.headers
    preview.warnings.extend(sheet.warnings)
    preview.mapping = _checked_mapping(sheet, mapping, preview)
    if preview.file_errors:
        return preview
    if not sheet.rows:
        preview.file_errors.append("The sheet has a header row but no actions under it.")
        return preview
    _Planner(plan, user, preview, sheet).run()
    return preview


def _checked_mapping(sheet: Sheet, mapping: dict[str, int] | None, preview: ImportPreview) -> dict[str, int]:
    found = match_headers(sheet.headers) if mapping is None else dict(mapping)
    found = {f: i for f, i in found.items() if f in BY_FIELD and 0 <= i < len(sheet.headers)}
    missing = [BY_FIELD[f].header for f in REQUIRED if f not in found]
    if missing:
        preview.file_errors.append(
            "The file has no column for: " + ", ".join(missing) + ". Name the column in the header row "
            '(for example "Ref", "Action", "Due date") or choose it below.'
        )
    taken: dict[int, str] = {}
    for name, index in found.items():
        if index in taken:
            preview.file_errors.append(
                f'Column "{sheet.headers[index]}" is chosen for both {BY_FIELD[taken[index]].header} and '
                f"{BY_FIELD[name].header}."
            )
        taken[index] = name
    return found


class _Planner:
    """Holds what the whole import needs to look up (loaded once) and plans each row."""

    def __init__(self, plan: ActionPlan, user, preview: ImportPreview, sheet: Sheet):
        self.plan, self.user, self.preview, self.sheet = plan, user, preview, sheet
        latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk").values("text")[:1]
        self.existing = {
            a.reference.lower(): a
            for a in Action.objects.filter(plan=plan)
            .select_related("lead_organisation", "lead_officer")
            .prefetch_related("findings")
            .annotate(latest_update_text=Subquery(latest))
        }
        self.findings = list(
            Finding.objects.filter(inspection__area_id=plan.area_id)
            .exclude(kind=Finding.Kind.STRENGTH)
            .order_by("-inspection__onsite_start", "reference")
        )
        # The plan's own inspection first: its findings win when a later revisit reuses a reference.
        self.findings.sort(key=lambda f: f.inspection_id != plan.inspection_id)
        self.organisations = {o.name.lower(): o for o in Organisation.objects.all()}
        area_orgs = Q(memberships__organisation__council_of=plan.area) | Q(
            memberships__organisation__partnerships__area=plan.area
        )
        people = User.objects.filter(area_orgs | Q(led_actions__plan=plan), is_active=True).distinct()
        self.people_by_key: dict[str, list[User]] = {}
        for person in people:
            for key in {person.email.lower(), person.username.lower(), person.get_full_name().lower()} - {""}:
                self.people_by_key.setdefault(key, []).append(person)
        self.people_names = sorted({p.get_full_name() or p.username for p in people})
        self.area_org_names = [plan.area.council.name, *plan.area.partners.values_list("name", flat=True)]

    def run(self) -> None:
        section = ""
        for row_number, cells in self.sheet.rows:
            if row_number in self.sheet.section_rows or self._looks_like_section(cells):
                section = self.sheet.section_rows.get(row_number) or next(v.text(c) for c in cells if v.text(c))
                self.preview.sections.append(section)
                continue
            self.preview.rows.append(self._plan_row(row_number, cells, section))
        self._reject_duplicates()

    def _cell(self, cells: list[object], name: str) -> object:
        index = self.preview.mapping.get(name)
        return None if index is None else cells[index]

    def _looks_like_section(self, cells: list[object]) -> bool:
        """A heading row between actions: one filled cell and no action or due date."""
        filled = [c for c in cells if v.text(c)]
        return len(filled) == 1 and not v.text(self._cell(cells, "title")) and not v.text(self._cell(cells, "due_date"))

    def _plan_row(self, row_number: int, cells: list[object], section: str) -> RowPlan:
        row = RowPlan(row_number=row_number, reference=v.text(self._cell(cells, "reference")))
        action = self.existing.get(row.reference.lower()) if row.reference else None
        if action is not None:
            row.action_id, row.action_version = action.pk, action.version
        for name, column in self.sheet.formula_cells.get(row_number, []):
            if column < len(cells) and cells[column] is None and column in self.preview.mapping.values():
                # Saved by a tool that does not calculate: there is no value, and we never evaluate formulas.
                row.errors.append(
                    f"Cell {name} holds a formula with no saved value. Open the file in Excel and save it, "
                    "or replace the formula with its value."
                )
            elif column in self.preview.mapping.values():
                row.warnings.append(f"Cell {name} holds a formula; the value Excel saved with it was used.")
        self._read_fields(row, cells, action, section)
        if row.errors:
            row.outcome = REJECTED
        elif action is None:
            row.outcome = CREATE
        else:
            row.changes = self._changes(row, action)
            row.outcome = UPDATE if row.changes else UNCHANGED
        row.shown = self._shown(row, action)
        return row

    def _read_fields(self, row: RowPlan, cells: list[object], action: Action | None, section: str) -> None:
        mapped = self.preview.mapping
        if not row.reference:
            row.errors.append("The reference is blank.")
        elif len(row.reference) > 16:
            row.errors.append(f'The reference "{row.reference[:20]}…" is longer than 16 characters.')
        title = v.text(self._cell(cells, "title"))
        if not title:
            row.errors.append("The action is blank.")
        elif len(title) > 300:
            row.errors.append(f"The action is {len(title)} characters long; the limit is 300.")
        row.fields["title"] = title
        self._read_findings(row, cells, section)
        self._read_organisation(row, cells, action)
        self._read_officer(row, cells, action)
        for name in ("start_date", "due_date"):
            if name in mapped:
                try:
                    row.fields[name] = v.parse_date(self._cell(cells, name))
                except v.ValueProblem as exc:
                    row.errors.append(f"{BY_FIELD[name].header}: {exc}")
        if "due_date" in row.fields and row.fields["due_date"] is None:
            row.errors.append("The due date is blank.")
        start = row.fields.get("start_date", action.start_date if action else None)
        due = row.fields.get("due_date")
        if start and due and due < start:
            row.errors.append(f"The due date {due:%d/%m/%Y} is before the start date {start:%d/%m/%Y}.")
        self._read_status_and_rag(row, cells, action)
        if "success_measure" in mapped:
            row.fields["success_measure"] = v.text(self._cell(cells, "success_measure"))
        self._read_update(row, cells, action)

    def _read_findings(self, row: RowPlan, cells: list[object], section: str) -> None:
        if "finding" in self.preview.mapping and v.text(self._cell(cells, "finding")):
            found = []
            for part in v.split_many(self._cell(cells, "finding")):
                finding = self._match_finding(part)
                if finding is None:
                    names = [f"{f.reference}. {f.title}" for f in self.findings]
                    row.errors.append(
                        f'Finding "{part[:60]}" is not a finding of this area\'s inspections.'
                        + v.did_you_mean(v.suggestions(part, names))
                    )
                elif finding not in found:
                    found.append(finding)
            row.findings = found
        elif section:
            finding = self._match_finding(section)
            if finding is None:
                row.warnings.append(
                    f'The heading "{section[:60]}" above this row matches no finding; '
                    "the action will answer no finding."
                )
                row.findings = []
            else:
                row.findings = [finding]
        elif "finding" in self.preview.mapping:
            row.findings = []

    def _match_finding(self, raw: str) -> Finding | None:
        """By reference ("AW1", "1", "PA2"), by title, or "1. Title" / "Area of weakness 1: title"."""
        key = raw.strip().lower()
        for finding in self.findings:
            if finding.reference.lower() == key or finding.title.lower() == key:
                return finding
        for finding in self.findings:
            title = finding.title.lower()
            if title and (key.endswith(title) or (len(key) > 20 and title.startswith(key.rstrip(". …")))):
                return finding
        lead = re.match(r"^(?:[a-z ]*?)\b([a-z]{0,3}\d+(?:\.\d+)?)\b", key)
        if lead:
            token = lead.group(1)
            for finding in self.findings:
                if finding.reference.lower() == token:
                    return finding
            digits = re.sub(r"\D", "", token)
            same_number = [f for f in self.findings if re.sub(r"\D", "", f.reference) == digits]
            if digits and len(same_number) == 1:
                return same_number[0]
        return None

    def _read_organisation(self, row: RowPlan, cells: list[object], action: Action | None) -> None:
        raw = v.text(self._cell(cells, "lead_organisation"))
        if raw:
            organisation = self.organisations.get(raw.lower())
            if organisation is None:
                row.errors.append(
                    f'Lead organisation "{raw}" is not known.'
                    + v.did_you_mean(
                        v.suggestions(raw, [*self.area_org_names, *(o.name for o in self.organisations.values())])
                    )
                    + " An administrator can add it."
                )
            else:
                row.fields["lead_organisation"] = organisation
        elif action is None:
            row.fields["lead_organisation"] = self.plan.area.council
            row.warnings.append(f"No lead organisation: {self.plan.area.council.name} will lead it.")

    def _read_officer(self, row: RowPlan, cells: list[object], action: Action | None) -> None:
        if "lead_officer" not in self.preview.mapping:
            return
        raw = v.text(self._cell(cells, "lead_officer"))
        if not raw:
            row.fields["lead_officer"] = None
            return
        organisation = self.organisations.get(raw.lower())
        if organisation is not None and "lead_organisation" not in self.preview.mapping:
            # A single "Lead" column often names the organisation rather than a person.
            row.fields["lead_organisation"] = organisation
            row.warnings[:] = [w for w in row.warnings if not w.startswith("No lead organisation")]
            return
        email = v.EMAIL.search(raw)
        keys = [email.group(0).lower()] if email else []
        keys.append(re.sub(r"<[^>]*>|\([^)]*\)", "", raw).strip().lower())
        for key in keys:
            people = self.people_by_key.get(key, [])
            if len(people) == 1:
                row.fields["lead_officer"] = people[0]
                return
            if len(people) > 1:
                row.warnings.append(f'Lead officer "{raw}" matches {len(people)} people; give their email address.')
                break
        else:
            row.warnings.append(
                f'Lead officer "{raw}" is not a user in this area, so the lead officer '
                + ("is left unchanged." if action else "is left blank.")
                + v.did_you_mean(v.suggestions(keys[-1], self.people_names))
            )

    def _read_status_and_rag(self, row: RowPlan, cells: list[object], action: Action | None) -> None:
        status = rag = None
        try:
            status = v.parse_status(self._cell(cells, "status"))
        except v.ValueProblem as exc:
            row.errors.append(str(exc))
        try:
            rag = v.parse_rag(self._cell(cells, "rag"))
        except v.ValueProblem as exc:
            row.errors.append(str(exc))
        if action is None:
            if status is not None and status not in NEW_ACTION_STATUSES:
                row.errors.append(
                    'A new action starts as "Not started" or "In progress", '
                    f'not "{Action.Status(status).label}": completion and sign-off are steps on its page.'
                )
            row.fields["status"] = status or Action.Status.NOT_STARTED
        elif status is not None and status != action.status:
            row.warnings.append(
                f'Status "{Action.Status(status).label}" was not imported: the action stays '
                f'"{action.get_status_display()}". Completion, sign-off and cancelling are done on the '
                "action's page."
            )
        effective_status = row.fields.get("status", action.status if action else None)
        if rag == Action.Rag.BLUE and effective_status != Action.Status.SIGNED_OFF:
            row.errors.append("RAG Blue means signed off; this action is not signed off.")
        elif rag is not None and effective_status == Action.Status.SIGNED_OFF and rag != Action.Rag.BLUE:
            row.warnings.append("The action is signed off, so its RAG stays Blue.")
        elif rag is not None:
            row.fields["rag"] = rag
        if action is None and "rag" not in row.fields:
            row.fields["rag"] = Action.Rag.GREEN

    def _read_update(self, row: RowPlan, cells: list[object], action: Action | None) -> None:
        raw = v.text(self._cell(cells, "latest_update"))
        if not raw:
            return
        if action is None:
            row.new_update = raw
        elif raw != (action.latest_update_text or "").strip():
            if action.is_open:
                row.new_update = raw
            else:
                row.warnings.append("The latest update was not imported: updates are only posted on open actions.")

    def _reject_duplicates(self) -> None:
        seen: dict[str, list[RowPlan]] = {}
        for row in self.preview.rows:
            if row.reference:
                seen.setdefault(row.reference.lower(), []).append(row)
        for rows in seen.values():
            if len(rows) > 1:
                numbers = ", ".join(str(r.row_number) for r in rows)
                for row in rows:
                    row.errors.append(f'Reference "{row.reference}" appears more than once (rows {numbers}).')
                    row.outcome = REJECTED
                    row.changes = []

    def _changes(self, row: RowPlan, action: Action) -> list[Change]:
        changes = []
        for name, old, new in (
            ("title", action.title, row.fields.get("title")),
            (
                "lead_organisation",
                action.lead_organisation,
                row.fields.get("lead_organisation", action.lead_organisation),
            ),
            ("lead_officer", action.lead_officer, row.fields.get("lead_officer", action.lead_officer)),
            ("start_date", action.start_date, row.fields.get("start_date", action.start_date)),
            ("due_date", action.due_date, row.fields.get("due_date", action.due_date)),
            ("rag", action.rag, row.fields.get("rag", action.rag)),
            (
                "success_measure",
                action.success_measure,
                row.fields.get("success_measure", action.success_measure),
            ),
        ):
            if old != new:
                changes.append(Change(name, BY_FIELD[name].header, _display(name, old), _display(name, new)))
        if row.findings is not None:
            old_findings = sorted(action.findings.all(), key=lambda f: f.pk)
            new_findings = sorted(row.findings, key=lambda f: f.pk)
            if old_findings != new_findings:
                changes.append(Change("findings", "Finding", _findings(old_findings), _findings(new_findings)))
        if row.new_update:
            changes.append(Change("latest_update", "Latest update", action.latest_update_text or "", row.new_update))
        return changes

    def _shown(self, row: RowPlan, action: Action | None) -> dict[str, str]:
        def pick(name: str) -> object:
            if name in row.fields:
                return row.fields[name]
            return getattr(action, name, None) if action else None

        findings = row.findings if row.findings is not None else (list(action.findings.all()) if action else [])
        shown = {column.header: "" for column in COLUMNS}
        shown.update(
            {
                "Ref": row.reference,
                "Finding": _findings(findings),
                "Action": pick("title") or "",
                "Lead organisation": _display("lead_organisation", pick("lead_organisation")),
                "Lead officer": _display("lead_officer", pick("lead_officer")),
                "Start date": _display("start_date", pick("start_date")),
                "Due date": _display("due_date", pick("due_date")),
                "RAG": _display("rag", pick("rag")),
                "Status": _display("status", pick("status")),
                "Success measure": pick("success_measure") or "",
                "Latest update": row.new_update or ((action.latest_update_text or "") if action else ""),
            }
        )
        return shown


def _findings(findings: list[Finding]) -> str:
    return "; ".join(f.reference for f in findings)


def _display(name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if name == "rag":
        return Action.Rag(value).label
    if name == "status":
        return Action.Status(value).label
    if isinstance(value, User):
        return value.get_full_name() or value.username
    return str(value)
