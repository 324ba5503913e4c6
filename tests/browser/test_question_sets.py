"""Versions of the questions in a real Chromium: the admin drafts a new version of the note d'intention,
rewords and removes questions, previews and publishes it; the project team reviews what moves and moves its
draft note to the new version, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import DeliverableKind, QuestionSet

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_admin_publishes_a_version_and_the_team_moves_its_draft_to_it(new_context, steps, world, width):
    viewport = {"width": width, "height": 900}
    agent, admin = world.users["agent"], world.users["admin"]
    project = services.project_create(actor=agent, territory=world.territory, title="Un tiers-lieu")
    draft_note = project.deliverables.get(kind=DeliverableKind.INTENTION)
    for question in draft_note.question_set.questions.all():
        services.answer_save(
            actor=agent,
            deliverable=draft_note,
            question=question,
            text=f"Notre réponse {question.number}.",
            base_version=0,
        )

    # The admin opens the draft of the next version (the test world opened it), rewords a question, removes
    # the third one, previews and publishes.
    page = new_context(viewport=viewport).new_page()
    log_in(page, admin.email, PASSWORD, totp_user=admin)
    page.goto("/questions/")
    expect(page.locator("h1")).to_have_text("Les questions des livrables")
    steps.shot(page, f"{width}-versions")
    page.get_by_role("link", name="Reprendre le brouillon").first.click()
    expect(page.locator("h1")).to_contain_text("brouillon de la version 2")
    page.locator("#id_questions-1-text").fill("Quels enjeux, pour qui, sur le territoire ?")
    page.locator("#id_questions-2-remove").check()
    steps.shot(page, f"{width}-brouillon")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    page.wait_for_url(re.compile(r"/questions/versions/\d+/$"))
    expect(page.locator("main")).to_contain_text("Aperçu")
    expect(page.locator(".question-preview")).to_contain_text("Quels enjeux, pour qui, sur le territoire ?")
    steps.shot(page, f"{width}-apercu")
    page.get_by_role("button", name="Publier cette version").click()
    expect(page.locator(".messages")).to_contain_text("La version 2 est publiée")
    steps.shot(page, f"{width}-publiee")
    assert QuestionSet.objects.get(kind="intention", is_current=True).version == 2

    # The team sees the new version on its draft note, reviews what moves, and moves.
    team = new_context(viewport=viewport).new_page()
    log_in(team, agent.email, PASSWORD)
    team.goto(draft_note.get_absolute_url())
    expect(team.locator("main")).to_contain_text(
        "Une nouvelle version des questions (version 2) est en vigueur."
    )
    steps.shot(team, f"{width}-note-ancienne-version")
    team.get_by_role("link", name="Voir ce qui change et passer à la nouvelle version").click()
    expect(team.locator("h1")).to_have_text("Passer à la version 2 des questions")
    expect(team.locator("#moves-title")).to_have_text("3 réponses suivent leur question")
    expect(team.locator("#left-title")).to_have_text("1 réponse laissée de côté")
    expect(team.locator(".migration-left")).to_contain_text("Notre réponse 3.")
    steps.shot(team, f"{width}-revue")
    team.get_by_role("button", name="Passer la note à la version 2").click()
    team.wait_for_url(re.compile(r"/livrables/intention/$"))
    expect(team.locator(".messages")).to_contain_text("La note suit désormais la version 2 des questions.")
    expect(team.locator("#reponses-laissees")).to_contain_text("Notre réponse 3.")
    expect(team.locator("main")).to_contain_text("Quels enjeux, pour qui, sur le territoire ?")
    steps.shot(team, f"{width}-note-nouvelle-version")
    draft_note.refresh_from_db()
    assert draft_note.question_set.version == 2
