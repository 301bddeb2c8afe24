from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dashboards import services, timeliness


class Command(BaseCommand):
    help = (
        'Import the DfE "Timeliness of new EHC plans" CSV (Explore Education Statistics layout) into each area\'s '
        "measures. The whole file is checked first: any problem rejects it and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Path to the CSV file")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        try:
            report = services.measures_import(data=data)
        except timeliness.RejectedFile as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file} was not imported ({len(rejected.problems)} problem(s)); nothing was changed."
            ) from None
        self.stdout.write(
            f"Imported {file}: {report.created} values added, {report.updated} updated, {report.unchanged} unchanged; "
            f"{report.measures_created} measures created."
        )
        self.stdout.write(f"Areas: {', '.join(report.areas) or 'none'}")
        skipped = ", ".join(f"{name} ({code})" for code, name in report.skipped_authorities.items())
        self.stdout.write(
            f"Skipped {len(report.skipped_authorities)} local authorities not held in SEND Tracker"
            + (f": {skipped}" if skipped else "")
        )
        if report.other_geographies or report.other_breakdowns:
            self.stdout.write(
                f"Ignored {report.other_geographies + report.other_breakdowns} regional or breakdown rows."
            )
