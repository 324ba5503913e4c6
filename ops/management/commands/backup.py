"""Back up the database and the stored files into a new folder (see ops/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Sauvegarde la base PostgreSQL (pg_dump, un instantané cohérent) et les fichiers stockés, avec leurs "
        "sommes de contrôle, dans un nouveau dossier."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Dossier de la sauvegarde (nouveau ou vide).")

    def handle(self, *args, path, **options):
        try:
            report = backup_create(path=path)
        except BackupError as error:
            raise CommandError(error.message) from error
        for name in report.missing:
            self.stderr.write(f"absent\t{name}")
        self.stdout.write(
            f"Sauvegarde écrite dans {report.path} : {report.tables} tables, {report.rows} lignes, "
            f"{report.files} fichiers ({filesizeformat(report.bytes)})."
        )
        if report.missing:
            raise CommandError(
                f"{len(report.missing)} fichier(s) désigné(s) par la base manquai(en)t au stockage (listés "
                "ci-dessus et dans manifest.json) : leur enregistrement a pu être supprimé pendant la "
                "sauvegarde."
            )
