"""Raconter la coopération in a real Chromium: the project's lead writes a récit kept to the team and one
shared with the accompaniment (a date in the future is refused first, nothing typed is lost); the timeline
shows both with their badges; the facilitator is told of the shared récit and reads it, never the other; the
territory's timeline gathers the project's récits, each labelled with its project."""

import re

import pytest
from playwright.sync_api import expect

from methods.models import JournalEntry, JournalPrompt, JournalVisibility
from notifications.models import Notification

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEAM_TITLE = "Le désaccord sur la place des élus dans les groupes de pairs"
TEAM_BODY = (
    "Le DGS craignait que les élus brident la parole des agents. Nous avons **mis le différend au travail** "
    "en séance : les élus viendront au croisement des groupes, pas dans les groupes."
)
SHARED_TITLE = "Ce que les groupes de pairs ont changé entre les EPCI"
SHARED_BODY = (
    "Depuis les groupes de pairs, les agents des cinq EPCI s'appellent directement :\n\n"
    "- deux marchés publics sont préparés ensemble ;\n"
    "- un agent du Carmausin a formé ses collègues au logiciel de subventions."
)


def field(page, label):
    """A form field by its label, which Django ends with " :"."""
    # Django ends a label with " :", and a required field's label with « (obligatoire) ».
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*:?(\s*\(obligatoire\))?$"))


def write_entry(page, *, prompt, happened_on, title, body, participants=(), visibility):
    page.get_by_label(prompt, exact=True).check()
    field(page, "Date").fill(happened_on)
    field(page, "Titre").fill(title)
    field(page, "Le récit").fill(body)
    for name in participants:
        page.get_by_label(name, exact=True).check()
    page.get_by_label(visibility, exact=True).check()


def test_the_team_tells_its_cooperation_and_shares_a_story_with_the_facilitator(new_context, steps, world):
    agent_user, facilitator_user = world.users["agent"], world.users["facilitator"]
    project = world.project
    # The world already holds récits of the project (one shared, one kept to the team) and of the territory.
    before = JournalEntry.objects.filter(project=project).count()
    shared_before = JournalEntry.objects.filter(project=project, visibility=JournalVisibility.SHARED).count()
    territory_before = JournalEntry.objects.filter(territory=world.territory).count()
    disputes_before = JournalEntry.objects.filter(
        territory=world.territory, prompt=JournalPrompt.DISPUTES
    ).count()

    # The lead opens the project's page and its journal.
    agent = new_context().new_page()
    log_in(agent, agent_user.email, PASSWORD)
    agent.goto(project.get_absolute_url())
    steps.shot(agent, "page-du-projet")
    agent.get_by_role("link", name="Raconter la coopération").click()
    expect(agent.locator("h1")).to_have_text("Raconter la coopération")
    expect(agent.locator(".journal-count")).to_have_text(f"{before} récits")
    steps.shot(agent, "journal-du-projet")

    # A récit kept to the team, on a dispute put to work, with the DGS.
    agent.get_by_role("link", name="Écrire un récit").click()
    expect(agent.locator("h1")).to_have_text("Écrire un récit")
    write_entry(
        agent,
        prompt="Mettre les différends au travail",
        happened_on="2025-03-18",
        title=TEAM_TITLE,
        body=TEAM_BODY,
        participants=["Dominique DGS"],
        visibility="Réservé à l'équipe",
    )
    steps.shot(agent, "recit-reserve-a-l-equipe")
    agent.get_by_role("button", name="Enregistrer le récit").click()
    agent.wait_for_url(re.compile(r"/recits/#recit-\d+$"))
    expect(agent.locator(".messages")).to_contain_text(f"Le récit « {TEAM_TITLE} » est enregistré.")

    # A shared récit on the effects of the cooperation, first dated in the future by mistake.
    agent.get_by_role("link", name="Écrire un récit").click()
    write_entry(
        agent,
        prompt="Prospecter sur les effets créés par la coopération",
        happened_on="2099-05-02",
        title=SHARED_TITLE,
        body=SHARED_BODY,
        participants=["Dominique DGS", "Fanny Accompagnatrice"],
        visibility="Partagé avec l'accompagnement",
    )
    field(agent, "Autres participant·es").fill("Un agent du CNFPT")
    agent.get_by_role("button", name="Enregistrer le récit").click()
    # The message stands beside the date field, which says it is invalid.
    expect(agent.locator(".form-errors")).to_contain_text("Corrigez les champs signalés")
    expect(agent.locator(".errorlist")).to_contain_text(
        "La date d'un récit ne peut pas être dans le futur : racontez ce qui a déjà eu lieu."
    )
    expect(field(agent, "Date")).to_have_attribute("aria-invalid", "true")
    expect(agent.locator(".messages")).to_contain_text("Le récit n'est pas enregistré")
    expect(field(agent, "Titre")).to_have_value(SHARED_TITLE)
    expect(field(agent, "Le récit")).to_have_value(SHARED_BODY)
    expect(field(agent, "Date")).to_have_value("2099-05-02")
    expect(
        agent.get_by_label("Prospecter sur les effets créés par la coopération", exact=True)
    ).to_be_checked()
    expect(agent.get_by_label("Fanny Accompagnatrice", exact=True)).to_be_checked()
    expect(agent.get_by_label("Partagé avec l'accompagnement", exact=True)).to_be_checked()
    expect(field(agent, "Autres participant·es")).to_have_value("Un agent du CNFPT")
    steps.shot(agent, "date-dans-le-futur")
    field(agent, "Date").fill("2025-04-10")
    agent.get_by_role("button", name="Enregistrer le récit").click()
    agent.wait_for_url(re.compile(r"/recits/#recit-\d+$"))

    # The timeline shows both récits, in their month, each with its prompt and who may read it.
    team_entry = JournalEntry.objects.get(title=TEAM_TITLE)
    shared_entry = JournalEntry.objects.get(title=SHARED_TITLE)
    expect(agent.locator(".journal-count")).to_have_text(f"{before + 2} récits")
    team_card = agent.locator(f"#recit-{team_entry.pk}")
    shared_card = agent.locator(f"#recit-{shared_entry.pk}")
    expect(team_card.locator(".journal-visibility")).to_have_text("Réservé à l'équipe")
    expect(team_card.locator(".journal-prompt")).to_contain_text("Différends au travail")
    expect(team_card).to_contain_text("Ont pris part : Dominique DGS")
    expect(shared_card.locator(".journal-visibility")).to_have_text("Partagé avec l'accompagnement")
    expect(shared_card.locator(".journal-prompt")).to_contain_text("Effets de la coopération")
    expect(shared_card).to_contain_text("Dominique DGS, Fanny Accompagnatrice, Un agent du CNFPT")
    expect(shared_card.locator(".journal-entry-body li")).to_have_count(2)
    expect(agent.locator("#mois-2025-04")).to_have_text("Avril 2025")
    expect(agent.locator("#mois-2025-03")).to_have_text("Mars 2025")
    steps.shot(agent, "frise-avec-les-deux-recits")

    # The facilitator has been told of the shared récit only, and reads it from the notification.
    assert Notification.objects.filter(recipient=facilitator_user, kind="methods.journal_shared").count() == 1
    facilitator = new_context().new_page()
    log_in(facilitator, facilitator_user.email, PASSWORD)
    facilitator.locator("#nav-notifications").click()
    notification = facilitator.get_by_role("link", name=re.compile(re.escape(f"« {SHARED_TITLE} »")))
    expect(notification).to_be_visible()
    expect(facilitator.locator("main")).not_to_contain_text(TEAM_TITLE)
    steps.shot(facilitator, "notification-du-recit-partage")
    notification.click()
    facilitator.wait_for_url(re.compile(rf"/projets/{project.pk}/recits/#recit-{shared_entry.pk}$"))
    expect(facilitator.locator(f"#recit-{shared_entry.pk}")).to_contain_text("deux marchés publics")
    expect(facilitator.locator("main")).to_contain_text("Vous lisez les récits que l'équipe partage")
    expect(facilitator.locator("main")).not_to_contain_text(TEAM_TITLE)
    expect(facilitator.locator("main")).not_to_contain_text(world.journal_entry_team.title)
    expect(facilitator.locator(".journal-count")).to_have_text(f"{shared_before + 1} récits")
    expect(facilitator.get_by_role("link", name="Écrire un récit")).to_have_count(0)
    assert TEAM_BODY not in facilitator.content()
    steps.shot(facilitator, "l-accompagnatrice-lit-le-recit-partage")

    # The territory's journal, from its dashboard, gathers the project's récits, labelled with the project.
    agent.locator(".project-territory").get_by_role("link", name=project.title).click()
    agent.get_by_role("link", name=f"Les projets de {world.territory.name}").click()
    agent.locator(".subnav").get_by_role("link", name="Tableau de bord").click()
    steps.shot(agent, "tableau-de-bord-du-territoire")
    agent.get_by_role("link", name="Les récits de coopération").click()
    expect(agent.locator("h1")).to_have_text("Raconter la coopération")
    expect(agent.locator(".journal-count")).to_have_text(f"{territory_before + 2} récits")
    for entry in (team_entry, shared_entry):
        expect(agent.locator(f"#recit-{entry.pk} .journal-project")).to_have_text(f"Projet : {project.title}")
    expect(agent.locator(f"#recit-{world.territory_journal_entry.pk} .journal-project")).to_have_count(0)
    steps.shot(agent, "frise-du-territoire")
    field(agent, "Question").select_option(label="Différends au travail")
    agent.get_by_role("button", name="Filtrer").click()
    expect(agent.locator(".journal-count")).to_have_text(f"{disputes_before + 1} récits")
    expect(agent.locator(f"#recit-{team_entry.pk}")).to_be_visible()
    expect(agent.locator(f"#recit-{shared_entry.pk}")).to_have_count(0)
    steps.shot(agent, "frise-du-territoire-filtree")
    agent.set_viewport_size({"width": 375, "height": 800})
    agent.get_by_role("link", name="Tout afficher").click()
    steps.shot(agent, "frise-375px")
    assert agent.evaluate("document.documentElement.scrollWidth") <= 375

    assert (team_entry.visibility, team_entry.prompt) == (JournalVisibility.TEAM, JournalPrompt.DISPUTES)
    assert list(team_entry.participants.all()) == [world.users["dgs"]]
    assert (shared_entry.visibility, shared_entry.prompt) == (JournalVisibility.SHARED, JournalPrompt.EFFECTS)
    assert str(shared_entry.happened_on) == "2025-04-10"
