"""Restore a backup written by `manage.py backup` into an empty database and the file storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de `manage.py backup` dans une base vide et dans le stockage des fichiers, "
        "en vérifiant chaque somme de contrôle et le nombre de lignes de chaque table."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Dossier de la sauvegarde.")
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="Vérifier seulement la sauvegarde (sommes de contrôle), sans rien restaurer.",
        )

    def handle(self, *args, path, check_only, **options):
        try:
            if check_only:
                manifest = backup_verify(path=path)
                self.stdout.write(
                    f"Sauvegarde intacte : la base et {len(manifest['files'])} fichiers correspondent à "
                    "leurs sommes de contrôle."
                )
                return
            report = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Restauré : {report.tables} tables, {report.rows} lignes, {report.files} fichiers "
            f"({filesizeformat(report.bytes)}). Lancer `manage.py migrate` si le code est plus récent que la "
            "sauvegarde."
        )
