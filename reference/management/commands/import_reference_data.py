from django.core.management.base import BaseCommand, CommandError

from reference.importer import ReferenceDataError, import_reference_data


class Command(BaseCommand):
    help = (
        "Importe ou met à jour le découpage administratif officiel (régions, départements, EPCI, communes) "
        "depuis le paquet npm @etalab/decoupage-administratif, puis recalcule la population des territoires."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="Dossier des fichiers JSON (par défaut REFERENCE_DATA_DIR, rempli par make install).",
        )

    def handle(self, *args, source=None, **options):
        try:
            report = import_reference_data(source)
        except ReferenceDataError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Source : {report.source}")
        header = ("niveau", "en vigueur", "créés", "mis à jour", "dont réactivés", "inchangés", "désactivés")
        self.stdout.write(f"{header[0]:<13}" + "".join(f"{title:>16}" for title in header[1:]))
        for level in report.levels:
            counts = (
                level.active,
                level.created,
                level.updated,
                level.reactivated,
                level.unchanged,
                level.deactivated,
            )
            self.stdout.write(f"{level.label:<13}" + "".join(f"{count:>16}" for count in counts))
        for label, count in report.followers:
            self.stdout.write(f"{label} : {count}")
        self.stdout.write(self.style.SUCCESS(f"Référentiel importé en {report.seconds:.1f} s."))
