"""Notifications in a real Chromium: the count appears in the header, opening one leads to its page and marks
it read, everything is marked read in place (htmx), and the e-mails are switched to the daily digest."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from notifications import kinds
from notifications.models import Frequency, Notification, NotificationPreference
from notifications.services import notify
from territories.models import TeamMember, TeamRole

from ..factories import PASSWORD, TerritoryFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KIND = "tests.deliverable_reviewed"


@pytest.fixture
def kind():
    kinds.register(KIND, "Livrable relu par l'accompagnateur·ice")
    yield KIND
    del kinds.KINDS[KIND]


def test_a_notification_appears_in_the_header_is_opened_and_the_emails_go_to_the_digest(
    new_context, steps, users, kind
):
    agent, facilitator, dgs = users["agent"], users["facilitator"], users["dgs"]
    territory = TerritoryFactory(name="Pôle Territorial du Tarn", is_published=True)
    TeamMember.objects.create(territory=territory, user=agent, role=TeamRole.AGENT, is_manager=True)
    dashboard_url = reverse("territories:dashboard", args=[territory.pk])
    notify(
        kind=kind,
        recipients=[agent],
        actor=facilitator,
        title="Fanny Accompagnatrice a relu la note d'intention",
        url=dashboard_url,
        excerpt="Très clair sur les enjeux ; précisez le lien avec la recommandation n° 1 du diagnostic.",
    )
    notify(
        kind=kind,
        recipients=[agent],
        actor=dgs,
        title="Dominique DGS a commenté la note de cadrage",
        url=reverse("dashboards:my_space"),
    )
    assert [m.to for m in mail.outbox] == [[agent.email], [agent.email]]

    # The agent logs in: the header says two notifications are unread.
    page = new_context().new_page()
    log_in(page, agent.email, PASSWORD)
    header_link = page.get_by_role("link", name="Notifications (2 non lues)")
    expect(header_link).to_be_visible()
    # Seen as "Notifications (2)", heard as "Notifications (2 non lues)".
    expect(page.locator("#nav-notifications .notification-count")).to_have_text("(2)")
    expect(page.locator("#nav-notifications .notification-count")).to_be_visible()
    steps.shot(page, "compte-dans-l-en-tete")

    # Her list: both unread, the newest first.
    header_link.click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    expect(page.locator("h1")).to_have_text("Mes notifications")
    expect(page.locator("#notification-list-title")).to_have_text("2 notifications non lues")
    items = page.locator(".notification-list > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Dominique DGS a commenté la note de cadrage")
    expect(items.nth(1)).to_contain_text("précisez le lien avec la recommandation")
    expect(page.locator(".notification-unread")).to_have_count(2)
    steps.shot(page, "liste")

    # Opening the review leads to the territory's dashboard and marks it read.
    page.get_by_role("link", name="Fanny Accompagnatrice a relu la note d'intention").click()
    page.wait_for_url(re.compile(rf"{dashboard_url}$"))
    expect(page.get_by_role("link", name="Notifications (1 non lue)")).to_be_visible()
    steps.shot(page, "notification-ouverte")
    opened = Notification.objects.get(title__startswith="Fanny")
    assert opened.read_at is not None
    assert Notification.objects.get(title__startswith="Dominique").read_at is None

    # Back to the list: the other one is marked read in place, the header's count goes with it.
    page.get_by_role("link", name="Notifications (1 non lue)").click()
    expect(page.locator(".notification-unread")).to_have_count(1)
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.locator("#notification-list-title")).to_have_text("Tout est lu")
    expect(page.locator("#nav-notifications")).to_have_text("Notifications")
    expect(page.locator("#notification-status")).to_have_text(
        "Toutes vos notifications sont marquées comme lues."
    )
    expect(page.locator(".notification-unread")).to_have_count(0)
    assert page.url.endswith("/notifications/")  # swapped in place, no reload
    steps.shot(page, "tout-est-lu")
    assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()

    # From her space, she chooses the daily digest for the reviews.
    page.goto("/mon-espace/")
    page.get_by_role("link", name="Préférences de notification").click()
    page.wait_for_url(re.compile(r"/notifications/preferences/$"))
    expect(page.get_by_label("Livrable relu par l'accompagnateur·ice : Tout de suite")).to_be_checked()
    steps.shot(page, "preferences")
    page.get_by_label("Livrable relu par l'accompagnateur·ice : Résumé quotidien").check()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    page.wait_for_url(re.compile(r"/notifications/preferences/$"))
    expect(page.locator(".messages")).to_contain_text("Vos préférences de notification sont enregistrées.")
    expect(page.get_by_label("Livrable relu par l'accompagnateur·ice : Résumé quotidien")).to_be_checked()
    steps.shot(page, "preferences-enregistrees")
    assert NotificationPreference.objects.get(user=agent, kind=kind).frequency == Frequency.DIGEST

    # A tampered choice is refused in French, the row pointed out, nothing saved.
    never = page.get_by_label("Livrable relu par l'accompagnateur·ice : Jamais par e-mail")
    never.evaluate("(radio) => { radio.value = 'hebdomadaire'; }")
    never.check()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.locator(".messages")).to_contain_text("Vos préférences ne sont pas enregistrées")
    expect(page.locator("tr.has-error")).to_contain_text("Choisissez « Tout de suite », « Résumé quotidien »")
    steps.shot(page, "preferences-erreur")
    assert NotificationPreference.objects.get(user=agent, kind=kind).frequency == Frequency.DIGEST

    # The next review is shown at once but waits for the digest: no e-mail now.
    notify(
        kind=kind,
        recipients=[agent],
        actor=facilitator,
        title="Fanny Accompagnatrice a validé la note de faisabilité",
        url=dashboard_url,
    )
    assert len(mail.outbox) == 2
    page.goto("/notifications/")
    expect(page.get_by_role("link", name="Notifications (1 non lue)")).to_be_visible()
    expect(page.locator(".notification-unread")).to_contain_text("a validé la note de faisabilité")
    page.set_viewport_size({"width": 375, "height": 800})
    steps.shot(page, "liste-375px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
