"""The search vectors now hold the English names of the resources' themes: every resource is indexed again
(one UPDATE). The current code writes the vector, as every service does: its expression reads the themes'
and territories' tables, which this migration does not change."""

from django.db import migrations


def reindex(apps, schema_editor):
    from library.models import Resource
    from library.services import resource_reindex

    resource_reindex(Resource.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0004_text_length_checks"),
        ("core", "0005_cache_table"),  # forget_searches writes to the cache, which may be this table
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
