"""The main journeys by keyboard alone (Tab, Shift+Tab, Enter, Space, typing; no click, no mouse): search the
library, answer a proposal, review and validate a note, download a project's PDF. Each step moves the focus
with Tab to the control a sighted keyboard user would reach, and checks where it landed."""

import re

import pytest
from playwright.sync_api import expect

from cooperation.models import ProposalStatus
from projects.models import DeliverableStatus

from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tab_to(page, target, *, backwards=False, limit=250):
    """Press Tab (or Shift+Tab) until `target` has the focus; fail if it never gets it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("(element) => element === document.activeElement"):
            return
    pytest.fail(f"{limit} presses of {key} never reached {target}")


def sign_in_by_keyboard(page, user):
    page.goto("/comptes/login/")
    tab_to(page, page.locator("#id_login"))
    page.keyboard.type(user.email)
    # The « forgotten password » link of the password's help text comes first, as on screen.
    tab_to(page, page.locator("#id_password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/comptes/login/" not in url)


def test_the_main_journeys_work_with_the_keyboard_alone(new_context, steps, world):
    # A visitor searches the library: from the top of the page, Tab to the search field, type, Enter.
    visitor = new_context().new_page()
    visitor.goto("/ressources/")
    tab_to(visitor, visitor.get_by_label("Rechercher", exact=True))
    visitor.keyboard.type("coopération")
    visitor.keyboard.press("Enter")
    visitor.wait_for_url(re.compile(r"q=coop"))
    expect(visitor.locator("main")).to_contain_text("coopération")
    steps.shot(visitor, "recherche-au-clavier")

    # The élue answers the proposal: the link, a radio chosen with Space, the text, the confirmation box.
    elu = new_context().new_page()
    sign_in_by_keyboard(elu, world.users["elu"])
    elu.goto("/cooperation/interpellations/")
    tab_to(elu, elu.get_by_role("link", name=re.compile(r"^Répondre — Un séminaire annuel")))
    elu.keyboard.press("Enter")
    elu.wait_for_url(re.compile(r"/repondre/$"))
    retained = elu.get_by_label("Retenue", exact=True)
    tab_to(elu, retained)
    elu.keyboard.press("Space")
    expect(retained).to_be_checked()
    tab_to(elu, elu.get_by_label("Réponse écrite aux deux groupes"))
    elu.keyboard.type("Retenue : le comité syndical en parlera en juin.")
    confirm = elu.get_by_label("Je confirme cette réponse")
    tab_to(elu, confirm)
    elu.keyboard.press("Space")
    expect(confirm).to_be_checked()
    # Shift+Tab goes back to the text, Tab returns to the box: the order is the reading order.
    elu.keyboard.press("Shift+Tab")
    expect(elu.get_by_label("Réponse écrite aux deux groupes")).to_be_focused()
    elu.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    tab_to(elu, elu.get_by_role("button", name="Envoyer la réponse"))
    steps.shot(elu, "reponse-au-clavier")
    elu.keyboard.press("Enter")
    elu.wait_for_url(re.compile(rf"/propositions/{world.joint_proposal.pk}/$"))
    world.joint_proposal.refresh_from_db()
    assert world.joint_proposal.status == ProposalStatus.ANSWERED

    # The facilitator validates the submitted note de cadrage from its review page.
    facilitator = new_context().new_page()
    sign_in_by_keyboard(facilitator, world.users["facilitator"])
    facilitator.goto(f"/projets/{world.project.pk}/livrables/cadrage/relecture/")
    validate = facilitator.get_by_label(re.compile(r"Valider le livrable"))
    tab_to(facilitator, validate)
    facilitator.keyboard.press("Space")
    expect(validate).to_be_checked()
    tab_to(facilitator, facilitator.get_by_label("Message à l'équipe"))
    facilitator.keyboard.type("Bravo, la note est claire.")
    tab_to(facilitator, facilitator.get_by_role("button", name="Enregistrer la décision"))
    with facilitator.expect_navigation():
        facilitator.keyboard.press("Enter")
    facilitator.wait_for_load_state("load")
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.VALIDATED
    steps.shot(facilitator, "validation-au-clavier")

    # The agent asks for the project's PDF dossier, then downloads it, by keyboard.
    agent = new_context().new_page()
    sign_in_by_keyboard(agent, world.users["agent"])
    agent.goto(f"/projets/{world.project.pk}/")
    tab_to(agent, agent.get_by_role("button", name="PDF du dossier complet"))
    agent.keyboard.press("Enter")
    download_link = agent.get_by_role("link", name=re.compile(r"^Télécharger .*\(PDF\)$"))
    expect(download_link).to_be_visible(timeout=30_000)
    tab_to(agent, download_link)
    with agent.expect_download() as download_info:
        agent.keyboard.press("Enter")
    assert download_info.value.suggested_filename.endswith(".pdf")
    steps.shot(agent, "pdf-au-clavier")
