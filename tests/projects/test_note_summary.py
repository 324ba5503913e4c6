"""The top of a note says first what the team must know: the reviewer's decision when it is « À reprendre »,
the reason it was reopened, and its open threads; the project page shows the reason of a reopening too; the
territory dashboard offers « Lancer un projet » to those who may."""

import html

import pytest
from django.urls import reverse

from projects import services
from projects.models import DeliverableKind

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _note(client, project, kind) -> str:
    return _text(client.get(reverse("projects:deliverable", args=[project.pk, kind])))


def _top(page: str) -> str:
    """The part of the note before its first question."""
    return page[: page.index('id="question-1"')]


def test_the_reviewers_decision_and_message_come_before_the_questions(world, client_for):
    services.deliverable_request_changes(
        actor=world.users["facilitator"],
        deliverable=world.cadrage,
        message="Ajoutez les élus au comité.\nEt les DGS.",
    )
    top = _top(_note(client_for("agent"), world.project, DeliverableKind.CADRAGE))
    assert 'id="decision-relecture"' in top
    assert "À reprendre : le message de la relecture" in top
    assert "Fanny Accompagnatrice a demandé des modifications le" in top
    assert "(version 1)" in top
    assert "Ajoutez les élus au comité.<br>Et les DGS." in top


def test_a_reopened_note_shows_its_reason_on_the_note_and_on_the_project_page(world, client_for):
    services.deliverable_reopen(
        actor=world.users["facilitator"], deliverable=world.intention, reason="Le périmètre a changé."
    )
    world.intention.refresh_from_db()
    assert world.intention.reopen_reason == "Le périmètre a changé."
    assert world.intention.reopened_by == world.users["facilitator"]

    top = _top(_note(client_for("agent"), world.project, DeliverableKind.INTENTION))
    assert "Note rouverte : la raison" in top
    assert "Fanny Accompagnatrice a rouvert la note le" in top
    assert "révision 2" in top
    assert "Le périmètre a changé." in top

    project_page = _text(client_for("agent").get(reverse("projects:detail", args=[world.project.pk])))
    card = project_page[
        project_page.index('id="livrable-intention"') : project_page.index('id="livrable-cadrage"')
    ]
    assert "par Fanny Accompagnatrice :" in card
    assert "Le périmètre a changé." in card


def test_the_reason_goes_once_the_note_is_submitted_again(world, client_for):
    services.deliverable_reopen(
        actor=world.users["facilitator"], deliverable=world.intention, reason="Le périmètre a changé."
    )
    services.deliverable_submit(actor=world.users["agent"], deliverable=world.intention)
    top = _top(_note(client_for("agent"), world.project, DeliverableKind.INTENTION))
    assert "Le périmètre a changé." not in top


def test_the_open_threads_are_listed_at_the_top_each_linking_to_its_question(world, client_for):
    top = _top(_note(client_for("facilitator"), world.project, DeliverableKind.CADRAGE))
    assert "1 discussion ouverte" in top
    assert f'<a href="#commentaire-{world.comment.pk}">Question 1 : « Et les élus ? »</a>' in top
    # Its last message, with its age (the world is built once for the run: the age varies).
    assert "dernier message : Fanny Accompagnatrice, " in top
    # The facilitator asked: the thread waits for the team, not for them.
    assert "attend votre réponse" not in top
    team_top = _top(_note(client_for("agent"), world.project, DeliverableKind.CADRAGE))
    assert "1 attend votre réponse" in team_top


def test_a_note_without_decision_reopening_or_open_thread_has_no_summary(world, client_for):
    page = _note(client_for("agent"), world.project, DeliverableKind.INTENTION)
    assert 'id="decision-relecture"' not in page


def test_the_territory_dashboard_offers_to_start_a_project_to_its_team_and_admins(world, client_for):
    create = reverse("projects:create", args=[world.territory.pk])
    dashboard = reverse("territories:dashboard", args=[world.territory.pk])
    for role in ("agent", "elu", "dgs", "admin"):
        page = _text(client_for(role).get(dashboard))
        assert f'<a class="button" href="{create}">Lancer un projet</a>' in page, role
        # It comes before the rest of the dashboard.
        assert page.index(create) < page.index('id="summary-title"')
    page = _text(client_for("facilitator").get(dashboard))
    assert f'href="{create}"' not in page
