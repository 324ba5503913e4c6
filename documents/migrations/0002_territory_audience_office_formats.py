"""Documents of a territory (its synthesis) beside those of a project, and the office formats.

Every document now names its territory (filled from its project for the existing ones); a project's notes and
dossier keep their project; the audience says what a reader of a territory's document must be allowed to see.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_territory(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Project = apps.get_model("projects", "Project")
    for project_id, territory_id in Project.objects.filter(
        pk__in=Document.objects.values("project_id")
    ).values_list("pk", "territory_id"):
        Document.objects.filter(project_id=project_id).update(territory_id=territory_id)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("territories", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="document",
            options={
                "ordering": ["-requested_at", "-id"],
                "verbose_name": "document",
                "verbose_name_plural": "documents",
            },
        ),
        migrations.RemoveConstraint(model_name="document", name="note_document_has_deliverable"),
        migrations.AddField(
            model_name="document",
            name="territory",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="territories.territory",
            ),
        ),
        migrations.RunPython(fill_territory, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="territory",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="territories.territory",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="projects.project",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="audience",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("version", "Version soumise d'un livrable"),
                    ("draft", "Brouillon d'un livrable"),
                    ("dossier", "Dossier du projet"),
                    ("synthesis", "Bilan du territoire"),
                ],
                max_length=10,
                verbose_name="document",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="variant",
            field=models.CharField(
                choices=[
                    ("pdf/ua-1", "PDF accessible (PDF/UA)"),
                    ("pdf/a-3a", "PDF d'archivage (PDF/A)"),
                    ("odt", "OpenDocument (ODT)"),
                    ("docx", "Word (DOCX)"),
                ],
                default="pdf/ua-1",
                max_length=10,
                verbose_name="format",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["dossier", "synthesis"]), ("deliverable__isnull", False), _connector="OR"),
                name="note_document_has_deliverable",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "synthesis"), ("project__isnull", False), _connector="OR"),
                name="project_document_has_project",
            ),
        ),
    ]
