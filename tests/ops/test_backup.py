"""Backups that restore (ops/backup.py, `manage.py backup` and `manage.py restore`).

The main test runs the commands as an operator would, each in its own process: the demo (seed_demo on an
extract of the reference data, plus a logo and a library attachment) is written into a database and an S3
bucket of its own, backed up, and restored into an empty database and an empty bucket; then every table's row
count, the demo's pages as three people see them, and every file's checksum must be the same on both sides.
"""

import difflib
import hashlib
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ops.backup import DISPOSABLE_TABLES, MANIFEST, BackupError, backup_verify
from tests.reference.extract import tarn_extract, write_extract
from tests.s3 import Bucket, create_bucket, remove_bucket, s3_bucket, s3_endpoint  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEMO_SITE = Path(__file__).with_name("demo_site.py")


# --- Databases and buckets of the test's own ----------------------------------------------------------------


def _admin_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"


def _libpq_environment(name: str) -> dict:
    settings = connection.settings_dict
    values = {
        "PGDATABASE": name,
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"] or ""),
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


@pytest.fixture
def scratch_databases():
    """Two empty databases beside the test database, dropped afterwards: (source, restored)."""
    base = connection.settings_dict["NAME"]
    names = (f"{base}_backup_source", f"{base}_backup_restored")
    with _admin_connection() as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    yield names
    with _admin_connection() as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_bucket():
    endpoint = s3_endpoint()
    name = create_bucket(endpoint)
    yield Bucket(endpoint, name)
    remove_bucket(endpoint, name)


def _copy_migrated_schema(target: str) -> None:
    """The test database as the migrations left it (its committed rows: what the data migrations seed) into
    `target`: far quicker than migrating again."""
    dump = subprocess.run(
        ["pg_dump", "--format=custom"],
        env=_libpq_environment(connection.settings_dict["NAME"]),
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={target}"],
        input=dump.stdout,
        env=_libpq_environment(target),
        capture_output=True,
        check=True,
    )


def _row_counts(name: str) -> dict[str, int]:
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=name,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    ) as database:
        tables = [
            table
            for (table,) in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
            if table not in DISPOSABLE_TABLES  # the database cache: not backed up
        }


def _checksums(bucket: Bucket) -> dict[str, str]:
    return {name: hashlib.sha256(bucket.read(name)).hexdigest() for name in bucket.names()}


# --- Running the platform's commands in processes of their own ----------------------------------------------


def _environment(database: str, bucket: Bucket, reference: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(database),
        "STORAGE_URL": bucket.url,
        # Nothing shared with the suite's processes: the cache in memory, tasks run in the process.
        "REDIS_URL": "",
        "REFERENCE_DATA_DIR": str(reference),
        "LOG_LEVEL": "WARNING",
    }


def _run(arguments: list[str], environment: dict) -> str:
    result = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _diff(before: str, after: str) -> list[str]:
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))[:12]


def _pages_of_both(source: tuple[str, Bucket], restored: tuple[str, Bucket], environment: dict) -> tuple:
    """The pages of both sites, rendered by one process with its clock stopped at the same instant."""
    now = datetime.now(UTC).isoformat()
    sites = [json.dumps([database, bucket.url]) for database, bucket in (source, restored)]
    output = _run([str(DEMO_SITE), "pages", now, *sites], environment)
    lines = [json.loads(line) for line in output.splitlines()]
    return [page for page in lines if page["site"] == 0], [page for page in lines if page["site"] == 1]


def test_a_backup_of_the_demo_restores_on_an_empty_system_with_every_row_page_and_file(
    scratch_databases,
    s3_bucket,  # noqa: F811 - fixture
    empty_bucket,
    tmp_path,
):
    source, restored = scratch_databases
    reference = write_extract(tmp_path / "reference", tarn_extract())
    _copy_migrated_schema(source)
    at_source = _environment(source, s3_bucket, reference)
    at_restored = _environment(restored, empty_bucket, reference)
    backup = tmp_path / "backup"

    # The demo is written and backed up at the source; restored on the empty system.
    _run([str(DEMO_SITE), "seed", str(backup)], at_source)
    _run(["manage.py", "restore", str(backup)], at_restored)

    counts = _row_counts(source)
    assert counts["accounts_user"] == 6 and counts["library_attachment"] == 1
    assert _row_counts(restored) == counts
    files = _checksums(s3_bucket)
    assert len(files) == 4  # the pilot's logo, the attachment and the PDFs of the two validated notes
    assert _checksums(empty_bucket) == files
    manifest = json.loads((backup / MANIFEST).read_text())
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == files
    assert manifest["database"]["tables"] == counts and manifest["missing"] == []

    before, after = _pages_of_both((source, s3_bucket), (restored, empty_bucket), at_restored)
    assert [(page["visitor"], page["url"], page["status"]) for page in after] == [
        (page["visitor"], page["url"], page["status"]) for page in before
    ]
    assert len(before) == 30 and all(page["status"] == 200 for page in before)
    changed = [
        f"{page['visitor']} {page['url']}:\n" + "\n".join(_diff(page["body"], again["body"]))
        for page, again in zip(before, after, strict=True)
        if again["sha256"] != page["sha256"]
    ]
    assert not changed, "pages changed by the restore:\n" + "\n".join(changed)
    # The pilot's logo and the attachment went through their views' access checks, from the restored bucket.
    downloaded = {page["sha256"] for page in after}
    assert len(set(files.values()) & downloaded) == 2

    # A file the database points at but the bucket lost fails the next backup, which names it.
    lost = next(name for name in files if name.startswith("logos/"))
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=lost)
    again = subprocess.run(
        [sys.executable, "manage.py", "backup", str(tmp_path / "again")],
        cwd=ROOT,
        env=at_source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode != 0 and f"absent\t{lost}" in again.stderr, again.stderr
    assert json.loads((tmp_path / "again" / MANIFEST).read_text())["missing"] == [lost]


# --- Refusals -----------------------------------------------------------------------------------------------


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "database.dump").write_bytes(b"dump")
    manifest = {
        "format": "fabrique-backup",
        "version": 1,
        "database": {"file": "database.dump", "sha256": hashlib.sha256(b"dump").hexdigest(), "tables": {}},
        "files": [],
        "missing": [],
    }
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(tmp_path))


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    (tmp_path / "files" / "logos").mkdir(parents=True)
    (tmp_path / "files" / "logos" / "a.png").write_bytes(b"changed since")
    (tmp_path / "database.dump").write_bytes(b"dump")
    manifest = {
        "format": "fabrique-backup",
        "version": 1,
        "database": {"file": "database.dump", "sha256": hashlib.sha256(b"dump").hexdigest(), "tables": {}},
        "files": [{"name": "logos/a.png", "size": 3, "sha256": hashlib.sha256(b"png").hexdigest()}],
        "missing": [],
    }
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="logos/a.png"):
        backup_verify(path=tmp_path)


def test_a_backup_refuses_a_file_name_that_would_leave_its_folder(tmp_path):
    (tmp_path / "database.dump").write_bytes(b"dump")
    manifest = {
        "format": "fabrique-backup",
        "version": 1,
        "database": {"file": "database.dump", "sha256": hashlib.sha256(b"dump").hexdigest(), "tables": {}},
        "files": [{"name": "../../etc/passwd", "size": 1, "sha256": "0"}],
        "missing": [],
    }
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="refusé"):
        backup_verify(path=tmp_path)


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    (tmp_path / MANIFEST).write_text(json.dumps({"format": "something-else", "version": uuid.uuid4().hex}))

    with pytest.raises(BackupError, match="n'est pas une sauvegarde"):
        backup_verify(path=tmp_path)
