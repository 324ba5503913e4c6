"""The database cache's table (fabrique.env.CACHE_TABLE), created whatever the configuration.

Production without Redis keeps its cache, and with it allauth's rate-limit counters, in PostgreSQL so that
every worker counts together (fabrique.env.caches_from_env). `migrate` creates the table: nobody has to
remember `createcachetable`, and a platform that loses its REDIS_URL later finds the table there.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from fabrique.env import CACHE_TABLE


def create_cache_table(apps, schema_editor):
    # Creates the table unless it exists (createcachetable's own rule), with its expiry index.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_english_names")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
