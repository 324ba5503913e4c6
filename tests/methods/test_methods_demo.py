"""The demo's method tools on the Tarn pilot's project: an actor map of the pilot's 4 Fantastiques with
influences and a chain of actions, an actantial schema, three récits and one deliberated evaluation; built
through the services; running it again changes nothing."""

import pytest
from django.apps import apps

from accounts.models import ActorFamily
from methods.demo import seed_methods
from methods.models import Actant, EvaluationStatus, JournalVisibility
from methods.services.actantial import main_schema
from projects.demo import seed_projects

from ..projects.test_project_demo import demo_users  # noqa: F401 - the pilot's team, as seed_demo makes it

pytestmark = pytest.mark.django_db


def _row_counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("methods").get_models()}


def test_the_pilot_project_gets_a_map_a_schema_three_recits_and_a_closed_evaluation(demo_users):  # noqa: F811
    seed_projects(users=demo_users)
    project = seed_methods(users=demo_users)

    actors = list(project.actors.all())
    assert len(actors) >= 10
    assert {ActorFamily.ELU, ActorFamily.AGENT, ActorFamily.ETAT, ActorFamily.SOCIO_ECO} <= {
        actor.family for actor in actors
    }
    assert {"CNFPT", "La Fabrique des Transitions"} <= {actor.name for actor in actors}
    assert project.influences.count() >= 10
    actions = list(project.actions.order_by("order"))
    assert [action.order for action in actions] == list(range(len(actions))) and len(actions) >= 5
    for action in actions:
        assert action.carriers.exists()
    for earlier, later in zip(actions, actions[1:], strict=False):
        assert later in earlier.leads_to.all()

    schema = main_schema(project)
    assert {entry.actant for entry in schema.entries.all()} == set(Actant.values)
    assert schema.entries.filter(actor__isnull=False).exists()

    entries = list(project.journal_entries.all())
    assert len(entries) == 3
    assert {entry.visibility for entry in entries} == set(JournalVisibility.values)

    session = project.evaluation_sessions.get()
    assert session.status == EvaluationStatus.CLOSED
    assert session.agreements.count() == session.dimensions.count() == 7
    assert session.agreements.exclude(disagreements="").exists()
    assert session.ratings.values("participant").distinct().count() >= 3


def test_running_the_method_demo_again_changes_nothing(demo_users):  # noqa: F811
    seed_projects(users=demo_users)
    first = seed_methods(users=demo_users)
    counts = _row_counts()
    assert seed_methods(users=demo_users) == first
    assert _row_counts() == counts


def test_the_demo_dossier_shows_the_map_the_schema_and_the_value_created(
    demo_users,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from documents import services as document_services

    from ..documents.test_rendering import _rendered, _text

    seed_projects(users=demo_users)
    project = seed_methods(users=demo_users)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.document_request_dossier(actor=demo_users["agent"], project=project)
    text = _text(_rendered(document))
    for heading in (
        "La carte des acteurs",
        "La chaîne des actions",
        "Le schéma actantiel",
        "La valeur créée",
    ):
        assert heading in text
    assert "CNFPT" in text
    session = project.evaluation_sessions.get()
    assert session.title in text
    for dimension in session.dimensions.all():
        assert dimension.name in text
