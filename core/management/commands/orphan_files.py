"""List, and with --delete remove, the stored files that no record points at (see core/files.py)."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from core.dates import filesize
from core.files import orphans


class Command(BaseCommand):
    help = "Liste (et, avec --delete, supprime) les fichiers stockés qu'aucun enregistrement ne désigne."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Supprimer les fichiers orphelins listés.")
        parser.add_argument(
            "--older-than",
            type=float,
            default=24,
            metavar="HEURES",
            help="Ne considérer que les fichiers écrits il y a plus de HEURES heures (24 par défaut) : un "
            "fichier plus récent peut appartenir à une transaction en cours.",
        )

    def handle(self, *args, delete, older_than, **options):
        found = total = 0
        for name, modified, size in orphans(default_storage, older_than=timedelta(hours=older_than)):
            found += 1
            total += size
            if delete:
                default_storage.delete(name)
            state = "supprimé" if delete else "orphelin"
            self.stdout.write(f"{state}\t{modified:%Y-%m-%d %H:%M}\t{size}\t{name}")
        verb = "supprimés" if delete else "trouvés"
        self.stderr.write(f"{found} fichier(s) orphelin(s) {verb}, {filesize(total)}.")
