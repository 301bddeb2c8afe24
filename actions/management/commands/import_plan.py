"""manage.py import_plan FILE --plan ID [--dry-run] [--user USERNAME]: the upload page, from the shell."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from actions.importing import REJECTED, ImportRefused, import_apply, import_preview, report_for
from actions.models import ActionPlan


class Command(BaseCommand):
    help = "Import actions into a plan from an XLSX or CSV file (the same rules as the upload page)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", type=int, required=True, help="The plan's id.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument(
            "--user", help="Username recorded as making the changes (default: the first active superuser)."
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            plan = ActionPlan.objects.select_related("area").get(pk=options["plan"])
        except ActionPlan.DoesNotExist:
            raise CommandError(f"There is no plan with id {options['plan']}.") from None
        user = self._user(options["user"])
        try:
            preview = import_preview(plan=plan, user=user, data=path.read_bytes(), filename=path.name)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self._show(preview)
        if preview.file_errors:
            raise CommandError(" ".join(preview.file_errors))
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {report_for(preview)}.")
            if not preview.can_apply:
                raise CommandError("The file has errors: importing it would be refused.")
            return
        try:
            report = import_apply(preview=preview, user=user)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported into {plan}: {report}."))

    def _user(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}." if username else "Give --user: there is no superuser.")
        return user

    def _show(self, preview) -> None:
        for warning in preview.warnings:
            self.stdout.write(f"Warning: {warning}")
        for row in preview.rows:
            label = f"Row {row.row_number} ({row.reference or 'no reference'}): {row.outcome}"
            if row.outcome == REJECTED:
                self.stdout.write(self.style.ERROR(f"{label}: {' '.join(row.errors)}"))
                continue
            if row.changes or row.outcome == "create" or row.warnings:
                self.stdout.write(label)
            for change in row.changes:
                self.stdout.write(f"  {change.label}: {change.old!r} -> {change.new!r}")
            for warning in row.warnings:
                self.stdout.write(f"  Warning: {warning}")
