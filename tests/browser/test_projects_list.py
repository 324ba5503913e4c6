"""The project pages in a real Chromium: an agent starts a project of the pilot from "Projets", finds it in
the lists and on the territory's dashboard, an admin assigns a second facilitator, the facilitator finds the
cadrage waiting in the review queue; the agent abandons the project and resumes it."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project, Stage

from ..factories import PASSWORD, UserFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Groupes de pairs inter-EPCI"


def test_an_agent_starts_a_project_that_the_facilitators_then_follow(new_context, steps, world):
    UserFactory(email="second.accompagnateur@exemple.fr", full_name="Sacha Second", role="facilitator")

    # The agent opens "Projets" and starts a project in the pilot territory.
    agent = new_context().new_page()
    log_in(agent, world.users["agent"].email, PASSWORD)
    agent.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Projets", exact=True
    ).click()
    expect(agent.locator("h1")).to_have_text("Mes projets")
    expect(agent.locator(".project-table")).to_contain_text("Management des organisations par la coopération")
    steps.shot(agent, "mes-projets")
    agent.get_by_role("link", name="Lancer un projet — Pôle Territorial du Tarn").click()
    expect(agent.locator("h1")).to_have_text("Lancer un projet à Pôle Territorial du Tarn")
    steps.shot(agent, "nouveau-projet")

    # A first try without a title keeps what was typed and says what is missing.
    agent.get_by_label("Résumé").fill("Réunir les chargé·es de communication des cinq EPCI entre pairs.")
    agent.get_by_label("Dominique DGS").check()
    agent.get_by_label("Coopération et management").check()
    agent.get_by_role("button", name="Créer le projet").click()
    expect(agent.locator(".errorlist")).to_contain_text("Donnez un titre au projet.")
    expect(agent.get_by_label("Résumé")).to_have_value(
        "Réunir les chargé·es de communication des cinq EPCI entre pairs."
    )
    expect(agent.get_by_label("Dominique DGS")).to_be_checked()
    steps.shot(agent, "titre-manquant")
    agent.get_by_label("Titre du projet").fill(TITLE)
    agent.get_by_label("R1 — Organiser des groupes de pairs.").check()
    agent.get_by_role("button", name="Créer le projet").click()

    # The project page: its stage, its note d'intention open, its team and its facilitator.
    project = Project.objects.get(title=TITLE)
    agent.wait_for_url(re.compile(rf"/projets/{project.pk}/$"))
    expect(agent.locator(".messages")).to_contain_text(f"Le projet « {TITLE} » est créé")
    expect(agent.locator("h1")).to_have_text(TITLE)
    expect(agent.locator("#livrable-intention")).to_contain_text("Brouillon")
    expect(agent.locator("#livrable-cadrage")).to_contain_text("Pas encore ouverte")
    expect(agent.locator(".project-team")).to_contain_text("Dominique DGS")
    expect(agent.locator("main")).to_contain_text("Fanny Accompagnatrice")
    expect(agent.locator(".project-history")).to_contain_text("Projet créé")
    steps.shot(agent, "page-du-projet")

    # The territory's dashboard counts it among the projects at the intention stage; its list filters.
    agent.goto(f"/territoires/{world.territory.pk}/tableau-de-bord/")
    expect(agent.locator("#projets")).to_contain_text("Intention")
    steps.shot(agent, "tableau-de-bord")
    agent.goto(f"/territoires/{world.territory.pk}/projets/")
    agent.get_by_label("Rechercher un titre").fill("pairs")
    agent.get_by_role("button", name="Filtrer").click()
    expect(agent.locator(".project-table tbody tr")).to_have_count(1)
    expect(agent.locator(".project-table")).to_contain_text(TITLE)
    steps.shot(agent, "projets-du-territoire-filtres")

    # The facilitator finds the pilot's note de cadrage waiting for her review.
    facilitator = new_context().new_page()
    log_in(facilitator, world.users["facilitator"].email, PASSWORD)
    facilitator.get_by_role("link", name="À relire", exact=True).click()
    expect(facilitator.locator("h1")).to_have_text("Livrables à relire")
    row = facilitator.locator(f"#livrable-{world.cadrage.pk}")
    expect(row).to_contain_text("Note de cadrage")
    expect(row).to_contain_text("Management des organisations par la coopération")
    steps.shot(facilitator, "a-relire")

    # She adds a second facilitator to the new project.
    facilitator.goto(f"/projets/{project.pk}/")
    facilitator.get_by_role("link", name="Choisir les accompagnateur·ices").click()
    facilitator.get_by_label("Sacha Second").check()
    steps.shot(facilitator, "accompagnement")
    facilitator.get_by_role("button", name="Enregistrer").click()
    expect(facilitator.locator(".messages")).to_contain_text("sont enregistré·es")
    expect(facilitator.locator("main")).to_contain_text("Sacha Second")
    steps.shot(facilitator, "projet-accompagne")

    # The agent abandons the project with a reason, then resumes it.
    agent.goto(f"/projets/{project.pk}/")
    agent.get_by_role("link", name="Abandonner le projet").click()
    agent.get_by_role("button", name="Abandonner le projet").click()
    expect(agent.locator(".errorlist")).to_contain_text("Dites pourquoi le projet est abandonné.")
    agent.get_by_label("Pourquoi le projet est-il abandonné ?").fill(
        "Les EPCI ont choisi un autre calendrier."
    )
    steps.shot(agent, "abandon")
    agent.get_by_role("button", name="Abandonner le projet").click()
    expect(agent.locator(".notice")).to_contain_text("Les EPCI ont choisi un autre calendrier.")
    expect(agent.locator(".project-stage").first).to_contain_text("Abandonné")
    steps.shot(agent, "projet-abandonne")
    agent.get_by_role("button", name="Reprendre le projet").click()
    expect(agent.locator(".messages")).to_contain_text("Le projet est repris, à l'étape « Intention »")
    steps.shot(agent, "projet-repris")
    project.refresh_from_db()
    assert project.stage == Stage.INTENTION
