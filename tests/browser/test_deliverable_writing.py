"""Writing a note de cadrage in a real Chromium: answers autosaved (through a moment offline), a stakeholder
and an objective added in place, a refused submission listing what is missing, then the submission."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import Answer, DeliverableKind, DeliverableStatus, Means, Responsibility, Step
from tests.worlds.projects import answer_all

from ..factories import PASSWORD
from .helpers import log_in

# Serialized rollback: the question sets written by a data migration are there whatever test ran before.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SAVED = re.compile(r"Enregistré à \d\d:\d\d")


def open_cadrage(world):
    agent = world.users["agent"]
    project = services.project_create(
        actor=agent,
        territory=world.territory,
        title="Groupes de pairs inter-EPCI",
        members=[world.users["dgs"]],
    )
    intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
    answer_all(agent, intention)
    services.deliverable_submit(actor=agent, deliverable=intention)
    services.deliverable_validate(actor=world.users["facilitator"], deliverable=intention)
    return project.deliverables.get(kind=DeliverableKind.CADRAGE)


def answer_text(cadrage, number):
    answer = Answer.objects.filter(deliverable=cadrage, question__number=number).first()
    return answer.text if answer else None


def type_answer(page, number, text):
    field = page.locator(f"#answer-{number}-text")
    field.click()
    field.press_sequentially(text, delay=5)


def test_an_agent_writes_the_note_de_cadrage_offline_for_a_moment_and_submits_it(new_context, steps, world):
    cadrage = open_cadrage(world)
    url = f"/projets/{cadrage.project_id}/livrables/cadrage/"
    context = new_context()
    page = context.new_page()
    log_in(page, world.users["agent"].email, PASSWORD)
    page.goto(url)
    expect(page.locator("h1")).to_have_text("Note de cadrage")
    expect(page.locator("#question-1 h2")).to_contain_text(
        "Quelles sont les parties prenantes directes et indirectes ?"
    )
    steps.shot(page, "note-de-cadrage-vierge")

    # The first answer is saved a moment after typing stops, with its time.
    type_answer(page, 1, "Les agents, les DGS et les élus des 5 EPCI ; la Région en soutien.")
    expect(page.locator("#answer-1-status")).to_have_text(SAVED, timeout=8000)
    assert answer_text(cadrage, 1) == "Les agents, les DGS et les élus des 5 EPCI ; la Région en soutien."
    steps.shot(page, "reponse-enregistree")

    # A stakeholder, added in place.
    part = page.locator("#partie-parties-prenantes")
    part.get_by_text("Ajouter une partie prenante").first.click()
    part.get_by_label("Nom").fill("Groupe des agents")
    part.get_by_label("Organisation").fill("Pôle Territorial")
    part.get_by_label("Directe", exact=True).check()
    part.get_by_label("Famille (les 4 Fantastiques)").select_option("agent")
    part.get_by_role("button", name="Ajouter une partie prenante").click()
    expect(page.locator("#partie-parties-prenantes table")).to_contain_text("Groupe des agents")
    expect(page.locator("#partie-parties-prenantes .part-status")).to_contain_text("est ajouté")
    steps.shot(page, "partie-prenante-ajoutee")

    # A quantitative objective without its measure is refused with French messages, then completed.
    part = page.locator("#partie-objectifs")
    part.get_by_text("Ajouter un objectif").first.click()
    part.get_by_label("Quantitatif").check()
    part.get_by_label(re.compile(r"^Objectif")).fill("Former les managers des 5 EPCI")
    part.get_by_role("button", name="Ajouter un objectif").click()
    part = page.locator("#partie-objectifs")
    expect(part).to_contain_text("Un objectif quantitatif a un indicateur.")
    steps.shot(page, "objectif-incomplet")
    part.get_by_label("Indicateur").fill("Managers formés")
    part.get_by_label("Valeur de départ").fill("0")
    part.get_by_label("Cible").fill("40")
    part.get_by_label("Unité").fill("managers")
    part.get_by_label("Échéance").fill("2027-06-30")
    part.get_by_role("button", name="Ajouter un objectif").click()
    expect(page.locator("#partie-objectifs table")).to_contain_text("Former les managers des 5 EPCI")
    expect(page.locator("#partie-objectifs table")).to_contain_text("0 → 40 managers")
    steps.shot(page, "objectif-ajoute")

    # Offline: the text stays in the page, the page says it is not saved; back online, it is saved.
    context.set_offline(True)
    type_answer(page, 3, "Un portage politique clair par le président du Pôle.")
    status = page.locator("#answer-3-status")
    expect(status).to_contain_text("Hors ligne", timeout=8000)
    expect(page.locator("#answer-3-text")).to_have_value(
        "Un portage politique clair par le président du Pôle."
    )
    assert answer_text(cadrage, 3) is None
    steps.shot(page, "hors-ligne", check_a11y=False)
    page.locator("#answer-3-editor").screenshot(path=steps.folder / "06b-hors-ligne-question-3.png")
    context.set_offline(False)
    expect(status).to_have_text(SAVED, timeout=8000)
    assert answer_text(cadrage, 3) == "Un portage politique clair par le président du Pôle."
    steps.shot(page, "de-retour-en-ligne")
    page.locator("#answer-3-editor").screenshot(path=steps.folder / "07b-de-retour-question-3.png")

    # Submitting too early lists the questions still without an answer.
    page.get_by_role("button", name="Soumettre la note de cadrage").click()
    missing = page.locator("#reponses-manquantes")
    expect(missing).to_contain_text("Question 4")
    expect(missing).to_contain_text("Question 5")
    expect(missing).not_to_contain_text("Question 1 ")
    expect(missing).not_to_contain_text("Question 2 ")
    steps.shot(page, "questions-manquantes")

    # The last answers, then the submission (it first saves what is still being typed).
    type_answer(page, 4, "Le nombre de managers formés ; la tenue des groupes de pairs.")
    expect(page.locator("#answer-4-status")).to_have_text(SAVED, timeout=8000)
    type_answer(page, 5, "Atout : l'envie des agents. Frein : la méfiance envers le Pôle.")
    page.get_by_role("button", name="Soumettre la note de cadrage").click()
    page.wait_for_url(re.compile(rf"{url}$"))
    expect(page.locator(".messages")).to_contain_text("La note de cadrage est soumise")
    expect(page.locator(".deliverable-meta .badge")).to_have_text("Soumise")
    expect(page.locator("#answer-1-text")).to_have_count(0)
    steps.shot(page, "note-soumise")
    cadrage.refresh_from_db()
    assert cadrage.status == DeliverableStatus.SUBMITTED
    assert answer_text(cadrage, 5) == "Atout : l'envie des agents. Frein : la méfiance envers le Pôle."
    version = cadrage.versions.get()
    assert [s["name"] for s in version.content["parts"]["stakeholders"]] == ["Groupe des agents"]

    page.set_viewport_size({"width": 375, "height": 800})
    steps.shot(page, "note-soumise-375px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_two_people_write_the_same_answer_and_the_second_chooses_which_text_to_keep(
    new_context, steps, world
):
    cadrage = open_cadrage(world)
    url = f"/projets/{cadrage.project_id}/livrables/cadrage/"
    pages = {}
    for role in ("agent", "dgs"):
        pages[role] = new_context().new_page()
        log_in(pages[role], world.users[role].email, PASSWORD)
        pages[role].goto(url)

    # Both opened the page before either wrote; Dominique saves first.
    type_answer(pages["dgs"], 5, "Atout : les agents. Frein : le calendrier électoral.")
    expect(pages["dgs"].locator("#answer-5-status")).to_have_text(SAVED, timeout=8000)
    page = pages["agent"]
    type_answer(page, 5, "Atout : l'appui du CNFPT.")
    conflict = page.locator("#answer-5-conflict")
    expect(conflict).to_contain_text("Votre texte", timeout=8000)
    expect(conflict).to_contain_text("Atout : l'appui du CNFPT.")
    expect(conflict).to_contain_text("Le texte enregistré par Dominique DGS")
    expect(conflict).to_contain_text("Atout : les agents. Frein : le calendrier électoral.")
    expect(page.locator("#answer-5-text")).to_have_attribute("readonly", "")
    steps.shot(page, "conflit")
    page.locator("#answer-5-editor").screenshot(path=steps.folder / "01b-conflit-question-5.png")

    page.get_by_role("button", name="Garder mon texte").click()
    expect(page.locator("#answer-5-text")).to_have_value("Atout : l'appui du CNFPT.")
    expect(page.locator("#answer-5-status")).to_have_text(SAVED)
    expect(page.locator("#answer-5-conflict")).to_be_empty()
    steps.shot(page, "texte-garde")
    answer = Answer.objects.get(deliverable=cadrage, question__number=5)
    assert answer.text == "Atout : l'appui du CNFPT."
    texts = set(answer.revisions.values_list("text", flat=True))
    assert "Atout : les agents. Frein : le calendrier électoral." in texts

    # The history shows both, the losing one marked; the agent's next keystrokes save normally again.
    type_answer(page, 5, " Et la Région.")
    expect(page.locator("#answer-5-status")).to_have_text(SAVED, timeout=8000)
    page.goto(f"{url}questions/5/historique/")
    expect(page.locator("h1")).to_have_text("Historique de la réponse 5")
    expect(page.locator("main")).to_contain_text("Texte en conflit, non appliqué")
    expect(page.locator("main")).to_contain_text("Atout : les agents. Frein : le calendrier électoral.")
    steps.shot(page, "historique")
    assert Answer.objects.get(pk=answer.pk).text == "Atout : l'appui du CNFPT. Et la Région."


def test_the_team_plans_the_note_de_faisabilite_steps_means_and_roles(new_context, steps, world):
    draft = world.draft
    start = datetime.date(2026, 1, 12)
    for index, (title, days) in enumerate(
        [
            ("Cycle de formation des managers", 120),
            ("Groupes de pairs inter-EPCI", 200),
            ("Bilan partagé", 20),
        ]
    ):
        first = start + datetime.timedelta(days=60 * index)
        Step.objects.create(
            deliverable=draft, title=title, start=first, end=first + datetime.timedelta(days=days)
        )
    Means.objects.create(
        deliverable=draft,
        origin="external",
        kind="financial",
        description="Formation",
        amount=12000,
        funder="CNFPT",
    )
    page = new_context().new_page()
    log_in(page, world.users["dgs"].email, PASSWORD)
    page.goto(f"/projets/{draft.project_id}/livrables/faisabilite/")
    expect(page.locator("h1")).to_have_text("Note de faisabilité")
    expect(page.locator("#partie-etapes svg title").first).to_contain_text("Calendrier des étapes")
    expect(page.locator("#partie-moyens-externes tfoot")).to_contain_text("12")

    roles = page.locator("#partie-roles")
    roles.get_by_label(
        "Chargés de communication pour l'étape « Cycle de formation des managers »"
    ).select_option("R")
    roles.get_by_label("Chargés de communication pour l'étape « Bilan partagé »").select_option("I")
    roles.get_by_role("button", name="Enregistrer les rôles").click()
    expect(page.locator("#partie-roles .part-status")).to_have_text(
        "Les rôles et responsabilités sont enregistrés."
    )
    steps.shot(page, "note-de-faisabilite")
    page.locator("#question-3").screenshot(path=steps.folder / "01b-etapes.png")
    page.locator("#question-4").screenshot(path=steps.folder / "01c-roles.png")
    assert sorted(Responsibility.objects.filter(step__deliverable=draft).values_list("level", flat=True)) == [
        "I",
        "R",
    ]
