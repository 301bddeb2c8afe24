"""The restore drill in docs/operations.md really restores a backup and notices when a copy differs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from scripts.restore_drill import Report
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def test_the_drill_restores_the_database_and_evidence_files_and_finds_every_row(transactional_db, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("the restore drill needs PostgreSQL's client programs (pg_dump, pg_restore) on the PATH")
    for _ in range(3):
        f.ActionFactory()
    media = tmp_path / "media"
    (media / "evidence" / "2026" / "03").mkdir(parents=True)
    (media / "evidence" / "2026" / "03" / "minutes.pdf").write_bytes(b"%PDF-1.7 board minutes")
    (media / "evidence" / "2026" / "03" / "kpis.xlsx").write_bytes(b"PK\x03\x04 workbook")
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    if settings.get("PASSWORD"):
        url = url.replace("@", f":{settings['PASSWORD']}@", 1)

    result = subprocess.run(
        [sys.executable, "scripts/restore_drill.py", "--database-url", url, "--media-root", str(media)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restore drill PASSED" in result.stdout
    assert "evidence files: 2 live, 2 restored" in result.stdout
    assert "database restore:" in result.stdout
    # The scratch database is gone afterwards.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s", [f"{settings['NAME']}_restore_drill_%"]
        )
        assert cursor.fetchone()[0] == 0


def test_a_report_with_a_missing_row_or_file_fails():
    report = Report(tables={"actions_action": (10, 9), "actions_actionplan": (2, 2)})
    assert not report.ok
    assert "  MISMATCH actions_action: live 10, restored 9" in report.lines()
    assert report.lines()[-1] == "restore drill FAILED"
    assert not Report(tables={"a": (1, 1)}, file_mismatches=["evidence/x.pdf"]).ok
    assert Report(tables={"a": (1, 1)}).ok


def test_the_drill_refuses_a_database_that_is_not_postgresql():
    result = subprocess.run(
        [sys.executable, "scripts/restore_drill.py", "--database-url", "sqlite:///var/db.sqlite3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr
