"""Évaluer et délibérer sur la valeur créée in a real Chromium: the facilitator opens a session on a project
from its page; the agent and the DGS each fill their own grid (a line with a comment but no value is refused
first, nothing typed is lost); the facilitator opens the deliberation, sees the spread of the ratings, records
for each dimension the group's rating, its synthesis and what remains disputed, and closes the session; its
radar shows, and the project's sessions are compared over time with an earlier one."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from methods.access import get_scope_for_user
from methods.models import Agreement, EvaluationSession, EvaluationStatus, Rating, ValueDimension
from methods.services import evaluation as evaluation_services
from projects import services as project_services

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCORE_LABELS = {
    -2: "−2 très négative",
    -1: "−1 négative",
    0: "0 nulle",
    1: "+1 positive",
    2: "+2 très positive",
}
# The grids of the agent and of the DGS, one value per dimension in the grid's order, and what the group
# retains: the DGS sees less value than the agent on most dimensions.
AGENT_SCORES = [1, 0, 1, 2, 2, 2, 1]
DGS_SCORES = [-1, 0, 1, 1, 2, 1, 2]
AGREED_SCORES = [0, 0, 1, 1, 2, 2, 1]
EARLIER_SCORES = [-1, 0, 0, 0, 1, 1, 1]


def field(scope, label):
    """A form field by its label, which Django ends with " :" unless it ends with a question mark, and a
    required field's label with « (obligatoire) »."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}\s*:?(\s*\(obligatoire\))?$"))


def earlier_closed_session(project, users, dimensions):
    """A first session, a year before, already deliberated and closed: the comparison's first point."""
    facilitator = users["facilitator"]
    session = evaluation_services.session_open(
        actor=facilitator,
        scope=get_scope_for_user(facilitator, project_pk=project.pk),
        title="Point de départ",
        held_on=datetime.date(2024, 6, 20),
        participants=[users["agent"], users["dgs"], facilitator],
    )
    evaluation_services.ratings_save(
        actor=users["agent"],
        session=session,
        rows=[{"dimension": d, "score": s} for d, s in zip(dimensions, EARLIER_SCORES, strict=True)],
    )
    evaluation_services.session_start_deliberation(actor=facilitator, session=session)
    for dimension, score in zip(dimensions, EARLIER_SCORES, strict=True):
        evaluation_services.agreement_save(
            actor=facilitator, session=session, dimension=dimension, score=score, synthesis="Au départ."
        )
    evaluation_services.session_close(actor=facilitator, session=session)
    return session


def rate(page, dimensions, scores, *, person):
    for dimension, score in zip(dimensions, scores, strict=True):
        row = page.locator(f"#dimension-{dimension.pk}")
        row.get_by_label(SCORE_LABELS[score], exact=True).check()
        field(row, "Commentaire").fill(f"{person} : {dimension.name.lower()}, {SCORE_LABELS[score]}.")
    page.get_by_role("button", name="Enregistrer mon évaluation").click()
    expect(page.locator(".messages")).to_contain_text("Votre évaluation est enregistrée.")


def open_session_page(page, project, title):
    page.goto(project.get_absolute_url())
    page.locator(".tool-card").get_by_role("link", name="La valeur créée").click()
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)


def test_a_session_is_opened_rated_deliberated_closed_and_compared(new_context, steps, world):
    users = world.users
    project = project_services.project_create(
        actor=users["agent"],
        territory=world.territory,
        title="Groupes de pairs inter-EPCI",
        summary="Des réseaux de pairs entre les agents des cinq communautés de communes.",
        members=[users["dgs"]],
    )
    dimensions = list(ValueDimension.objects.filter(is_active=True))
    assert len(dimensions) == len(AGENT_SCORES)
    earlier = earlier_closed_session(project, users, dimensions)
    title = "Bilan de la première année"

    # The facilitator opens a session from the project's page, with the agent and the DGS.
    facilitator = new_context().new_page()
    log_in(facilitator, users["facilitator"].email, PASSWORD)
    facilitator.goto(project.get_absolute_url())
    steps.shot(facilitator, "page-du-projet")
    facilitator.locator(".tool-card").get_by_role("link", name="La valeur créée").click()
    expect(facilitator.locator("h1")).to_have_text("Évaluer et délibérer sur la valeur créée")
    steps.shot(facilitator, "seances-du-projet")
    facilitator.get_by_role("link", name="Ouvrir une séance d'évaluation").click()
    field(facilitator, "Titre de la séance").fill(title)
    expect(facilitator.get_by_label("Fanny Accompagnatrice", exact=True)).to_be_checked()
    facilitator.get_by_label("Antoine Agent", exact=True).check()
    facilitator.get_by_label("Dominique DGS", exact=True).check()
    steps.shot(facilitator, "ouvrir-une-seance")
    facilitator.get_by_role("button", name="Ouvrir la séance").click()
    expect(facilitator.locator("h1")).to_have_text(title)
    expect(facilitator.locator(".messages")).to_contain_text(f"La séance « {title} » est ouverte")
    expect(facilitator.locator(".evaluation-participants")).to_contain_text("Antoine Agent")
    steps.shot(facilitator, "seance-ouverte")
    session = EvaluationSession.objects.get(project=project, title=title)

    # The agent fills the grid; a line with a comment and no value is refused first, nothing is lost.
    agent = new_context().new_page()
    log_in(agent, users["agent"].email, PASSWORD)
    open_session_page(agent, project, title)
    agent.get_by_role("link", name="Donner mon évaluation").click()
    expect(agent.locator("h1")).to_have_text(f"Mon évaluation — {title}")
    first = agent.locator(f"#dimension-{dimensions[0].pk}")
    field(first, "Commentaire").fill("Des économies de déplacements entre les EPCI.")
    field(first, "Pour qui ?").fill("Les agents des cinq EPCI")
    agent.get_by_role("button", name="Enregistrer mon évaluation").click()
    expect(agent.locator(".form-errors")).to_contain_text("Certaines lignes de votre grille sont à corriger")
    first = agent.locator(f"#dimension-{dimensions[0].pk}")
    expect(first.locator(".errorlist")).to_contain_text(
        "Choisissez une valeur de −2 à +2 pour enregistrer cette ligne."
    )
    expect(field(first, "Commentaire")).to_have_value("Des économies de déplacements entre les EPCI.")
    expect(field(first, "Pour qui ?")).to_have_value("Les agents des cinq EPCI")
    steps.shot(agent, "ligne-sans-valeur")
    assert not Rating.objects.filter(session=session).exists()
    rate(agent, dimensions, AGENT_SCORES, person="Antoine")
    expect(agent.locator(".evaluation-participants")).to_contain_text("Antoine Agent — évaluation donnée")
    expect(agent.get_by_role("link", name="Modifier mon évaluation")).to_be_visible()
    steps.shot(agent, "l-agent-a-evalue")

    # The DGS fills theirs, without seeing the agent's.
    dgs = new_context().new_page()
    log_in(dgs, users["dgs"].email, PASSWORD)
    open_session_page(dgs, project, title)
    expect(dgs.locator("main")).not_to_contain_text("Antoine :")
    dgs.get_by_role("link", name="Donner mon évaluation").click()
    expect(dgs.locator("main")).not_to_contain_text("Antoine :")
    rate(dgs, dimensions, DGS_SCORES, person="Dominique")
    steps.shot(dgs, "le-dgs-a-evalue")

    # The facilitator opens the deliberation and sees each dimension's spread.
    facilitator.reload()
    expect(facilitator.locator(".evaluation-participants")).to_contain_text(
        "Dominique DGS — évaluation donnée"
    )
    facilitator.get_by_role("button", name="Ouvrir la délibération").click()
    expect(facilitator.locator("h1")).to_have_text(f"Délibération — {title}")
    expect(facilitator.locator(".messages")).to_contain_text("La délibération est ouverte")
    economy = facilitator.locator(f"#dimension-{dimensions[0].pk}")
    expect(economy.locator(".evaluation-ratings tbody tr")).to_have_count(2)
    expect(economy.locator(".distribution li").filter(has_text="+1 positive")).to_contain_text("1 personne")
    expect(economy.locator(".distribution li").filter(has_text="−1 négative")).to_contain_text("1 personne")
    steps.shot(facilitator, "deliberation-ecarts")

    # For each dimension, the group's rating, its synthesis and the disagreement that remains (htmx).
    for dimension, score in zip(dimensions, AGREED_SCORES, strict=True):
        block = facilitator.locator(f"#dimension-{dimension.pk}")
        block.get_by_label(SCORE_LABELS[score], exact=True).check()
        field(block, "Synthèse").fill(
            f"Le groupe retient {SCORE_LABELS[score]} pour {dimension.name.lower()}."
        )
        field(block, "Désaccords").fill(f"Le DGS et l'agent restent partagés sur {dimension.name.lower()}.")
        block.get_by_role("button", name="Enregistrer").click()
        expect(facilitator.locator(f"#dimension-{dimension.pk} .part-status")).to_have_text(
            f"La valeur retenue pour « {dimension.name} » est enregistrée."
        )
        if dimension == dimensions[0]:
            steps.shot(facilitator, "premiere-valeur-retenue")
    assert facilitator.url.endswith(f"/valeur-creee/{session.pk}/deliberation/")
    expect(facilitator.locator("#cloture")).to_contain_text(
        "Chaque dimension a sa valeur retenue : la séance peut être clôturée."
    )
    steps.shot(facilitator, "toutes-les-valeurs-retenues")
    facilitator.locator(".evaluation-close").get_by_role("button", name="Clôturer la séance").click()

    # The closed session shows its radar, and the agreed values with their disagreements.
    expect(facilitator.locator(".messages")).to_contain_text("La séance est clôturée.")
    expect(facilitator.locator(".evaluation-status")).to_have_text("Clôturée")
    radar = facilitator.locator(".evaluation-figure svg[role=img]")
    expect(radar).to_be_visible()
    expect(facilitator.locator(".evaluation-results tbody tr")).to_have_count(len(dimensions))
    expect(facilitator.locator(".evaluation-results")).to_contain_text("restent partagés sur")
    expect(facilitator.locator(".evaluation-participants")).to_contain_text(
        "Fanny Accompagnatrice — pas d'évaluation"
    )
    steps.shot(facilitator, "seance-cloturee-radar")

    # The list compares the two closed sessions, in the order they were held.
    facilitator.locator(".evaluation-crumbs").get_by_role("link", name="Valeur créée").click()
    expect(facilitator.locator(".evaluation-sessions tbody tr")).to_have_count(2)
    comparison = facilitator.locator(".evaluation-comparison")
    expect(comparison.locator("thead th")).to_have_count(3)
    expect(comparison.locator("thead th").nth(1)).to_contain_text("1. Point de départ")
    expect(comparison.locator("thead th").nth(2)).to_contain_text(f"2. {title}")
    expect(comparison.locator("tbody tr").first).to_contain_text("−1")
    expect(facilitator.locator("#comparison-title + figure svg[role=img]")).to_be_visible()
    steps.shot(facilitator, "comparaison-des-seances")

    # On a phone, the session's page and the comparison stay within the screen (tables and charts scroll).
    facilitator.set_viewport_size({"width": 375, "height": 800})
    steps.shot(facilitator, "comparaison-375px")
    assert facilitator.evaluate("document.documentElement.scrollWidth") <= 375
    facilitator.get_by_role("link", name=title).first.click()
    expect(facilitator.locator("h1")).to_have_text(title)
    steps.shot(facilitator, "seance-375px")
    assert facilitator.evaluate("document.documentElement.scrollWidth") <= 375

    session.refresh_from_db()
    assert session.status == EvaluationStatus.CLOSED
    assert Rating.objects.filter(session=session).count() == 2 * len(dimensions)
    agreed = {a.dimension_id: a for a in Agreement.objects.filter(session=session)}
    assert [agreed[d.pk].score for d in dimensions] == AGREED_SCORES
    assert all(agreed[d.pk].disagreements for d in dimensions)
    assert Rating.objects.get(session=session, participant=users["agent"], dimension=dimensions[0]).comment
    earlier.refresh_from_db()
    assert earlier.status == EvaluationStatus.CLOSED
