"""The main journeys by keyboard alone (Tab, Shift+Tab, Enter, Space, arrows, typing; no click, no mouse):
apply to the alliance, write and submit a note, search the library, answer a proposal, review and validate a
note, download a project's PDF. Each step moves the focus with Tab to the control a sighted keyboard user
would reach, and checks where it landed."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from alliance.models import Membership, MembershipKind, MembershipStatus
from cooperation.models import ProposalStatus
from projects import services as projects_services
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
    # A person applies to the alliance in her own name: the radio group is moved with an arrow key, the
    # charter signed with Space, the application sent with Enter.
    outsider = new_context().new_page()
    sign_in_by_keyboard(outsider, world.users["outsider"])
    outsider.goto("/alliance/adherer/")
    on_behalf = outsider.get_by_label("Au nom d'une organisation")
    tab_to(outsider, on_behalf)  # the checked radio of the group takes the focus
    outsider.keyboard.press("ArrowUp")
    expect(outsider.get_by_label("À titre personnel")).to_be_checked()
    sign = outsider.get_by_label(re.compile(r"^J'ai lu la charte de l'alliance et je la signe"))
    tab_to(outsider, sign)
    outsider.keyboard.press("Space")
    expect(sign).to_be_checked()
    tab_to(outsider, outsider.get_by_role("button", name="Signer la charte et envoyer ma candidature"))
    with outsider.expect_navigation():
        outsider.keyboard.press("Enter")
    expect(outsider.locator(".messages")).to_contain_text("Votre candidature est envoyée")
    application = Membership.objects.get(signatory=world.users["outsider"], kind=MembershipKind.PERSON)
    assert application.status == MembershipStatus.CANDIDATE
    steps.shot(outsider, "adhesion-au-clavier")

    # The agent writes the last answer of the draft note, adds a step in place, then submits the note.
    draft, agent_user = world.draft, world.users["agent"]
    last, *others = draft.missing_questions()  # a text answer meets a question, as a row of its table does
    for question in others:
        projects_services.answer_save(
            actor=agent_user, deliverable=draft, question=question, text="Écrit plus tôt.", base_version=0
        )
    writer = new_context().new_page()
    sign_in_by_keyboard(writer, agent_user)
    writer.goto(f"/projets/{draft.project_id}/livrables/{draft.kind}/")
    tab_to(writer, writer.locator(f"#answer-{last.number}-text"))
    writer.keyboard.type("Un an, de la première rencontre au bilan.")
    expect(writer.locator(f"#answer-{last.number}-status")).to_contain_text("Enregistré", timeout=8000)
    add_step = writer.locator("#partie-etapes summary")
    tab_to(writer, add_step)
    writer.keyboard.press("Enter")
    title = writer.locator("#partie-etapes").get_by_label(re.compile(r"^Étape"))
    tab_to(writer, title)
    writer.keyboard.type("Bilan de la première année")
    # The date fields, typed digit by digit (typing fills a segment and moves to the next); the day and the
    # month are the same, whatever the order of the browser's date segments.
    part = writer.locator("#partie-etapes")
    tab_to(writer, part.get_by_label(re.compile(r"^Début")))
    writer.keyboard.type("06062027")
    tab_to(writer, part.get_by_label(re.compile(r"^Fin")))
    writer.keyboard.type("07072027")
    tab_to(writer, writer.locator("#partie-etapes").get_by_role("button", name="Ajouter une étape"))
    writer.keyboard.press("Enter")
    expect(writer.locator("#partie-etapes table")).to_contain_text("Bilan de la première année")
    # The form swapped away, the focus is on the message saying the step is added, not back at the top.
    expect(writer.locator("#partie-etapes .part-status")).to_be_focused()
    tab_to(writer, writer.get_by_role("button", name=re.compile(r"^Soumettre la note")))
    steps.shot(writer, "note-au-clavier")
    with writer.expect_navigation():
        writer.keyboard.press("Enter")
    draft.refresh_from_db()
    assert draft.status == DeliverableStatus.SUBMITTED
    added = draft.steps.get(title="Bilan de la première année")
    assert (added.start, added.end) == (date(2027, 6, 6), date(2027, 7, 7))

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
    # She first answers the discussion on question 1: each control names its discussion (RGAA 11.9), and the
    # focus lands on the announcement of the swapped thread.
    where = "à la discussion 1 sur la question 1"
    tab_to(facilitator, facilitator.locator("summary", has_text=f"Répondre {where}"))
    facilitator.keyboard.press("Enter")
    tab_to(facilitator, facilitator.get_by_label(f"Votre réponse {where}", exact=True))
    facilitator.keyboard.type("Les élus sont prévus en juin.")
    tab_to(facilitator, facilitator.get_by_role("button", name=f"Publier la réponse {where}", exact=True))
    facilitator.keyboard.press("Enter")
    announce = facilitator.locator(f"#discussion-q{world.comment.question_id} .review-announce")
    expect(announce).to_have_text("Commentaire publié.")
    expect(announce).to_be_focused()
    expect(facilitator.locator(".review-replies")).to_contain_text("Les élus sont prévus en juin.")
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
