"""Restore drill: back up the database (and evidence files), restore them into a scratch copy, compare.

    python scripts/restore_drill.py                      # uses DATABASE_URL and MEDIA_ROOT
    python scripts/restore_drill.py --keep-dump backups/ # also keep the dump and media archive it made

It runs `pg_dump` in PostgreSQL's custom format, creates a scratch database next to the live one, restores the
dump into it with `pg_restore`, and compares the number of rows in every table. With a MEDIA_ROOT it also packs
the evidence files into a tar archive, unpacks it into a scratch folder and compares every file's SHA-256.
It prints how long each step took (the restore time is the recovery time to expect) and exits 1 if anything
differs. The live database and files are only read; the scratch copies are removed at the end.

Standard library and psycopg only, plus PostgreSQL's client programs on the PATH. docs/operations.md says
when to run it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql


@dataclass
class Connection:
    host: str
    port: str
    user: str
    password: str
    dbname: str

    @classmethod
    def from_url(cls, url: str) -> Connection:
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise SystemExit(f"restore_drill: DATABASE_URL must be a PostgreSQL URL (got {parts.scheme!r}).")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=parts.path.lstrip("/"),
        )

    def env(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.update(PGHOST=self.host, PGPORT=self.port, PGUSER=self.user)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment

    def connect(self, dbname: str | None = None, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=dbname or self.dbname,
            autocommit=autocommit,
        )


@dataclass
class Report:
    timings: dict[str, float] = field(default_factory=dict)
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    files: tuple[int, int] = (0, 0)
    file_mismatches: list[str] = field(default_factory=list)

    @property
    def table_mismatches(self) -> list[str]:
        return [name for name, (live, restored) in self.tables.items() if live != restored]

    @property
    def ok(self) -> bool:
        return not self.table_mismatches and not self.file_mismatches

    def lines(self) -> list[str]:
        rows = sum(live for live, _ in self.tables.values())
        out = [f"tables compared: {len(self.tables)}, rows in the live database: {rows}"]
        out += [
            f"  MISMATCH {name}: live {live}, restored {restored}"
            for name, (live, restored) in self.tables.items()
            if live != restored
        ]
        out.append(f"evidence files: {self.files[0]} live, {self.files[1]} restored")
        out += [f"  MISMATCH {name}" for name in self.file_mismatches]
        out += [f"{step}: {seconds:.1f} s" for step, seconds in self.timings.items()]
        out.append("restore drill PASSED" if self.ok else "restore drill FAILED")
        return out


def row_counts(connection: psycopg.Connection) -> dict[str, int]:
    """Exact row counts of every table in the public schema (not the planner's estimates)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        names = [row[0] for row in cursor.fetchall()]
        counts = {}
        for name in names:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
            counts[name] = cursor.fetchone()[0]
    return counts


def run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"restore_drill: {command[0]} failed:\n{result.stderr.strip()}")


def file_digests(root: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digests[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def drill(database_url: str, media_root: Path | None, keep_dir: Path | None = None) -> Report:
    live = Connection.from_url(database_url)
    report = Report()
    scratch_name = f"{live.dbname}_restore_drill_{secrets.token_hex(4)}"
    work = Path(tempfile.mkdtemp(prefix="restore-drill-"))
    try:
        dump = work / "database.dump"
        started = time.monotonic()
        # The counts and the dump read the same snapshot (pg_dump --snapshot), so the drill is exact even while
        # people are using the live database.
        with live.connect() as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            live_counts = row_counts(connection)
            run(
                ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump}", live.dbname],
                live.env(),
            )
        report.timings["database backup"] = time.monotonic() - started

        archive = work / "media.tar"
        live_files: dict[str, str] = {}
        if media_root and media_root.is_dir():
            started = time.monotonic()
            live_files = file_digests(media_root)
            with tarfile.open(archive, "w") as tar:
                tar.add(media_root, arcname="media")
            report.timings["evidence files backup"] = time.monotonic() - started

        started = time.monotonic()
        with live.connect(dbname="postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch_name)))
        try:
            run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch_name}", str(dump)],
                live.env(),
            )
            report.timings["database restore"] = time.monotonic() - started
            with live.connect(dbname=scratch_name) as restored:
                restored_counts = row_counts(restored)
        finally:
            with live.connect(dbname="postgres", autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch_name)))
        for name in sorted(set(live_counts) | set(restored_counts)):
            report.tables[name] = (live_counts.get(name, -1), restored_counts.get(name, -1))

        if live_files:
            started = time.monotonic()
            target = work / "restored"
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
            restored_files = file_digests(target / "media")
            report.timings["evidence files restore"] = time.monotonic() - started
            report.files = (len(live_files), len(restored_files))
            report.file_mismatches = sorted(
                name
                for name in set(live_files) | set(restored_files)
                if live_files.get(name) != restored_files.get(name)
            )

        if keep_dir:
            keep_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dump, keep_dir / dump.name)
            if archive.exists():
                shutil.copy2(archive, keep_dir / archive.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT", ""))
    parser.add_argument("--keep-dump", type=Path, help="copy the dump and media archive into this folder")
    args = parser.parse_args(argv)
    if not args.database_url:
        print("restore_drill: set DATABASE_URL (or pass --database-url).", file=sys.stderr)
        return 2
    report = drill(args.database_url, Path(args.media_root) if args.media_root else None, args.keep_dump)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
