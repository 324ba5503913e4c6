"""Backups that restore: the PostgreSQL database and the stored files, taken together, brought back together.

A backup is a folder:

    manifest.json    what the backup holds: the dump's checksum, each table's row count in the dump's
                     snapshot, each stored file's name, size and SHA-256
    database.dump    `pg_dump --format=custom`, in the snapshot the row counts and file names were read in
    files/<name>     a copy of each stored file (logos, attachments, rendered documents)

Consistency: one REPEATABLE READ transaction exports its snapshot; pg_dump dumps that very snapshot, and the
row counts and the names of the files the records point at are read in it too. Files are written before a
record points at them and removed after the deletion is committed (core.files), so every file the snapshot
names is still stored when the copy starts, unless its record was deleted in the seconds between: such a name
is listed under "missing" in the manifest and reported, never silently skipped.

A restore checks the whole backup first (every checksum), then puts the files back and reads each one again to
compare its checksum, then loads the dump into an empty database (`pg_restore --single-transaction`, so a
failure leaves it empty) and compares every table's row count with the manifest. Files go first: a restored
record never points at a file that is not there yet.
"""

import hashlib
import json
import os
import posixpath
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction

from core.files import referenced_names, stored_names
from fabrique.env import CACHE_TABLE

FORMAT = "fabrique-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be taken, or a restore refused or failed; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class BackupReport:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def _pg_environment(alias: str) -> dict[str, str]:
    """libpq's variables for the database `alias`: pg_dump and pg_restore never see a password on their
    command line."""
    settings = connections[alias].settings_dict
    values = {
        "PGDATABASE": settings["NAME"],
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode", ""),
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def _run(command: list[str], *, alias: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program, arguments built here
            command, env=_pg_environment(alias), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} est introuvable : installer le client PostgreSQL de la version du serveur."
        ) from error
    if result.returncode:
        raise BackupError(f"{command[0]} a échoué ({result.returncode}) : {result.stderr.strip()}")


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


# The database cache's rows (production without Redis) are disposable: neither dumped nor counted, since any
# request may add or expire one between the backup's reading and the comparison after a restore.
DISPOSABLE_TABLES = (CACHE_TABLE,)


def row_counts(alias: str = "default") -> dict[str, int]:
    """Every table of the database's schema but the disposable ones, and its number of rows."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables(cursor):
            if table in DISPOSABLE_TABLES:
                continue
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - catalog name
            counts[table] = cursor.fetchone()[0]
    return counts


# --- Files --------------------------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    """A stored file's name as a relative path that stays inside the backup's files folder."""
    normal = posixpath.normpath(name)
    if not name or normal != name or normal.startswith(("/", "../")) or normal in (".", ".."):
        raise BackupError(f"Nom de fichier refusé : {name!r}.")
    return name


def _copy(source, target, digest) -> int:
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size


def _file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_checksum(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------------------------------


def backup_create(*, path: Path, alias: str = "default", storage=None) -> BackupReport:
    """Write a backup of the database `alias` and of the stored files into the new folder `path`."""
    storage = storage or default_storage
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{path} existe déjà et n'est pas vide.")
    partial = path.with_name(path.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / FILES).mkdir(parents=True)
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("Une sauvegarde prend sa propre transaction : pas dans une autre.")

    report = BackupReport(path=path)
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # The first statement of the transaction: its snapshot is the one pg_dump dumps.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        counts = row_counts(alias)
        referenced = referenced_names()
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                *(f"--exclude-table-data={table}" for table in DISPOSABLE_TABLES),
                f"--file={partial / DUMP}",
            ],
            alias=alias,
        )
    files = []
    for name in stored_names(storage):
        _safe_name(name)
        target = partial / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            size = _copy(source, copy, digest)
        files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
        report.bytes += size
    stored = {entry["name"] for entry in files}
    report.missing = sorted(referenced - stored)
    report.tables, report.rows, report.files = len(counts), sum(counts.values()), len(files)

    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {
            "file": DUMP,
            "sha256": _file_checksum(partial / DUMP),
            "server_version": server_version,
            "tables": counts,
        },
        "files": files,
        "missing": report.missing,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    # Only a complete backup bears the name asked for.
    if path.exists():
        path.rmdir()
    partial.rename(path)
    return report


# --- Restore ------------------------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} n'est pas une sauvegarde lisible : {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{path} n'est pas une sauvegarde de ce format (version {VERSION}).")
    return manifest


def backup_verify(*, path: Path) -> dict:
    """The manifest of the backup at `path`, once the dump and every file copy match their checksums."""
    path = Path(path)
    manifest = read_manifest(path)
    database = manifest["database"]
    if _file_checksum(path / database["file"]) != database["sha256"]:
        raise BackupError(f"La copie de la base {database['file']} ne correspond pas à sa somme de contrôle.")
    for entry in manifest["files"]:
        copy = path / FILES / _safe_name(entry["name"])
        if not copy.is_file() or _file_checksum(copy) != entry["sha256"]:
            raise BackupError(f"La copie du fichier {entry['name']} manque ou ne correspond pas à sa somme.")
    return manifest


def backup_restore(*, path: Path, alias: str = "default", storage=None) -> RestoreReport:
    """Bring the backup at `path` back into the empty database `alias` and into the file storage."""
    storage = storage or default_storage
    path = Path(path)
    manifest = backup_verify(path=path)
    connection = connections[alias]
    with connection.cursor() as cursor:
        if existing := _tables(cursor):
            raise BackupError(
                f"La base {connection.settings_dict['NAME']} n'est pas vide ({len(existing)} tables) : une "
                "restauration se fait dans une base vide."
            )
    report = RestoreReport()
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            if _stored_checksum(storage, name) != entry["sha256"]:
                raise BackupError(f"Le stockage a déjà un autre fichier nommé {name}.")
        else:
            with (path / FILES / name).open("rb") as handle:
                saved = storage.save(name, File(handle, name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"Le stockage a enregistré {name} sous le nom {saved}.")
        if _stored_checksum(storage, name) != entry["sha256"]:
            raise BackupError(f"Le fichier {name} relu dans le stockage ne correspond pas à sa somme.")
        report.files += 1
        report.bytes += entry["size"]
    connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path / manifest["database"]["file"]),
        ],
        alias=alias,
    )
    counts = row_counts(alias)
    expected = manifest["database"]["tables"]
    if counts != expected:
        different = sorted(
            table for table in set(counts) | set(expected) if counts.get(table) != expected.get(table)
        )
        raise BackupError(f"Les tables restaurées diffèrent de la sauvegarde : {', '.join(different)}.")
    report.tables, report.rows = len(counts), sum(counts.values())
    # Whatever the cache held (pages, counters) described another database.
    cache.clear()
    return report
