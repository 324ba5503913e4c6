"""The review of a deliverable in a real Chromium: the agent writes and submits the note d'intention, the
facilitator comments and asks for changes, the agent answers and resubmits, the facilitator compares the two
versions and validates, and the note de cadrage opens."""

import re

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import Comment, DeliverableKind, DeliverableStatus, PrivateNote

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWERS = [
    "Un protocole **entre pairs** pour les agents des 5 EPCI.",
    "Deux visions du Pôle s'opposent : une couche administrative de plus, ou une échelle cohérente.",
    "Oui : la recommandation n°1 du diagnostic, organiser des groupes de pairs.",
    "La coopération entre agents, DGS et élus est la condition d'une transition systémique.",
]


def write_answer(page, number, text):
    field = page.get_by_label(f"Réponse à la question {number}", exact=True)
    field.fill(text)
    field.blur()
    expect(page.locator(f"#answer-{number}-status")).to_contain_text("Enregistré", timeout=15_000)


def test_a_note_is_written_reviewed_sent_back_resubmitted_and_validated(new_context, steps, world):
    agent_user, facilitator_user = world.users["agent"], world.users["facilitator"]
    project = services.project_create(
        actor=agent_user,
        territory=world.territory,
        title="Groupes de pairs inter-EPCI",
        summary="Des réseaux de pairs entre les 5 communautés de communes.",
        members=[world.users["dgs"]],
    )
    note_url = f"/projets/{project.pk}/livrables/intention/"

    # The agent writes the four answers of the note d'intention; each one is saved while typing.
    agent = new_context().new_page()
    log_in(agent, agent_user.email, PASSWORD)
    agent.goto(note_url)
    expect(agent.locator("h1")).to_have_text("Note d'intention")
    for number, text in enumerate(ANSWERS, start=1):
        write_answer(agent, number, text)
    steps.shot(agent, "agent-redige")
    agent.get_by_role("button", name="Soumettre la note d'intention").click()
    expect(agent.locator(".deliverable-meta")).to_contain_text("Soumise")
    steps.shot(agent, "agent-a-soumis")

    # The facilitator opens the review page from the note.
    facilitator = new_context().new_page()
    log_in(facilitator, facilitator_user.email, PASSWORD)
    facilitator.goto(note_url)
    steps.shot(facilitator, "accompagnatrice-voit-la-note")
    facilitator.get_by_role("link", name="Relire la version soumise, question par question").click()
    expect(facilitator.locator("h1")).to_have_text("Relecture : Note d'intention")
    expect(facilitator.locator("main")).to_contain_text("Deux visions du Pôle s'opposent")
    steps.shot(facilitator, "page-de-relecture")

    # She comments on question 2, mentioning the agent: the thread updates without reloading the page.
    question_2 = project.deliverables.get(kind=DeliverableKind.INTENTION).question_set.questions.get(number=2)
    block = facilitator.locator(f"#discussion-q{question_2.pk}")
    block.get_by_label("Commenter la question 2").fill(
        "@Antoine Agent, pouvez-vous préciser ce qui se joue pour les élus ?"
    )
    block.get_by_role("button", name="Publier le commentaire sur la question 2", exact=True).click()
    block = facilitator.locator(f"#discussion-q{question_2.pk}")
    expect(block.locator(".review-announce")).to_have_text("Commentaire publié.")
    expect(block.locator(".comment")).to_contain_text("pouvez-vous préciser ce qui se joue pour les élus")
    expect(block.locator(".comment-mentions")).to_contain_text("Antoine Agent")
    assert facilitator.url.endswith(f"{note_url}relecture/")  # no page load: htmx swapped the thread in

    # A private note, which the team will never see. Sent while offline, it stays in the page, said so.
    notes = facilitator.locator("#notes-privees")
    notes.get_by_label("Nouvelle note privée").fill("Le DGS de la CC du Carmausin hésite encore.")
    facilitator.context.set_offline(True)
    notes.get_by_role("button", name="Enregistrer la note privée").click()
    expect(notes.locator(".form-status")).to_contain_text("Hors ligne : rien n’est envoyé")
    expect(notes.get_by_label("Nouvelle note privée")).to_have_value(
        "Le DGS de la CC du Carmausin hésite encore."
    )
    steps.shot(facilitator, "note-privee-hors-ligne")
    facilitator.context.set_offline(False)
    notes.get_by_role("button", name="Enregistrer la note privée").click()
    expect(facilitator.locator("#notes-privees .private-note")).to_contain_text("hésite encore")
    steps.shot(facilitator, "commentaire-et-note-privee")

    # A request for changes without a message is refused; with one, the note goes back to the team.
    facilitator.get_by_label("Demander des modifications (le livrable revient à l'équipe)").check()
    facilitator.get_by_role("button", name="Enregistrer la décision").click()
    expect(facilitator.locator("#decision .errorlist")).to_contain_text(
        "Expliquez à l'équipe ce qui est à reprendre."
    )
    steps.shot(facilitator, "decision-sans-message")
    facilitator.get_by_label("Demander des modifications (le livrable revient à l'équipe)").check()
    facilitator.get_by_label("Message à l'équipe").fill(
        "Merci ! Précisez les enjeux politiques (question 2)."
    )
    facilitator.get_by_role("button", name="Enregistrer la décision").click()
    facilitator.wait_for_url(re.compile(rf"{note_url}$"))
    expect(facilitator.locator(".messages")).to_contain_text("renvoyée à l'équipe avec votre message")
    steps.shot(facilitator, "modifications-demandees")

    # The agent sees the decision and the comment, answers in the thread, rewrites question 2, resubmits.
    agent.goto(note_url)
    expect(agent.locator(".deliverable-meta")).to_contain_text("À reprendre")
    expect(agent.locator("#relecture")).to_contain_text("Précisez les enjeux politiques")
    expect(agent.locator("main")).not_to_contain_text("hésite encore")
    assert "hésite encore" not in agent.content()
    thread = agent.locator(f"#discussion-q{question_2.pk} .review-thread")
    expect(thread).to_contain_text("pouvez-vous préciser")
    steps.shot(agent, "agent-voit-la-demande")
    # Each control of the thread names its discussion and question (RGAA 11.9).
    thread.get_by_text("Répondre à la discussion 1 sur la question 2", exact=True).click()
    thread.get_by_label("Votre réponse à la discussion 1 sur la question 2", exact=True).fill(
        "C'est fait : nous avons ajouté les enjeux pour le syndicat."
    )
    thread.get_by_role(
        "button", name="Publier la réponse à la discussion 1 sur la question 2", exact=True
    ).click()
    expect(agent.locator(f"#discussion-q{question_2.pk} .review-replies")).to_contain_text("C'est fait")
    write_answer(
        agent,
        2,
        ANSWERS[1] + "\n\nPour les 23 élus du syndicat, l'enjeu est de partager une vision commune du Pôle.",
    )
    steps.shot(agent, "agent-repond-et-corrige")
    agent.get_by_role("button", name="Soumettre la note d'intention").click()
    expect(agent.locator(".deliverable-meta")).to_contain_text("Soumise")

    # The facilitator compares the two versions, resolves the thread and validates.
    facilitator.goto(f"{note_url}relecture/")
    facilitator.get_by_role("link", name="Voir ce qui a changé depuis la version 1").click()
    expect(facilitator.locator("h1")).to_have_text("Comparer deux versions : Note d'intention")
    expect(facilitator.locator(".diff ins").first).to_contain_text("23 élus du syndicat")
    expect(facilitator.locator("main")).to_contain_text("1 question a changé")
    steps.shot(facilitator, "comparaison-des-versions")
    facilitator.goto(f"{note_url}relecture/")
    block = facilitator.locator(f"#discussion-q{question_2.pk}")
    block.get_by_role(
        "button", name="Marquer comme résolue — la discussion 1 sur la question 2", exact=True
    ).click()
    expect(facilitator.locator(f"#discussion-q{question_2.pk} .review-announce")).to_have_text(
        "Discussion résolue."
    )
    facilitator.get_by_label("Valider le livrable (il est figé et le suivant s'ouvre)").check()
    facilitator.get_by_label("Message à l'équipe").fill("Très bien, place au cadrage.")
    steps.shot(facilitator, "validation")
    facilitator.get_by_role("button", name="Enregistrer la décision").click()
    facilitator.wait_for_url(re.compile(rf"{note_url}$"))
    expect(facilitator.locator(".messages")).to_contain_text("La note de cadrage est ouverte à l'équipe.")
    steps.shot(facilitator, "note-validee")

    # The note de cadrage is open for the team.
    agent.goto(note_url)
    expect(agent.locator(".deliverable-meta")).to_contain_text("Validée")
    agent.get_by_role("link", name="2. Note de cadrage").click()
    expect(agent.locator("h1")).to_have_text("Note de cadrage")
    expect(agent.locator(".deliverable-meta")).to_contain_text("Brouillon")
    steps.shot(agent, "note-de-cadrage-ouverte")
    agent.goto(f"{note_url}versions/")
    expect(agent.locator("main table")).to_contain_text("Très bien, place au cadrage.")
    steps.shot(agent, "versions")
    agent.set_viewport_size({"width": 375, "height": 800})
    agent.goto(note_url)
    steps.shot(agent, "note-375px")
    assert agent.evaluate("document.documentElement.scrollWidth") <= 375

    intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
    assert intention.status == DeliverableStatus.VALIDATED
    assert intention.versions.count() == 2
    assert project.deliverables.get(kind=DeliverableKind.CADRAGE).status == DeliverableStatus.DRAFT
    root = Comment.objects.get(deliverable=intention, parent=None)
    assert root.resolved_at is not None and list(root.mentions.all()) == [agent_user]
    assert PrivateNote.objects.filter(project=project).count() == 1
