"""Personal data (RGPD): a person downloads all their data and deletes their account; others lose nothing."""

import html
import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import privacy
from accounts.models import PrivacyRequest, PrivacyRequestKind, Session, User
from alliance.models import Membership, MembershipKind, MembershipStatus, OrganisationPerson
from core.models import AuditEntry
from library.models import Resource
from notifications.models import Notification, NotificationPreference
from territories import services as territory_services
from territories.models import Invitation, InvitationStatus, TeamMember, TeamRole

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory, TerritoryFactory, UserFactory
from ..library.factories import make_resource

pytestmark = pytest.mark.django_db


def reauthenticated(user):
    """A client of the person who has just typed their password again."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


@pytest.fixture
def person(charter, admin_user):
    """Claire, with data in every app: a personal membership, an organisation she signed for, a territory
    team (that keeps another manager), an invitation she sent, a resource, notifications, two factors."""
    claire = UserFactory(
        email="claire@exemple.fr",
        full_name="Claire Martin",
        function="Chargée de mission",
        phone="05 63 00 00 00",
    )
    EmailAddress.objects.create(user=claire, email="claire.perso@exemple.fr", verified=True)
    TOTP.activate(claire, generate_totp_secret())
    MembershipFactory(
        kind=MembershipKind.PERSON, organisation=None, signatory=claire, status=MembershipStatus.ACCEPTED
    )
    organisation = OrganisationFactory(name="CC du Val Vert")
    MembershipFactory(organisation=organisation, signatory=claire, status=MembershipStatus.ACCEPTED)
    OrganisationPerson.objects.create(organisation=organisation, person=claire, is_referent=True)
    colleague = UserFactory(email="collegue@exemple.fr", full_name="Cyril Collègue")
    OrganisationPerson.objects.create(organisation=organisation, person=colleague, is_referent=True)

    territory = TerritoryFactory(name="Val Vert", is_published=True)
    TeamMember.objects.create(territory=territory, user=claire, role=TeamRole.AGENT, is_manager=True)
    TeamMember.objects.create(territory=territory, user=colleague, role=TeamRole.DGS, is_manager=True)
    territory_services.invitation_create(
        actor=claire, territory=territory, email="invitee@exemple.fr", role=TeamRole.TECHNICIEN
    )
    other = TerritoryFactory(name="Autre")
    Invitation.objects.create(territory=other, email="claire.perso@exemple.fr", role=TeamRole.AGENT)

    resource = make_resource(
        claire, title="Raconter la coopération", status="published", publisher=admin_user
    )
    Notification.objects.create(recipient=claire, kind="library.published", title="Publiée", url="/")
    Notification.objects.create(recipient=colleague, kind="library.published", title="Pour Cyril", url="/")
    NotificationPreference.objects.create(user=claire, kind="library.published", frequency="none")
    return claire, colleague, organisation, territory, resource


# --- Downloading one's data -------------------------------------------------------------------------------


def test_downloading_one_s_data_asks_for_the_password_first(person):
    claire = person[0]
    client = Client()
    client.force_login(claire)
    response = client.post(reverse("accounts:privacy_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not PrivacyRequest.objects.exists()

    # The right password leads back to the page of one's data, which says the download starts and starts it.
    back = client.post(response["Location"], {"password": PASSWORD})
    assert back.status_code == 302
    assert back["Location"] == reverse("accounts:privacy") + "?telecharger=1"
    page = client.get(back["Location"]).content.decode()
    assert "le téléchargement de vos données commence" in html.unescape(page)
    assert re.search(r'<form method="post" action="[^"]+" data-submit-on-load>', page)
    download = client.post(reverse("accounts:privacy_export"))
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(download.content)["profile"]["email"] == "claire@exemple.fr"


def test_the_download_does_not_start_by_itself_without_a_fresh_password(person):
    client = Client()
    client.force_login(person[0])
    page = client.get(reverse("accounts:privacy") + "?telecharger=1").content.decode()
    assert "data-submit-on-load" not in page
    assert "votre mot de passe vous sera demandé" in html.unescape(page)


def test_the_export_gathers_the_person_s_data_across_apps(person):
    claire = person[0]
    response = reauthenticated(claire).post(reverse("accounts:privacy_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    data = json.loads(response.content)
    assert data["account_id"] == claire.pk
    assert data["profile"]["full_name"] == "Claire Martin" and data["profile"]["phone"] == "05 63 00 00 00"
    assert {a["email"] for a in data["email_addresses"]} == {"claire@exemple.fr", "claire.perso@exemple.fr"}
    assert data["two_factor_methods"] == ["totp"]
    assert {m["kind"] for m in data["alliance_memberships"]} == {"person", "organisation"}
    assert data["organisations"][0]["organisation"] == "CC du Val Vert"
    assert data["territory_teams"] == [
        {
            "territory": "Val Vert",
            "role": "agent",
            "is_manager": True,
            "joined_at": data["territory_teams"][0]["joined_at"],
        }
    ]
    assert [i["territory"] for i in data["invitations_received"]] == ["Autre"]
    assert data["invitations_sent"][0]["territory"] == "Val Vert"
    assert any(entry["action"] == "invitation.create" for entry in data["actions"])
    # Other people's data is not the person's: the invitee's address stays out, and so do secrets.
    body = response.content.decode()
    assert "invitee@exemple.fr" not in body
    assert "collegue@exemple.fr" not in body
    assert "secret" not in body and claire.password not in body


def test_each_download_is_logged_for_the_admins(person, client_for):
    claire = person[0]
    reauthenticated(claire).post(reverse("accounts:privacy_export"))
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.user, request.account_id) == (PrivacyRequestKind.EXPORT, claire, claire.pk)
    page = client_for("admin").get(reverse("accounts:privacy_log")).content.decode()
    assert "Téléchargement des données personnelles" in page and f"n° {claire.pk}" in page


@pytest.mark.parametrize("role", ["outsider", "agent", "facilitator"])
def test_only_admins_read_the_register_of_requests(client_for, role):
    assert client_for(role).get(reverse("accounts:privacy_log")).status_code == 403


def test_anonymous_visitors_cannot_download_anything(client, db):
    response = client.post(reverse("accounts:privacy_export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_contribution_registered_by_another_app_joins_the_export(person, monkeypatch):
    from accounts import privacy

    monkeypatch.setattr(
        privacy, "_exporters", [*privacy._exporters, lambda user: {"trainings": ["Cycle de 5 jours"]}]
    )
    data = json.loads(reauthenticated(person[0]).post(reverse("accounts:privacy_export")).content)
    assert data["trainings"] == ["Cycle de 5 jours"]


def test_two_apps_cannot_write_the_same_section(person, monkeypatch):
    from accounts import privacy

    monkeypatch.setattr(privacy, "_exporters", [*privacy._exporters, lambda user: {"profile": {}}])
    with pytest.raises(ValueError, match="profile"):
        privacy.personal_data(person[0])


# --- Deleting one's account -------------------------------------------------------------------------------


def test_the_deletion_page_explains_and_deleting_asks_for_the_password(person):
    claire = person[0]
    client = Client()
    client.force_login(claire)
    page = client.get(reverse("accounts:delete"))
    assert page.status_code == 200
    assert "Compte supprimé" in page.content.decode()
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    claire.refresh_from_db()
    assert claire.is_active and claire.full_name == "Claire Martin"


def test_deleting_without_confirming_gives_a_french_error_and_changes_nothing(person):
    claire = person[0]
    response = reauthenticated(claire).post(reverse("accounts:delete"), {})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer la suppression." in response.content.decode()
    claire.refresh_from_db()
    assert claire.is_active and claire.email == "claire@exemple.fr"


def test_deleting_the_account_anonymises_it_and_keeps_everyone_else_s_data(person):
    claire, colleague, organisation, territory, resource = person
    other_session = Client()
    other_session.force_login(claire)
    client = reauthenticated(claire)

    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("pages:home")
    assert SESSION_KEY not in client.session

    claire.refresh_from_db()
    assert claire.full_name == "Compte supprimé" and str(claire) == "Compte supprimé"
    assert claire.email == f"supprime-{claire.pk}@invalid.local"
    assert (claire.phone, claire.function) == ("", "")
    assert not claire.is_active and not claire.has_usable_password()
    assert not EmailAddress.objects.filter(user=claire).exists()
    assert not Authenticator.objects.filter(user=claire).exists()
    assert not Notification.objects.filter(recipient=claire).exists()
    assert not NotificationPreference.objects.filter(user=claire).exists()
    # Every session of the account ends, not only the one that asked.
    assert other_session.get(reverse("dashboards:my_space")).status_code == 302
    # The person leaves teams and organisations; their personal membership ends.
    assert not TeamMember.objects.filter(user=claire).exists()
    assert not OrganisationPerson.objects.filter(person=claire).exists()
    personal = Membership.objects.get(signatory=claire, kind=MembershipKind.PERSON)
    assert personal.status == MembershipStatus.WITHDRAWN and not personal.listed_in_directory
    # Invitations still waiting for one of the person's addresses are withdrawn.
    assert Invitation.objects.get(email="claire.perso@exemple.fr").status == InvitationStatus.REVOKED
    # Nothing of the others is lost.
    assert Membership.objects.get(organisation=organisation).status == MembershipStatus.ACCEPTED
    assert Membership.objects.get(organisation=organisation).signatory == claire
    assert TeamMember.objects.filter(territory=territory, user=colleague, is_manager=True).exists()
    assert OrganisationPerson.objects.filter(organisation=organisation, person=colleague).exists()
    assert Notification.objects.filter(recipient=colleague).count() == 1
    assert Invitation.objects.get(email="invitee@exemple.fr").invited_by == claire
    assert list(Resource.objects.get(pk=resource.pk).authors.all()) == [claire]
    assert AuditEntry.objects.filter(actor=claire, action="invitation.create").exists()
    assert colleague.email == User.objects.get(pk=colleague.pk).email
    # The admins' register keeps the request.
    assert PrivacyRequest.objects.filter(kind=PrivacyRequestKind.DELETION, account_id=claire.pk).exists()


def test_a_session_row_names_its_person_and_ending_theirs_is_one_statement_that_spares_the_others(db):
    claire, other = UserFactory(), UserFactory()
    clients = [Client() for _ in range(3)]
    clients[0].force_login(claire)
    clients[1].force_login(claire)
    clients[2].force_login(other)
    anonymous = Client()
    anonymous.get(reverse("account_login"))
    assert Session.objects.filter(user=claire).count() == 2
    assert Session.objects.filter(user=other).count() == 1

    with CaptureQueriesContext(connection) as captured:
        privacy._end_sessions(claire)
    assert len(captured) == 1
    assert not Session.objects.filter(user=claire).exists()
    assert Session.objects.filter(user=other).count() == 1
    assert clients[2].get(reverse("dashboards:my_space")).status_code == 200
    assert clients[0].get(reverse("dashboards:my_space")).status_code == 302

    clients[2].logout()
    assert not Session.objects.filter(user=other).exists()


def test_a_deleted_account_cannot_log_in_again(person):
    claire = person[0]
    reauthenticated(claire).post(reverse("accounts:delete"), {"confirm": "on"})
    client = Client()
    client.post(reverse("account_login"), {"login": "claire@exemple.fr", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_the_last_manager_of_a_territory_must_hand_it_over_first(person):
    claire, colleague, _organisation, territory, _resource = person
    TeamMember.objects.filter(user=colleague).update(is_manager=False)
    client = reauthenticated(claire)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert "seule personne qui gère le territoire Val Vert" in page
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 400
    claire.refresh_from_db()
    assert claire.is_active
    assert TeamMember.objects.filter(user=claire, territory=territory).exists()


def test_an_admin_must_hand_over_the_role_first(client_for, admin_user):
    client = reauthenticated(admin_user)
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 400
    assert "Vous êtes administrateur·ice" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
