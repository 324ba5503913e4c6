"""A territory's training cycle and its effects journal in a real Chromium: an agent creates a cycle with its
sessions, registers the trainees, marks the attendance, reads the counts on the dashboard, then writes
effects and reads the "+ / −" table. Checked with axe-core, screenshot at each step."""

import re

import pytest
from playwright.sync_api import expect

from trainings.models import Attendance, Effect, TrainingCycle

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRAINEES = "Julien Bonnet ; CC Centre Tarn ; Directeur des services techniques\nNadia Roques ; CC Val 81\n"


def test_an_agent_runs_a_training_cycle_and_keeps_the_effects_journal(new_context, steps, world):
    territory = world.territory
    page = new_context().new_page()
    log_in(page, world.users["agent"].email, PASSWORD, steps=steps)

    # From the dashboard to the territory's trainings.
    page.goto(f"/territoires/{territory.pk}/tableau-de-bord/")
    expect(page.locator("#formations")).to_contain_text("70 personnes sensibilisées en 1 session.")
    page.get_by_role("link", name="Formations et sensibilisation du territoire").click()
    expect(page.locator("h1")).to_have_text("Formations et sensibilisation de Pôle Territorial du Tarn")
    steps.shot(page, "formations")

    # A cycle ending before it starts is refused, what was typed stays.
    page.get_by_role("link", name="Nouveau cycle de formation").click()
    page.get_by_label("Intitulé du cycle").fill("Coopérer entre EPCI")
    page.get_by_label("Organisme partenaire").fill("CNFPT")
    page.get_by_label("Public visé").fill("Les managers des cinq communautés de communes")
    page.get_by_label("Nombre de jours de formation").fill("3")
    page.get_by_label("Début du cycle").fill("2024-03-01")
    page.get_by_label("Fin du cycle").fill("2024-02-01")
    page.get_by_role("button", name="Enregistrer le cycle").click()
    expect(page.locator(".form-errors")).to_contain_text("La fin du cycle ne peut pas précéder son début.")
    expect(page.get_by_label("Organisme partenaire")).to_have_value("CNFPT")
    steps.shot(page, "cycle-dates-refusees")

    page.get_by_label("Fin du cycle").fill("2024-04-30")
    page.get_by_role("button", name="Enregistrer le cycle").click()
    page.wait_for_url(re.compile(r"/formations/cycles/\d+/$"))
    expect(page.locator("h1")).to_have_text("Coopérer entre EPCI")
    cycle = TrainingCycle.objects.get(title="Coopérer entre EPCI")

    # A session outside the cycle's dates is refused; three are planned; a fourth is not offered.
    page.get_by_label("Date de la séance").fill("2024-05-15")
    page.get_by_label("Thème de la journée").fill("L'approche systémique")
    page.get_by_role("button", name="Programmer la séance").click()
    expect(page.locator(".form-errors")).to_contain_text(
        "Le 15 mai 2024 est en dehors des dates du cycle, du 1er mars 2024 au 30 avril 2024."
    )
    expect(page.get_by_label("Thème de la journée")).to_have_value("L'approche systémique")
    steps.shot(page, "seance-hors-dates")
    for day, topic in [
        ("2024-03-14", "L'approche systémique"),
        ("2024-04-04", "Coopérer"),
        ("2024-04-25", ""),
    ]:
        page.get_by_label("Date de la séance").fill(day)
        page.get_by_label("Thème de la journée").fill(topic)
        page.get_by_role("button", name="Programmer la séance").click()
        expect(page.locator(".messages")).to_contain_text("est programmée")
    expect(page.locator("#seances tbody tr")).to_have_count(3)
    expect(page.locator("#seances")).to_contain_text("Les 3 jours du cycle ont tous leur séance.")
    expect(page.get_by_role("button", name="Programmer la séance")).to_have_count(0)

    # Trainees without an account, pasted as a list; a colleague through her account.
    page.get_by_role("link", name="Inscrire toute une liste de personnes").click()
    page.get_by_label("Personnes à inscrire, une par ligne").fill(TRAINEES + " ; CC Val 81\n")
    page.get_by_role("button", name="Inscrire ces personnes").click()
    expect(page.locator("main .errorlist")).to_contain_text(
        "Ligne 3 : écrivez « Nom ; organisation ; fonction »"
    )
    steps.shot(page, "liste-refusee")
    page.get_by_label("Personnes à inscrire, une par ligne").fill(TRAINEES)
    page.get_by_role("button", name="Inscrire ces personnes").click()
    expect(page.locator(".messages")).to_contain_text("2 personnes sont inscrites au cycle.")
    page.get_by_label("Compte sur la plateforme").select_option(label="Dominique DGS")
    page.locator("#id_organisation").fill("Pôle Territorial")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Dominique DGS est inscrit·e au cycle.")
    expect(page.locator("#presences tbody tr")).to_have_count(3)
    steps.shot(page, "participants-inscrits")

    # The attendance of the first two sessions.
    for date, present in [
        ("14 mars 2024", ["Julien Bonnet", "Nadia Roques"]),
        ("4 avril 2024", ["Julien Bonnet"]),
    ]:
        page.get_by_role("link", name=f"Relever les présences du {date}").click()
        expect(page.locator("h1")).to_have_text(f"Présences à la séance du {date}")
        for name in present:
            page.get_by_label(f"{name} — ").check()
        if date.startswith("14"):
            steps.shot(page, "presences")
        page.get_by_role("button", name="Enregistrer les présences").click()
        expect(page.locator(".messages")).to_contain_text("3 inscrites au cycle.")
    grid = page.locator("#presences")
    expect(grid.locator("tbody tr", has_text="Julien Bonnet")).to_contain_text("2")
    expect(page.locator(".training-figures")).to_contain_text("Journées-stagiaires")
    steps.shot(page, "grille-des-presences")
    assert Attendance.objects.filter(session__cycle=cycle).count() == 3

    # The counts on the territory's dashboard.
    page.goto(f"/territoires/{territory.pk}/tableau-de-bord/")
    summary = page.locator("#formations")
    expect(summary).to_contain_text(
        "Coopérer entre EPCI (CNFPT) : 3 inscrit·es, 3 jours, 2 présent·es par séance"
    )
    summary.scroll_into_view_if_needed()
    steps.shot(page, "tableau-de-bord")

    # The effects journal: a negative effect, a positive one, side by side.
    page.get_by_role("link", name="Voir le tableau des effets + / −").click()
    expect(page.locator("h1")).to_have_text("Journal des effets de Pôle Territorial du Tarn")
    page.get_by_role("link", name="Inscrire un effet négatif (−)").click()
    expect(page.get_by_label("Effet négatif (−)")).to_be_checked()
    page.get_by_label("Effet observé").fill("Le groupe des DGS n'a jamais vraiment « pris ».")
    page.get_by_label("Initiative pilote").fill("Management des organisations par la coopération")
    page.get_by_label("Observé le").fill("2099-01-01")
    page.get_by_role("button", name="Enregistrer l'effet").click()
    expect(page.locator(".form-errors")).to_contain_text("sa date ne peut pas être à venir")
    steps.shot(page, "effet-date-refusee")
    page.get_by_label("Observé le").fill("2024-04-26")
    page.get_by_role("button", name="Enregistrer l'effet").click()
    page.wait_for_url(re.compile(rf"/formations/territoire/{territory.pk}/effets/#effet-\d+$"))

    page.get_by_role("link", name="Inscrire un effet positif (+)").click()
    page.get_by_label("Effet observé").fill("Un argumentaire partagé et détaillé des agents.")
    page.get_by_label("Initiative pilote").fill("Management des organisations par la coopération")
    page.get_by_label("Observé le").fill("2024-04-26")
    page.get_by_role("button", name="Enregistrer l'effet").click()
    page.wait_for_url(re.compile(r"/effets/#effet-\d+$"))

    table = page.locator("table.effects-table")
    expect(table).to_have_count(1)
    expect(table.locator("thead")).to_contain_text("Effets positifs (2)")
    expect(table.locator("thead")).to_contain_text("Effet négatif (1)")
    first_row = table.locator("tbody tr").first
    expect(first_row.locator("td").first).to_contain_text("Le groupe des agents s'est approprié l'exercice.")
    expect(first_row.locator("td").last).to_contain_text("Le groupe des DGS n'a jamais vraiment « pris ».")
    expect(table.locator("tbody tr").nth(1).locator("td").first).to_contain_text("Un argumentaire partagé")
    steps.shot(page, "tableau-des-effets")
    assert Effect.objects.filter(territory=territory).count() == 3

    # On a phone, the table stays inside the page.
    phone = new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        storage_state=page.context.storage_state(),
    ).new_page()
    phone.goto(f"/formations/territoire/{territory.pk}/effets/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the effects journal scrolls sideways ({width}px wide)"
    steps.shot(phone, "effets-375px")
    phone.goto(f"/formations/cycles/{cycle.pk}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the cycle page scrolls sideways ({width}px wide)"
    steps.shot(phone, "cycle-375px")
