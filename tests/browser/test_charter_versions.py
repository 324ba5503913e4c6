"""A new charter version in a real Chromium: the admin publishes it with a deadline; a member sees the
banner, reads what changed paragraph by paragraph and signs it, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from alliance.models import Charter, MembershipStatus

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_COMMITMENT = "Rendre compte chaque année de nos actions et de leurs effets."


@pytest.mark.parametrize("width", [1280, 375])
def test_the_admin_publishes_a_version_and_a_member_signs_it_after_reading_the_changes(
    new_context, steps, charter, admin_user, agent, width
):
    membership = MembershipFactory(
        signatory=agent,
        organisation=OrganisationFactory(name="Pôle Territorial"),
        status=MembershipStatus.ACCEPTED,
    )
    viewport = {"width": width, "height": 900}

    # The admin rewords a commitment, adds one and publishes with 60 days to sign again.
    admin = new_context(viewport=viewport).new_page()
    log_in(admin, admin_user.email, PASSWORD, totp_user=admin_user)
    admin.goto("/alliance/admin/charte/")
    expect(admin.locator("h1")).to_have_text("Gérer la charte")
    commitments = "\n".join(
        [*charter.commitments[:1], "Proposer ensemble des changements de modèles de société.", NEW_COMMITMENT]
    )
    admin.get_by_label("Engagements").fill(commitments)
    admin.get_by_label("Délai pour signer de nouveau (en jours)").fill("60")
    admin.get_by_label("Les retirer de l'annuaire jusqu'à leur nouvelle signature").check()
    steps.shot(admin, f"{width}-publier")
    admin.get_by_role("button", name="Publier cette version").click()
    expect(admin.locator(".messages")).to_contain_text("de la charte est publiée")
    expect(admin.locator("main")).to_contain_text("1 adhésion à re-signer")
    steps.shot(admin, f"{width}-versions")
    new = Charter.objects.get(is_current=True)

    # The member, signed in, sees the banner on every page.
    page = new_context(viewport=viewport).new_page()
    log_in(page, agent.email, PASSWORD)
    page.goto("/mon-espace/")
    banner = page.locator(".banner-charter")
    expect(banner).to_contain_text("La charte de l'alliance a évolué.")
    steps.shot(page, f"{width}-bandeau")

    # The re-sign page shows what changed, paragraph by paragraph, and the deadline.
    banner.get_by_role("link", name="Voir les changements et signer").click()
    page.wait_for_url(re.compile(r"/alliance/charte/signer/$"))
    expect(page.locator("h2#changes-title")).to_have_text(f"Ce qui change dans la version {new.version}")
    expect(page.locator(".charter-changes .change-added")).to_contain_text(NEW_COMMITMENT)
    expect(page.locator(".charter-changes .change-changed ins")).to_contain_text("de société.")
    expect(page.locator("main")).to_contain_text("À signer avant le")
    expect(page.locator(".banner-charter")).to_have_count(0)
    steps.shot(page, f"{width}-changements")
    page.get_by_label("J'ai lu la nouvelle version de la charte et je la signe.").check()
    page.get_by_role("button", name="Signer la nouvelle version").click()
    page.wait_for_url(re.compile(r"/mon-espace/$"))
    expect(page.locator(".messages")).to_contain_text("vous avez signé la nouvelle version")
    expect(page.locator(".banner-charter")).to_have_count(0)
    steps.shot(page, f"{width}-signee")
    membership.refresh_from_db()
    assert membership.charter == new
