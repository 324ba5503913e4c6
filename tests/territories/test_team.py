"""A territory's team: invitations (sent, accepted, declined, revoked, expired, reused, to the wrong account),
role changes and removals, who may do what on the team pages, and what they cost in queries."""

import html
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.errors import DomainError
from core.models import AuditEntry
from outbox.models import OutgoingEmail
from territories import services
from territories.models import Invitation, InvitationStatus, TeamMember, TeamRole
from tests.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

INVITED = "nouvelle.collegue@exemple.fr"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _invitee():
    return UserFactory(email=INVITED, full_name="Nadia Nouvelle")


def _team_url(world):
    return reverse("territories:team", args=[world.territory.pk])


def _member_url(world, member, action="member_change"):
    return reverse(f"territories:{action}", args=[world.territory.pk, member.pk])


def _agent_member(world):
    return TeamMember.objects.get(territory=world.territory, user=world.users["agent"])


# --- Services: invitations ---------------------------------------------------------------------------


def test_an_invitation_is_mailed_once_the_transaction_commits_with_its_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = services.invitation_create(
            actor=world.users["agent"],
            territory=world.territory,
            email="  Paul.Durand@Exemple.fr ",
            role=TeamRole.ELU,
            is_manager=True,
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()

    assert invitation.email == "paul.durand@exemple.fr"
    [message] = mail.outbox
    assert message.to == ["paul.durand@exemple.fr"]
    assert message.reply_to == [world.users["agent"].email]
    assert "Invitation à rejoindre l'équipe de Pôle Territorial du Tarn" in message.subject
    link = f"http://testserver{reverse('territories:invitation', args=[invitation.token])}"
    assert link.replace("http://testserver", "") in message.body
    assert "Antoine Agent vous invite" in message.body
    assert "« Élu·e »" in message.body
    assert "Vous gérerez aussi le territoire" in message.body
    expiry = timezone.localtime(invitation.expires_at)
    assert f"{expiry.day} " in message.body and str(expiry.year) in message.body


def test_the_mailed_link_is_built_on_the_site_url(world, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://fabrique.exemple.fr"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=world.users["agent"], territory=world.territory, email="a@exemple.fr", role=TeamRole.AGENT
        )
    assert f"https://fabrique.exemple.fr/territoires/invitation/{invitation.token}/" in mail.outbox[0].body


def test_an_invitation_revoked_before_the_mail_goes_out_is_not_sent(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            actor=world.users["agent"], territory=world.territory, email="a@exemple.fr", role=TeamRole.AGENT
        )
    services.invitation_revoke(actor=world.users["agent"], invitation=invitation)
    callbacks[0]()
    assert mail.outbox == []
    email = OutgoingEmail.objects.get(object_id=invitation.pk, kind="territories.invitation")
    assert email.status == "cancelled"


def test_accepting_an_invitation_makes_the_person_a_member_with_the_invited_role(world):
    invitee = _invitee()
    member = services.invitation_accept(user=invitee, token=world.invitation.token)
    assert (member.territory, member.user, member.role, member.is_manager) == (
        world.territory,
        invitee,
        TeamRole.TECHNICIEN,
        False,
    )
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.ACCEPTED
    assert world.invitation.answered_by == invitee
    assert AuditEntry.objects.filter(action="invitation.accept").exists()


def test_declining_an_invitation_adds_nobody_to_the_team(world):
    invitee = _invitee()
    services.invitation_decline(user=invitee, token=world.invitation.token)
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.DECLINED
    assert not TeamMember.objects.filter(user=invitee).exists()


def test_a_revoked_invitation_can_no_longer_be_accepted(world):
    invitee = _invitee()
    services.invitation_revoke(actor=world.users["agent"], invitation=world.invitation)
    with pytest.raises(DomainError, match="déjà reçu une réponse ou a été annulée"):
        services.invitation_accept(user=invitee, token=world.invitation.token)
    with pytest.raises(DomainError, match="n'est plus en attente"):
        services.invitation_revoke(actor=world.users["agent"], invitation=world.invitation)


def test_an_expired_link_is_refused(world):
    invitee = _invitee()
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError, match="a expiré"):
        services.invitation_accept(user=invitee, token=world.invitation.token)
    assert not TeamMember.objects.filter(user=invitee).exists()


def test_a_link_already_used_is_refused(world):
    invitee = _invitee()
    services.invitation_accept(user=invitee, token=world.invitation.token)
    with pytest.raises(DomainError, match="déjà reçu une réponse"):
        services.invitation_accept(user=invitee, token=world.invitation.token)
    with pytest.raises(DomainError, match="déjà reçu une réponse"):
        services.invitation_decline(user=invitee, token=world.invitation.token)


def test_an_invitation_is_refused_to_another_account_and_names_the_address_it_was_sent_to(world):
    with pytest.raises(DomainError, match=re.escape(INVITED)):
        services.invitation_accept(user=world.users["outsider"], token=world.invitation.token)
    assert not TeamMember.objects.filter(territory=world.territory, user=world.users["outsider"]).exists()


def test_an_invitation_sent_to_a_verified_second_address_of_the_account_can_be_accepted(world):
    person = UserFactory(email="nadia.perso@exemple.fr")
    EmailAddress.objects.create(user=person, email="Nouvelle.Collegue@exemple.fr", verified=True)
    assert services.invitation_accept(user=person, token=world.invitation.token).user == person


def test_an_unverified_second_address_does_not_open_the_invitation(world):
    person = UserFactory(email="nadia.perso@exemple.fr")
    EmailAddress.objects.create(user=person, email=INVITED, verified=False)
    with pytest.raises(DomainError, match="a été envoyée à"):
        services.invitation_accept(user=person, token=world.invitation.token)


def test_inviting_the_same_address_again_replaces_the_pending_invitation(world):
    again = services.invitation_create(
        actor=world.users["agent"], territory=world.territory, email=INVITED, role=TeamRole.AGENT
    )
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.REVOKED
    pending = Invitation.objects.filter(territory=world.territory, status=InvitationStatus.PENDING)
    assert list(pending) == [again]
    with pytest.raises(DomainError):
        services.invitation_accept(user=_invitee(), token=world.invitation.token)


def test_a_member_of_the_team_cannot_be_invited_again(world):
    with pytest.raises(DomainError, match="fait déjà partie de l'équipe"):
        services.invitation_create(
            actor=world.users["agent"], territory=world.territory, email="DGS@exemple.fr", role=TeamRole.ELU
        )


def test_open_invitations_are_those_sent_to_a_verified_address_still_pending_and_unexpired(world):
    invitee = _invitee()
    other = services.invitation_create(
        actor=world.users["outsider"],
        territory=world.other_territory,
        email=INVITED,
        role=TeamRole.PARTENAIRE,
    )
    Invitation.objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert list(services.open_invitations_for(invitee)) == [world.invitation]
    assert list(services.open_invitations_for(world.users["outsider"])) == []


# --- Services: roles and removals --------------------------------------------------------------------


def test_a_manager_changes_a_colleagues_role(world):
    changed = services.team_member_change(
        actor=world.users["agent"], member=world.dgs_member, role=TeamRole.ELU, is_manager=True
    )
    changed.refresh_from_db()
    assert (changed.role, changed.is_manager) == (TeamRole.ELU, True)
    assert changed.get_family_display() == "Élu·e"


def test_the_last_manager_cannot_be_demoted(world):
    with pytest.raises(DomainError, match="au moins une personne qui le gère"):
        services.team_member_change(
            actor=world.users["agent"], member=_agent_member(world), role=TeamRole.AGENT, is_manager=False
        )
    assert _agent_member(world).is_manager


def test_the_last_manager_cannot_be_removed(world):
    with pytest.raises(DomainError, match="au moins une personne qui le gère"):
        services.team_member_remove(actor=world.users["agent"], member=_agent_member(world))
    assert TeamMember.objects.filter(pk=_agent_member(world).pk).exists()


def test_a_manager_can_step_down_once_another_manager_is_named(world):
    services.team_member_change(
        actor=world.users["agent"], member=world.dgs_member, role=TeamRole.DGS, is_manager=True
    )
    services.team_member_remove(actor=world.users["agent"], member=_agent_member(world))
    assert not TeamMember.objects.filter(territory=world.territory, user=world.users["agent"]).exists()


# --- The team page: who sees what --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "dgs", "elu", "facilitator", "admin"])
def test_the_team_and_its_facilitators_see_the_team_page(world, client_for, role):
    response = client_for(role).get(_team_url(world))
    assert response.status_code == 200
    text = _text(response)
    assert "Antoine Agent" in text and "Dominique DGS" in text and "Élise Élue" in text
    assert "Fanny Accompagnatrice" in text


def test_the_team_page_groups_people_by_role_with_their_family_function_and_email(world, client_for):
    text = _text(client_for("elu").get(_team_url(world)))
    groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)', text)
    assert [g.strip() for g in groups] == ["Élu·e", "DGS", "Agent / chargé·e de mission"]
    dgs_row = re.search(r'<tr id="member-\d+">\s*<th scope="row">Dominique DGS.*?</tr>', text, re.S).group()
    assert "Agent de collectivité" in dgs_row and "DGS" in dgs_row and "dgs@exemple.fr" in dgs_row


def test_a_manager_of_another_territory_is_refused_this_published_territorys_team(world, client_for):
    assert client_for("outsider").get(_team_url(world)).status_code == 403


def test_the_team_of_an_unpublished_territory_is_hidden_from_outside_it(world, client_for):
    url = reverse("territories:team", args=[world.other_territory.pk])
    assert client_for("agent").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(world):
    response = Client().get(_team_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_only_managers_see_the_invitations_and_the_forms_that_change_the_team(world, client_for):
    manager = _text(client_for("agent").get(_team_url(world)))
    assert INVITED in manager
    assert reverse("territories:invite", args=[world.territory.pk]) in manager
    assert _member_url(world, world.dgs_member) in manager
    assert _member_url(world, world.dgs_member, "member_remove") in manager
    for role in ("dgs", "facilitator"):
        text = _text(client_for(role).get(_team_url(world)))
        assert INVITED not in text
        assert "equipe/inviter/" not in text
        assert _member_url(world, world.dgs_member) not in text
        assert "adressez-vous à une personne qui gère le territoire" in text


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("invite", {"email": "x@exemple.fr", "role": "agent"}),
        ("member_change", {"role": "elu", "is_manager": "on"}),
        ("member_remove", {"confirm": "on"}),
        ("invitation_revoke", {}),
    ],
)
@pytest.mark.parametrize("role", ["dgs", "elu", "facilitator", "outsider"])
def test_people_who_do_not_manage_the_territory_cannot_change_its_team(
    world, client_for, action, payload, role
):
    args = {
        "invite": [world.territory.pk],
        "member_change": [world.territory.pk, world.dgs_member.pk],
        "member_remove": [world.territory.pk, world.dgs_member.pk],
        "invitation_revoke": [world.territory.pk, world.invitation.pk],
    }[action]
    response = client_for(role).post(reverse(f"territories:{action}", args=args), payload)
    assert response.status_code == 403
    world.dgs_member.refresh_from_db()
    world.invitation.refresh_from_db()
    assert world.dgs_member.role == TeamRole.DGS and not world.dgs_member.is_manager
    assert world.invitation.status == InvitationStatus.PENDING
    assert Invitation.objects.filter(territory=world.territory).count() == 1


def test_the_changing_views_only_answer_post(world, client_for):
    response = client_for("agent").get(reverse("territories:invite", args=[world.territory.pk]))
    assert response.status_code == 405


def test_a_member_of_another_territory_cannot_be_reached_through_this_one(world, client_for):
    stranger = TeamMember.objects.get(territory=world.other_territory)
    url = reverse("territories:member_remove", args=[world.territory.pk, stranger.pk])
    assert client_for("agent").post(url, {"confirm": "on"}).status_code == 404
    assert TeamMember.objects.filter(pk=stranger.pk).exists()


# --- The team page: managing -------------------------------------------------------------------------


def test_a_manager_invites_a_colleague_who_receives_the_link(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("agent").post(
            reverse("territories:invite", args=[world.territory.pk]),
            {"email": "paul.durand@exemple.fr", "role": "partenaire"},
        )
    assert response.status_code == 302
    assert response["Location"] == _team_url(world) + "#invitations"
    assert any("L'invitation est envoyée à paul.durand@exemple.fr" in m for m in _messages(response))
    invitation = Invitation.objects.get(email="paul.durand@exemple.fr")
    assert (invitation.role, invitation.is_manager, invitation.invited_by) == (
        TeamRole.PARTENAIRE,
        False,
        world.users["agent"],
    )
    [message] = mail.outbox
    assert reverse("territories:invitation", args=[invitation.token]) in message.body


def test_an_admin_who_is_not_in_the_team_can_invite(world, client_for):
    response = client_for("admin").post(
        reverse("territories:invite", args=[world.territory.pk]), {"email": "p@exemple.fr", "role": "elu"}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="p@exemple.fr", invited_by=world.users["admin"]).exists()


def test_a_mistyped_address_shows_the_team_page_again_with_the_error_and_what_was_typed(world, client_for):
    response = client_for("agent").post(
        reverse("territories:invite", args=[world.territory.pk]),
        {"email": "paul.durand@exemple", "role": "elu", "is_manager": "on"},
    )
    assert response.status_code == 400
    text = _text(response)
    assert "L'invitation n'est pas envoyée" in text
    assert "Saisissez une adresse de courriel valide." in text
    assert 'value="paul.durand@exemple"' in text
    assert re.search(r'<option value="elu"[^>]*selected', text)
    assert re.search(r'name="is_manager"[^>]*checked', text)
    assert not Invitation.objects.filter(email__startswith="paul").exists()


def test_inviting_someone_already_in_the_team_is_explained_and_keeps_the_address(world, client_for):
    response = client_for("agent").post(
        reverse("territories:invite", args=[world.territory.pk]), {"email": "elu@exemple.fr", "role": "elu"}
    )
    assert response.status_code == 400
    text = _text(response)
    assert "Cette personne fait déjà partie de l'équipe." in text
    assert 'value="elu@exemple.fr"' in text


def test_a_manager_changes_a_role_from_the_team_page(world, client_for):
    response = client_for("agent").post(
        _member_url(world, world.dgs_member), {"role": "elu", "is_manager": "on"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#member-{world.dgs_member.pk}")
    world.dgs_member.refresh_from_db()
    assert (world.dgs_member.role, world.dgs_member.is_manager) == (TeamRole.ELU, True)
    assert "Dominique DGS a désormais le rôle « Élu·e » et gère le territoire." in _messages(response)


def test_an_unknown_role_is_refused_on_the_page_and_changes_nothing(world, client_for):
    response = client_for("agent").post(_member_url(world, world.dgs_member), {"role": "roi"})
    assert response.status_code == 400
    text = _text(response)
    assert "Le rôle de Dominique DGS n'est pas changé" in text
    assert "Sélectionnez un choix valide." in text
    assert re.search(rf'<tr id="member-{world.dgs_member.pk}">.*?<details open>', text, re.S)
    world.dgs_member.refresh_from_db()
    assert world.dgs_member.role == TeamRole.DGS


def test_demoting_the_last_manager_is_refused_with_a_message(world, client_for):
    response = client_for("agent").post(_member_url(world, _agent_member(world)), {"role": "agent"})
    assert response.status_code == 302
    assert "Le territoire doit garder au moins une personne qui le gère." in _messages(response)
    assert _agent_member(world).is_manager


def test_removing_the_last_manager_is_refused_with_a_message(world, client_for):
    response = client_for("agent").post(
        _member_url(world, _agent_member(world), "member_remove"), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert "Le territoire doit garder au moins une personne qui le gère." in _messages(response)
    assert TeamMember.objects.filter(territory=world.territory, user=world.users["agent"]).exists()


def test_a_removal_must_be_confirmed(world, client_for):
    response = client_for("agent").post(_member_url(world, world.dgs_member, "member_remove"), {})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer le retrait." in _text(response)
    assert TeamMember.objects.filter(pk=world.dgs_member.pk).exists()


def test_a_manager_removes_a_member(world, client_for):
    response = client_for("agent").post(
        _member_url(world, world.dgs_member, "member_remove"), {"confirm": "on"}
    )
    assert response["Location"] == _team_url(world)
    assert "Dominique DGS est retiré·e de l'équipe." in _messages(response)
    assert not TeamMember.objects.filter(pk=world.dgs_member.pk).exists()
    assert client_for("dgs").get(_team_url(world)).status_code == 403


def test_a_manager_who_leaves_the_team_goes_back_to_their_own_space(world, client_for):
    TeamMember.objects.filter(pk=world.dgs_member.pk).update(is_manager=True)
    response = client_for("agent").post(
        _member_url(world, _agent_member(world), "member_remove"), {"confirm": "on"}
    )
    assert response["Location"] == reverse("dashboards:my_space")
    assert "Vous avez quitté l'équipe du territoire." in _messages(response)


def test_a_manager_revokes_a_pending_invitation(world, client_for):
    url = reverse("territories:invitation_revoke", args=[world.territory.pk, world.invitation.pk])
    response = client_for("agent").post(url)
    assert response["Location"] == _team_url(world) + "#invitations"
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.REVOKED
    again = client_for("agent").post(url)
    assert "Cette invitation n'est plus en attente." in _messages(again)
    assert INVITED not in _text(client_for("agent").get(_team_url(world)))


def test_an_expired_invitation_is_marked_as_such_on_the_team_page(world, client_for):
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    text = _text(client_for("agent").get(_team_url(world)))
    assert "expirée" in text


# --- Answering an invitation -------------------------------------------------------------------------


def _invitation_url(world):
    return reverse("territories:invitation", args=[world.invitation.token])


def test_the_invited_person_sees_the_territory_the_role_the_inviter_and_the_expiry(world):
    response = _client(_invitee()).get(_invitation_url(world))
    assert response.status_code == 200
    text = _text(response)
    assert "Pôle Territorial du Tarn" in text
    assert "Technicien·ne" in text
    assert "Antoine Agent" in text
    assert str(timezone.localtime(world.invitation.expires_at).year) in text
    assert "Accepter l'invitation" in text and "Décliner" in text


def test_accepting_leads_to_the_territorys_dashboard_with_a_welcome(world):
    invitee = _invitee()
    response = _client(invitee).post(_invitation_url(world), {"action": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("territories:dashboard", args=[world.territory.pk])
    assert (
        "Bienvenue dans l'équipe de Pôle Territorial du Tarn : vous y avez le rôle « Technicien·ne »."
        in _messages(response)
    )
    assert TeamMember.objects.get(territory=world.territory, user=invitee).role == TeamRole.TECHNICIEN


def test_declining_leads_back_to_the_persons_space(world):
    invitee = _invitee()
    response = _client(invitee).post(_invitation_url(world), {"action": "decline"})
    assert response["Location"] == reverse("dashboards:my_space")
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.DECLINED
    assert not TeamMember.objects.filter(user=invitee).exists()


def test_an_answer_that_is_neither_accept_nor_decline_is_refused_on_the_page(world):
    response = _client(_invitee()).post(_invitation_url(world), {"action": "peut-être"})
    assert response.status_code == 400
    assert "Choisissez d'accepter ou de décliner l'invitation." in _text(response)
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.PENDING


def test_an_expired_invitation_says_so_and_cannot_be_accepted(world):
    invitee = _invitee()
    Invitation.objects.filter(pk=world.invitation.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    client = _client(invitee)
    page = _text(client.get(_invitation_url(world)))
    assert "Cette invitation a expiré" in page
    assert "Accepter l'invitation" not in page
    response = client.post(_invitation_url(world), {"action": "accept"})
    assert response.status_code == 400
    assert "Cette invitation a expiré" in _text(response)
    assert not TeamMember.objects.filter(user=invitee).exists()


def test_a_reused_link_says_it_was_already_answered_and_points_to_the_dashboard(world):
    invitee = _invitee()
    client = _client(invitee)
    client.post(_invitation_url(world), {"action": "accept"})
    response = client.post(_invitation_url(world), {"action": "decline"})
    assert response.status_code == 400
    text = _text(response)
    assert "Cette invitation a déjà reçu une réponse" in text
    assert reverse("territories:dashboard", args=[world.territory.pk]) in text
    assert TeamMember.objects.filter(user=invitee).exists()


@pytest.mark.parametrize("role", ["outsider", "agent", "facilitator", "admin"])
def test_another_account_reads_which_address_the_invitation_was_sent_to_and_can_log_out(
    world, client_for, role
):
    client = client_for(role)
    page = client.get(_invitation_url(world))
    assert page.status_code == 200
    text = _text(page)
    assert f"Cette invitation a été envoyée à {INVITED}" in text
    assert reverse("account_logout") in text
    assert "Accepter l'invitation" not in text
    response = client.post(_invitation_url(world), {"action": "accept"})
    assert response.status_code == 400
    world.invitation.refresh_from_db()
    assert world.invitation.status == InvitationStatus.PENDING


def test_an_unknown_token_is_a_404(world, client_for):
    response = client_for("agent").get(reverse("territories:invitation", args=["pas-un-jeton"]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_and_back_to_the_invitation(world):
    response = Client().get(_invitation_url(world))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={_invitation_url(world)}"


def test_someone_without_an_account_signs_up_from_the_login_page_and_comes_back_to_the_invitation(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    login_url = client.get(_invitation_url(world))["Location"]
    login_page = _text(client.get(login_url))
    signup_url = f"{reverse('account_signup')}?next={_invitation_url(world)}"
    assert f'href="{signup_url}"' in login_page.replace("%2F", "/")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup_url,
            {
                "email": INVITED,
                "full_name": "Nadia Nouvelle",
                "function": "Technicienne",
                "family": "agent",
                "password1": "Une-Transition-Douce-2026",
                "password2": "Une-Transition-Douce-2026",
                "next": _invitation_url(world),
            },
        )
    assert response.status_code == 302, _text(response)
    [confirmation] = [m for m in mail.outbox if INVITED in m.to]
    confirm_path = re.search(r"https?://[^\s/]+(/comptes/confirm-email/[^\s]+/)", confirmation.body).group(1)
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == _invitation_url(world)

    response = client.post(_invitation_url(world), {"action": "accept"})
    assert response["Location"] == reverse("territories:dashboard", args=[world.territory.pk])
    assert TeamMember.objects.get(user=User.objects.get(email=INVITED)).role == TeamRole.TECHNICIEN


# --- Query counts ------------------------------------------------------------------------------------

# Measured on a session's first page, which also records the charter check in the session; each page counts
# one query for the header's unread notifications.
TEAM_PAGE_QUERIES = 13


def _grow_team(territory, size):
    """Members of every role and as many pending invitations, in a few bulk queries."""
    start = TeamMember.objects.filter(territory=territory).count()
    people = User.objects.bulk_create(
        [
            User(email=f"membre{territory.pk}-{i}@exemple.fr", full_name=f"Membre {i}", password="!")
            for i in range(start, size)
        ]
    )
    roles = list(TeamRole)
    TeamMember.objects.bulk_create(
        TeamMember(territory=territory, user=person, role=roles[i % len(roles)], is_manager=i % 7 == 0)
        for i, person in enumerate(people)
    )
    Invitation.objects.bulk_create(
        Invitation(territory=territory, email=f"invite{i}@exemple.fr", role=TeamRole.AGENT)
        for i in range(size)
    )


@pytest.mark.parametrize("size", [5, 50])
def test_the_team_page_costs_the_same_queries_at_5_and_50_members(
    world, client_for, django_assert_max_num_queries, size
):
    territory = TerritoryFactory(name="Territoire mesuré")
    TeamMember.objects.create(
        territory=territory, user=world.users["agent"], role=TeamRole.AGENT, is_manager=True
    )
    _grow_team(territory, size)
    assert TeamMember.objects.filter(territory=territory).count() == size
    client = client_for("agent")
    url = reverse("territories:team", args=[territory.pk])
    with django_assert_max_num_queries(TEAM_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert _text(response).count('<tr id="member-') == size
    assert _text(response).count("/annuler/") == size


def test_accepting_an_invitation_never_demotes_a_member_who_already_manages(world):
    from territories import services as territory_services
    from territories.models import TeamMember, TeamRole

    agent = world.users["agent"]
    invitation = world.invitation
    invitation.email = agent.email
    invitation.save()
    territory_services.invitation_accept(user=agent, token=invitation.token)
    member = TeamMember.objects.get(territory=world.territory, user=agent)
    assert member.is_manager
    assert member.role == TeamRole.TECHNICIEN
