from django.db import migrations

# The dimensions of the value created named by the issue (after ATEMIS: value is not only monetary); admins
# extend or retire them through the Django admin.
DIMENSIONS = [
    ("Économique et financière", "Recettes, économies, emplois, activité pour le territoire."),
    ("Environnementale", "Ressources, climat, biodiversité, pollutions évitées."),
    ("Sociale et santé", "Conditions de vie et de travail, santé, inclusion."),
    ("Confiance", "Entre les personnes, les organisations et les institutions."),
    ("Compétences et apprentissages", "Ce que chacun·e et les organisations ont appris."),
    ("Coopération", "Les manières de travailler ensemble, les liens créés."),
    ("Pertinence du projet pour le territoire", "La réponse apportée aux besoins du territoire."),
]


def seed(apps, schema_editor):
    ValueDimension = apps.get_model("methods", "ValueDimension")
    for position, (name, description) in enumerate(DIMENSIONS):
        ValueDimension.objects.get_or_create(name=name, defaults={"description": description, "position": position})


class Migration(migrations.Migration):
    dependencies = [("methods", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
