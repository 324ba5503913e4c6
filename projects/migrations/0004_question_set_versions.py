"""Question sets become versions that are drafted then published. The existing sets were all in use: they
count as published when they were created. Their questions are keyed by number (q1, q2…), the key answers
follow from one version to the next. The submitted versions keep their set's purpose in their snapshot, so
their PDF never reads a later version's."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    QuestionSet = apps.get_model("projects", "QuestionSet")
    Question = apps.get_model("projects", "Question")
    DeliverableVersion = apps.get_model("projects", "DeliverableVersion")
    QuestionSet.objects.filter(published_at__isnull=True).update(published_at=models.F("created_at"))
    for question in Question.objects.filter(key="").only("pk", "number").iterator():
        Question.objects.filter(pk=question.pk).update(key=f"q{question.number}")
    versions = DeliverableVersion.objects.select_related("deliverable__question_set").iterator()
    for version in versions:
        content = version.content or {}
        if "purpose" in content:
            continue
        question_set = version.deliverable.question_set
        content["purpose"] = question_set.purpose
        content["question_set_version"] = question_set.version
        DeliverableVersion.objects.filter(pk=version.pk).update(content=content)


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_recommendations_follow_projects'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='questionset',
            options={'ordering': ['kind', '-version'], 'permissions': [('manage_question_sets', 'Rédiger et publier les versions des questions des livrables')], 'verbose_name': 'jeu de questions', 'verbose_name_plural': 'jeux de questions'},
        ),
        migrations.AddField(
            model_name='question',
            name='key',
            field=models.SlugField(blank=True, max_length=60, verbose_name='clé'),
        ),
        migrations.AddField(
            model_name='questionset',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='questionset',
            name='note',
            field=models.TextField(blank=True, help_text='Expliqué aux équipes qui passent leur brouillon à cette version.', verbose_name='ce qui change'),
        ),
        migrations.AddField(
            model_name='questionset',
            name='published_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='publiée le'),
        ),
        migrations.AddField(
            model_name='questionset',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.UniqueConstraint(fields=('question_set', 'key'), name='question_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='questionset',
            constraint=models.UniqueConstraint(condition=models.Q(('published_at__isnull', True)), fields=('kind',), name='one_draft_question_set_per_kind'),
        ),
        migrations.AddConstraint(
            model_name='questionset',
            constraint=models.CheckConstraint(condition=models.Q(('is_current', False), ('published_at__isnull', False), _connector='OR'), name='current_question_set_is_published'),
        ),
    ]
