from django.db import migrations

# The managed list; admins extend it through the Django admin.
THEMES = [
    ("energie", "Énergie"),
    ("alimentation", "Alimentation"),
    ("mobilite", "Mobilité"),
    ("habitat-renovation", "Habitat et rénovation"),
    ("biodiversite-eau", "Biodiversité et eau"),
    ("economie-circulaire", "Économie circulaire"),
    ("cooperation-management", "Coopération et management"),
    ("gouvernance", "Gouvernance"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("core", "Theme")
    for position, (slug, name) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_theme")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
