from django.db import migrations

# The kinds named by the pilot (DOMAIN.md §3); admins extend the list through the Django admin.
KINDS = [
    ("Espace des agents & chargés de mission", "hierarchical"),
    ("Espace des DGS", "hierarchical"),
    ("Espace des élu·es", "hierarchical"),
    ("Chargé·es de communication", "functional"),
    ("Petites Villes de Demain", "functional"),
    ("Climat-PCAET", "functional"),
    ("Agents techniques", "functional"),
    ("Offices de tourisme", "functional"),
]


def seed(apps, schema_editor):
    GroupKind = apps.get_model("cooperation", "GroupKind")
    for position, (name, family) in enumerate(KINDS):
        GroupKind.objects.get_or_create(name=name, defaults={"family": family, "position": position})


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
