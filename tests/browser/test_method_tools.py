"""The actor map and the actantial schema in a real Chromium: the agent opens the tools from the project page,
takes the note de cadrage's stakeholders onto the map, adds an actor, an influence and a chain of actions (a
loop is refused with its message), all without reloading the page; then fills the project's actantial schema
with an actor of the map and a free label. The élu of the territory reads both, without the forms."""

import re

import pytest
from playwright.sync_api import expect

from methods.models import ActantEntry, Action, Actor, Influence
from projects import services
from projects.models import DeliverableKind, Stakeholder

from ..factories import PASSWORD
from ..worlds.projects import answer_all
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _project_with_a_cadrage(world):
    users = world.users
    project = services.project_create(
        actor=users["agent"],
        territory=world.territory,
        title="Réseau des chargés de communication",
        summary="Un réseau inter-EPCI des chargés de communication.",
        members=[users["dgs"]],
    )
    intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
    answer_all(users["agent"], intention)
    services.deliverable_submit(actor=users["agent"], deliverable=intention)
    services.deliverable_validate(actor=users["facilitator"], deliverable=intention, message="Allez-y.")
    cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
    Stakeholder.objects.create(deliverable=cadrage, name="Chargés de communication", family="agent")
    Stakeholder.objects.create(deliverable=cadrage, name="Élus des 5 EPCI", family="elu", position=1)
    return project


def _mark_page(page):
    """A value that survives htmx swaps but not a page load: the edits must keep it."""
    page.evaluate("window.__sameDocument = true")


def _same_document(page):
    return page.evaluate("window.__sameDocument === true")


def test_the_team_draws_its_actor_map_and_its_actantial_schema(new_context, steps, world):
    project = _project_with_a_cadrage(world)
    agent = new_context().new_page()
    log_in(agent, world.users["agent"].email, PASSWORD)
    agent.goto(f"/projets/{project.pk}/")
    steps.shot(agent, "projet-outils")

    # The map starts empty; the note de cadrage's two stakeholders are offered for import.
    agent.get_by_role("link", name="Les acteurs et leur carte").click()
    expect(agent.locator("h1")).to_have_text("Sélection des acteurs et carte des acteurs")
    steps.shot(agent, "carte-vide")
    _mark_page(agent)
    agent.get_by_text("Reprendre 2 parties prenantes de la note de cadrage").click()
    agent.get_by_role("button", name="Reprendre sur la carte").click()
    actors_table = agent.locator("table.actor-table")
    expect(actors_table).to_contain_text("Chargés de communication")
    expect(actors_table).to_contain_text("Élus des 5 EPCI")
    assert _same_document(agent)

    # A third actor, typed.
    editor = agent.locator("#edition-acteur")
    editor.locator("summary").click()
    editor.get_by_label("Nom").fill("CNFPT")
    editor.get_by_label("Nature").select_option("organisation")
    editor.get_by_label("Famille").select_option("socio_eco")
    editor.get_by_label("Rôle dans le projet").fill("Forme les managers")
    editor.get_by_role("button", name="Ajouter l'acteur").click()
    expect(actors_table).to_contain_text("CNFPT")

    # "Les élus des 5 EPCI ont une influence forte et positive sur les chargés de communication."
    influence = agent.locator("#edition-influence")
    influence.locator("summary").click()
    influence.get_by_label("L'acteur").select_option(label="Élus des 5 EPCI")
    influence.get_by_label("a une influence sur").select_option(label="Chargés de communication")
    influence.get_by_label("Intensité").select_option("strong")
    influence.get_by_label("Commentaire").fill("Ils fixent le cap du réseau.")
    influence.get_by_role("button", name="Ajouter l'influence").click()
    expect(agent.locator("table.influence-table")).to_contain_text("Ils fixent le cap du réseau.")

    # The chain of actions: 0 then 1, each carried by an actor.
    for order, title, carrier in (
        (0, "Réunir les chargés de communication", "Chargés de communication"),
        (1, "Former au management par la coopération", "CNFPT"),
    ):
        action = agent.locator("#edition-action")
        action.locator("summary").click()
        action.get_by_label("Ordre").fill(str(order))
        action.get_by_label(re.compile(r"^Action\b")).fill(title)
        action.get_by_label(carrier, exact=True).check()
        action.get_by_role("button", name="Ajouter l'action").click()
        expect(agent.locator("#actor-map-region")).to_contain_text(title)
    first, second = Action.objects.filter(project=project).order_by("order")
    first.leads_to.add(second)
    # Making the second action lead back to the first would loop: refused, with the loop named.
    agent.reload()
    _mark_page(agent)
    agent.locator(f"#actor-map-region a[href*='/actions/{second.pk}/modifier/']").first.click()
    action = agent.locator("#edition-action")
    action.get_by_label(f"{first.order}. {first.title}", exact=True).check()
    action.get_by_role("button", name="Enregistrer l'action").click()
    expect(action).to_contain_text("boucle")
    expect(action).to_contain_text("0 → 1 → 0")
    steps.shot(agent, "boucle-refusee")
    assert _same_document(agent)
    assert not second.leads_to.exists()

    # The diagram: one box per actor, an arrow for the influence, the numbered actions.
    agent.reload()
    svg = agent.locator("#actor-map-region svg").first
    expect(svg).to_be_visible()
    expect(svg.locator("title").first).not_to_be_empty()
    for name in ("CNFPT", "Chargés de communication"):
        expect(svg).to_contain_text(name)
    steps.shot(agent, "carte-dessinee")
    assert Actor.objects.filter(project=project).count() == 3
    assert Influence.objects.filter(project=project).count() == 1

    # The actantial schema, from the project page.
    agent.goto(f"/projets/{project.pk}/")
    agent.get_by_role("link", name="Le schéma actantiel").click()
    expect(agent.locator("h1")).to_have_text("Schéma actantiel")
    steps.shot(agent, "schema-vide")
    _mark_page(agent)
    sujet = agent.locator("#actant-sujet")
    sujet.locator("summary").click()
    sujet.get_by_label("Un acteur du projet").select_option(label="Chargés de communication")
    sujet.get_by_role("button", name="Ajouter").click()
    expect(agent.locator("#actant-sujet .actant-entries")).to_contain_text("Chargés de communication")
    opposant = agent.locator("#actant-opposant")
    opposant.locator("summary").click()
    opposant.get_by_label("Ou un intitulé libre").fill("La logique d'appel à projets")
    opposant.get_by_role("button", name="Ajouter").click()
    expect(agent.locator("#actant-opposant .actant-entries")).to_contain_text("La logique d'appel à projets")
    # An entry with neither an actor nor a label is refused on its form.
    adjuvant = agent.locator("#actant-adjuvant")
    adjuvant.locator("summary").click()
    adjuvant.get_by_role("button", name="Ajouter").click()
    expect(agent.locator("#actant-adjuvant .form-errors, #actant-adjuvant .errorlist").first).to_be_visible()
    assert _same_document(agent)
    schema_svg = agent.locator("#actantial-region svg").first
    expect(schema_svg).to_contain_text("Chargés de communication")
    expect(schema_svg).to_contain_text("La logique d'appel à projets")
    steps.shot(agent, "schema-rempli")
    assert ActantEntry.objects.filter(schema__project=project).count() == 2

    # The élu of the territory reads the map and the schema, without any form.
    elu = new_context().new_page()
    log_in(elu, world.users["elu"].email, PASSWORD)
    elu.goto(f"/projets/{project.pk}/")
    elu.get_by_role("link", name="Les acteurs et leur carte").click()
    expect(elu.locator("#actor-map-region svg").first).to_be_visible()
    expect(elu.locator("#modifier-la-carte")).to_have_count(0)
    steps.shot(elu, "elu-lit-la-carte")
    elu.goto(f"/projets/{project.pk}/")
    elu.get_by_role("link", name="Le schéma actantiel").click()
    expect(elu.locator("#actantial-region svg").first).to_contain_text("La logique d'appel à projets")
    expect(elu.locator("form.actant-form")).to_have_count(0)
    steps.shot(elu, "elu-lit-le-schema")
