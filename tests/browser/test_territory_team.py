"""A territory's team in a real Chromium: a manager invites a colleague, who accepts from the e-mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from territories.models import InvitationStatus, TeamMember, TeamRole

from ..factories import PASSWORD, UserFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COLLEAGUE = "claire.dupont@exemple.fr"


def invitation_link(email):
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no e-mail sent to {email}; outbox: {[m.subject for m in mail.outbox]}"
    match = re.search(r"https?://[^\s/]+(/territoires/invitation/[^\s/]+/)", messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def test_a_manager_invites_a_colleague_who_accepts_and_sees_the_private_dashboard(new_context, steps, world):
    territory = world.territory
    colleague = UserFactory(email=COLLEAGUE, full_name="Claire Dupont", function="Chargée de mission PCAET")
    team_url = f"/territoires/{territory.pk}/equipe/"
    dashboard_url = f"/territoires/{territory.pk}/tableau-de-bord/"

    # The manager opens the team page and invites her colleague as an agent.
    manager = new_context().new_page()
    log_in(manager, world.users["agent"].email, PASSWORD, steps=steps)
    manager.goto(team_url)
    expect(manager.locator("h1")).to_have_text("L'équipe de Pôle Territorial du Tarn")
    steps.shot(manager, "equipe")
    manager.get_by_label("Adresse e-mail de la personne").fill(COLLEAGUE)
    manager.get_by_label("Rôle dans l'équipe").select_option("agent")
    steps.shot(manager, "invitation-remplie")
    manager.get_by_role("button", name="Envoyer l'invitation").click()
    manager.wait_for_url(re.compile(rf"{team_url}#invitations$"))
    expect(manager.locator(".messages")).to_contain_text(f"L'invitation est envoyée à {COLLEAGUE}")
    expect(manager.locator("#invitations")).to_contain_text(COLLEAGUE)
    steps.shot(manager, "invitation-envoyee")

    # The colleague, already registered, logs in and follows the link of the e-mail.
    link = invitation_link(COLLEAGUE)
    page = new_context().new_page()
    log_in(page, COLLEAGUE, PASSWORD)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Invitation dans l'équipe de Pôle Territorial du Tarn")
    expect(page.locator("main")).to_contain_text("Antoine Agent")
    expect(page.locator("main")).to_contain_text("Agent / chargé·e de mission")
    steps.shot(page, "invitation-recue")
    page.get_by_role("button", name="Accepter l'invitation").click()

    # She lands on the territory's private dashboard, welcomed.
    page.wait_for_url(re.compile(rf"{dashboard_url}$"))
    expect(page.locator(".messages")).to_contain_text("Bienvenue dans l'équipe de Pôle Territorial du Tarn")
    expect(page.locator("main")).to_contain_text("Tableau de bord")
    steps.shot(page, "tableau-de-bord")
    member = TeamMember.objects.get(territory=territory, user=colleague)
    assert (member.role, member.is_manager) == (TeamRole.AGENT, False)
    assert territory.invitations.get(email=COLLEAGUE).status == InvitationStatus.ACCEPTED

    # Her space lists the territory; the link cannot be used a second time.
    page.goto("/mon-espace/")
    expect(page.locator("main")).to_contain_text("Mes territoires")
    expect(page.get_by_role("link", name="Pôle Territorial du Tarn")).to_be_visible()
    steps.shot(page, "mon-espace")
    page.goto(link)
    expect(page.locator("[role=alert]")).to_contain_text("Cette invitation a déjà reçu une réponse")
    steps.shot(page, "lien-deja-utilise")

    # The manager sees her in the team, with her family of the 4 Fantastiques.
    manager.goto(team_url)
    row = manager.locator(f"#member-{member.pk}")
    expect(row).to_contain_text("Claire Dupont")
    expect(row).to_contain_text("Agent de collectivité")
    expect(manager.locator("#invitations")).not_to_contain_text(COLLEAGUE)
    steps.shot(manager, "equipe-avec-la-collegue")
    manager.set_viewport_size({"width": 375, "height": 800})
    steps.shot(manager, "equipe-375px")
    # The tables scroll inside their box: the page itself never scrolls sideways.
    assert manager.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_manager_changes_a_role_and_cannot_remove_the_last_manager(new_context, steps, world):
    team_url = f"/territoires/{world.territory.pk}/equipe/"
    manager = new_context().new_page()
    log_in(manager, world.users["agent"].email, PASSWORD)
    manager.goto(team_url)

    row = manager.locator(f"#member-{world.dgs_member.pk}")
    row.get_by_text("Modifier").click()
    row.get_by_label("Rôle").select_option("elu")
    steps.shot(manager, "changer-un-role")
    row.get_by_role("button", name="Enregistrer").click()
    manager.wait_for_url(re.compile(rf"{team_url}#member-{world.dgs_member.pk}$"))
    expect(manager.locator(".messages")).to_contain_text("Dominique DGS a désormais le rôle « Élu·e »")
    steps.shot(manager, "role-change")

    own = TeamMember.objects.get(territory=world.territory, user=world.users["agent"])
    row = manager.locator(f"#member-{own.pk}")
    row.get_by_text("Modifier").click()
    row.get_by_role("button", name="Retirer de l'équipe").click()
    expect(manager.locator(".messages")).to_contain_text("cochez la case pour confirmer")
    steps.shot(manager, "retrait-non-confirme")
    row = manager.locator(f"#member-{own.pk}")
    row.get_by_label("Je confirme le retrait").check()
    row.get_by_role("button", name="Retirer de l'équipe").click()
    expect(manager.locator(".messages")).to_contain_text("au moins une personne qui le gère")
    steps.shot(manager, "dernier-gestionnaire")
    assert TeamMember.objects.filter(pk=own.pk, is_manager=True).exists()


def test_another_account_is_told_where_the_invitation_went_and_logs_out_to_switch(new_context, steps, world):
    link = f"/territoires/invitation/{world.invitation.token}/"
    page = new_context().new_page()
    log_in(page, world.users["outsider"].email, PASSWORD)
    page.goto(link)
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text("Cette invitation a été envoyée à nouvelle.collegue@exemple.fr")
    expect(alert).to_contain_text("Vous êtes connecté·e avec l'adresse visiteur@exemple.fr")
    expect(page.get_by_role("button", name="Accepter l'invitation")).to_have_count(0)
    steps.shot(page, "mauvais-compte")
    page.get_by_role("button", name="Me déconnecter pour changer de compte").click()
    page.wait_for_url(re.compile(r"/comptes/login/\?next="))
    expect(page.locator('main a[href^="/comptes/signup/"]')).to_have_attribute(
        "href", re.compile(r"/comptes/signup/\?next=")
    )
    steps.shot(page, "connexion-apres-deconnexion")
