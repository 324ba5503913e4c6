"""The journals name an entry's object in the reader's language: the entries store the parameters of the
name (core.audit.register_target_name). The rows written before are given theirs when their stored name
reads as one of a registered name (in French or English, the language of whoever acted then); any other
row keeps showing its stored name."""

from django.db import migrations, models


def from_stored_names(apps, schema_editor):
    # The registry is filled by the apps' ready(), as for the notifications' sentences.
    from core.audit import TARGET_NAMES

    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for label, namer in TARGET_NAMES.items():
        app_label, model = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        rows = AuditEntry.objects.filter(target_type=content_type, target_params__isnull=True)
        for row in rows.only("pk", "target_repr").iterator():
            params = namer.parse(row.target_repr)
            if params is not None:
                AuditEntry.objects.filter(pk=row.pk).update(target_params=params)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0005_cache_table'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='target_params',
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(from_stored_names, migrations.RunPython.noop),
    ]
