"""The journeys of the alliance in a real Chromium, checked with axe-core, screenshot at each step."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import PlatformRole, User
from alliance.models import Membership, MembershipStatus

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "Une-Transition-Douce-2026"
SIREN = "732829320"


def confirmation_link(email):
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no e-mail sent to {email}; outbox: {[m.subject for m in mail.outbox]}"
    match = re.search(r"https?://[^\s/]+(/comptes/confirm-email/[^\s]+/)", messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def test_sign_up_apply_for_an_organisation_admin_accepts_it_appears_in_the_directory(
    new_context, steps, charter, admin_user
):
    page = new_context().new_page()

    # A newcomer creates an account.
    page.goto("/")
    steps.shot(page, "accueil")
    page.get_by_role("link", name="Créer un compte pour adhérer").click()
    expect(page).to_have_url(re.compile(r"/comptes/signup/$"))
    page.locator("#id_email").fill("claire.martin@exemple.fr")
    page.locator("#id_full_name").fill("Claire Martin")
    page.locator("#id_function").fill("Chargée de mission transition")
    page.locator("#id_family").select_option("agent")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    steps.shot(page, "inscription")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/comptes/confirm-email/$"))
    steps.shot(page, "verification-envoyee")

    # She opens the link of the verification e-mail and confirms her address.
    page.goto(confirmation_link("claire.martin@exemple.fr"))
    steps.shot(page, "confirmation-adresse")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mon-espace/$"))
    expect(page.locator("h1")).to_contain_text("Claire")
    steps.shot(page, "mon-espace")
    user = User.objects.get(email="claire.martin@exemple.fr")
    assert user.full_name == "Claire Martin"
    assert user.family == "agent"

    # She applies on behalf of a new organisation.
    page.get_by_role("link", name="Adhérer à l'alliance").first.click()
    expect(page).to_have_url(re.compile(r"/alliance/adherer/$"))
    steps.shot(page, "adherer")
    page.locator("#id_org-name").fill("Communauté de communes du Val Vert")
    page.locator("#id_org-category").select_option("collectivite")
    page.locator("#id_org-region").select_option("OCC")
    page.locator("#id_org-siren").fill(SIREN)
    page.locator("#id_mandate").fill("Chargée de mission, mandatée par le président.")
    page.locator("#id_sign").check()
    steps.shot(page, "adherer-rempli")
    page.get_by_role("button", name="Signer la charte et envoyer ma candidature").click()
    page.wait_for_url(re.compile(r"/alliance/adhesions/\d+/$"))
    expect(page.locator("main")).to_contain_text("Candidature en cours d'examen")
    steps.shot(page, "candidature-envoyee")
    membership = Membership.objects.get(signatory=user)
    assert membership.status == MembershipStatus.CANDIDATE
    assert membership.organisation.siren == SIREN

    # The alliance admin, in another browser, reviews the application and accepts it.
    admin = new_context().new_page()
    log_in(admin, admin_user.email, PASSWORD, totp_user=admin_user, steps=steps)
    admin.goto("/alliance/admin/candidatures/")
    steps.shot(admin, "admin-file-candidatures")
    admin.get_by_role("link", name="Communauté de communes du Val Vert").click()
    admin.wait_for_url(re.compile(rf"/alliance/adhesions/{membership.pk}/$"))
    steps.shot(admin, "admin-candidature")
    admin.get_by_role("button", name="Accepter").click()
    admin.wait_for_url(re.compile(r"/alliance/admin/candidatures/$"))
    expect(admin.locator(".messages")).to_contain_text("Membre de l'alliance")
    steps.shot(admin, "admin-candidature-acceptee")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACCEPTED

    # An anonymous visitor finds the organisation in the public directory and opens its page.
    visitor = new_context().new_page()
    visitor.goto("/alliance/annuaire/")
    link = visitor.get_by_role("link", name="Communauté de communes du Val Vert")
    expect(link).to_be_visible()
    steps.shot(visitor, "annuaire")
    link.click()
    visitor.wait_for_url(re.compile(rf"/alliance/organisations/{membership.organisation.pk}/$"))
    expect(visitor.locator("h1")).to_have_text("Communauté de communes du Val Vert")
    expect(visitor.locator("main")).to_contain_text(SIREN)
    steps.shot(visitor, "page-organisation")


def test_a_refused_application_shows_its_reason_to_the_applicant(new_context, steps, charter, admin_user):
    applicant = UserFactory(email="paul.durand@exemple.fr", full_name="Paul Durand")
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Bureau d'études Horizon", category="bureau_etudes"),
        signatory=applicant,
    )
    reason = "La fiche de l'organisation est incomplète : précisez votre engagement dans la transition."

    admin = new_context().new_page()
    log_in(admin, admin_user.email, PASSWORD, totp_user=admin_user)
    admin.goto("/alliance/admin/candidatures/")
    admin.get_by_role("link", name="Bureau d'études Horizon").click()
    admin.wait_for_url(re.compile(rf"/alliance/adhesions/{membership.pk}/$"))
    # Refusing without a reason is not possible: the form says why.
    admin.get_by_role("button", name="Refuser").click()
    expect(admin.locator("main")).to_contain_text("Indiquez le motif")
    steps.shot(admin, "admin-refus-sans-motif")
    admin.get_by_label("Motif").fill(reason)
    steps.shot(admin, "admin-refus-avec-motif")
    admin.get_by_role("button", name="Refuser").click()
    admin.wait_for_url(re.compile(r"/alliance/admin/candidatures/$"))
    expect(admin.locator(".messages")).to_contain_text("Candidature refusée")
    steps.shot(admin, "admin-refus-enregistre")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REFUSED

    page = new_context().new_page()
    log_in(page, applicant.email, PASSWORD, steps=steps)
    page.wait_for_url(re.compile(r"/mon-espace/$"))
    steps.shot(page, "mon-espace")
    page.get_by_role("link", name="Bureau d'études Horizon").click()
    page.wait_for_url(re.compile(rf"/alliance/adhesions/{membership.pk}/$"))
    expect(page.locator("main")).to_contain_text("Candidature refusée")
    expect(page.locator(".notice")).to_contain_text(reason)
    steps.shot(page, "adhesion-refusee")
    assert any(reason in m.body for m in mail.outbox if applicant.email in m.to)


def test_home_on_a_phone_skip_link_first(new_context, steps):
    page = new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True).new_page()
    with page.expect_response(lambda r: r.url.endswith("/static/css/site.css")) as css:
        response = page.goto("/")
    assert response.status == 200
    assert css.value.status == 200, "the stylesheet does not load"
    # The stylesheet is applied: the skip link is moved out of view until focused.
    assert page.locator(".skip-link").bounding_box()["x"] < 0
    steps.shot(page, "accueil-375px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the home page scrolls sideways at 375px ({width}px wide)"

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    steps.shot(page, "lien-d-evitement-focus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_an_admin_without_totp_is_sent_to_set_it_up(new_context, steps, charter):
    admin = UserFactory(
        email="nouvelle.admin@exemple.fr", full_name="Nora Admin", role=PlatformRole.ADMIN, is_staff=True
    )
    page = new_context().new_page()
    log_in(page, admin.email, PASSWORD)
    page.goto("/alliance/admin/candidatures/")
    # The password typed to log in a moment ago is enough: the admin lands on the TOTP activation page
    # without typing it a second time.
    page.wait_for_url(re.compile(r"/comptes/2fa/totp/activate/$"))
    expect(page.locator(".messages")).to_contain_text("double authentification")
    expect(page.locator("main")).to_contain_text("code")
    steps.shot(page, "activer-double-authentification")
    # Until it is set up, the admin's powers stay out of reach.
    page.goto("/alliance/admin/candidatures/")
    page.wait_for_url(re.compile(r"/comptes/2fa/totp/activate/$"))
