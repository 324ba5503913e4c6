"""The diagnostic's recommendations now follow the projects that answer them. A recommendation whose stored
status is the one its projects imply starts following them; any other status was chosen by someone and is
kept, marked as set by hand."""

from django.db import migrations


def _derived(links):
    progress = {}
    for recommendation_id, stage in links:
        if stage == "launched":
            progress[recommendation_id] = "done"
        else:
            progress.setdefault(recommendation_id, "in_progress")
    return progress


def mark_hand_set(apps, schema_editor):
    Recommendation = apps.get_model("territories", "Recommendation")
    Project = apps.get_model("projects", "Project")
    links = (
        Project.recommendations.through.objects.exclude(project__stage="abandoned")
        .values_list("recommendation_id", "project__stage")
        .iterator()
    )
    progress = _derived(links)
    hand_set = [
        pk
        for pk, status in Recommendation.objects.values_list("pk", "status").iterator()
        if status != progress.get(pk, "proposed")
    ]
    Recommendation.objects.filter(pk__in=hand_set).update(status_set_by_hand=True)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_question_sets"),
        ("territories", "0002_state_roles_recommendation_status"),
    ]

    operations = [migrations.RunPython(mark_hand_set, migrations.RunPython.noop)]
