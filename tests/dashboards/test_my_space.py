"""« Mon espace » (/mon-espace/): what the person has to do, their memberships and their territories."""

import html

import pytest
from django.urls import reverse

from alliance.models import MembershipKind, MembershipStatus, OrganisationPerson
from territories import services as territory_services
from territories.models import Invitation, TeamMember, TeamRole
from tests.dashboards.test_todo import MAX_QUERIES
from tests.factories import MembershipFactory, OrganisationFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_profile_and_the_persons_space_are_for_signed_in_people(client):
    for name in ("accounts:profile", "dashboards:my_space"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_persons_space_lists_the_persons_memberships(world, client_for, agent):
    personal_org = OrganisationFactory(name="Collectif des Mobilités")
    MembershipFactory(organisation=personal_org, signatory=agent, status=MembershipStatus.CANDIDATE)
    response = client_for("agent").get(reverse("dashboards:my_space"))
    assert response.status_code == 200
    assert {m.member_name for m in response.context["memberships"]} == {
        "Pôle Territorial du Tarn",
        "Collectif des Mobilités",
    }
    content = _text(response)
    assert "Pôle Territorial du Tarn" in content
    assert "Membre de l'alliance" in content
    assert "Collectif des Mobilités" in content
    assert "Candidature en cours d'examen" in content
    assert reverse("alliance:membership", args=[world.agent_membership.pk]) in content


def test_the_persons_space_lists_the_memberships_of_the_persons_organisations(world, client_for, outsider):
    OrganisationPerson.objects.create(organisation=world.public_organisation, person=outsider)
    response = client_for("outsider").get(reverse("dashboards:my_space"))
    assert [m.pk for m in response.context["memberships"]] == [world.agent_membership.pk]


def test_the_persons_space_shows_a_personal_membership(world, client_for):
    response = client_for("elu").get(reverse("dashboards:my_space"))
    memberships = list(response.context["memberships"])
    assert [m.kind for m in memberships] == [MembershipKind.PERSON]
    assert "Élise Élue" in _text(response)


def test_the_persons_space_of_someone_without_membership_invites_them_to_apply(world, client_for):
    response = client_for("outsider").get(reverse("dashboards:my_space"))
    assert list(response.context["memberships"]) == []
    content = _text(response)
    assert "Vous n'avez pas encore adhéré à l'alliance." in content
    assert reverse("alliance:apply") in content


def test_the_persons_space_does_not_show_other_peoples_memberships(world, client_for):
    response = client_for("dgs").get(reverse("dashboards:my_space"))
    assert [m.pk for m in response.context["memberships"]] == [world.candidate_membership.pk]
    # The territory of the same name is the DGS's own (Mes territoires): only the membership must not show.
    assert world.agent_membership.get_absolute_url() not in _text(response)


# --- Territories and invitations -----------------------------------------------------------------------


def test_the_persons_space_lists_their_open_invitations_and_their_territories(world, client):
    invitee = UserFactory(email=world.invitation.email, full_name="Nadia Nouvelle")
    client.force_login(invitee)
    invitation_url = reverse("territories:invitation", args=[world.invitation.token])
    text = _text(client.get(reverse("dashboards:my_space")))
    assert "Invitations" in text
    assert invitation_url in text
    assert "Vous ne faites partie de l'équipe d'aucun territoire." in text

    territory_services.invitation_accept(user=invitee, token=world.invitation.token)
    text = _text(client.get(reverse("dashboards:my_space")))
    assert invitation_url not in text
    assert reverse("territories:dashboard", args=[world.territory.pk]) in text
    assert world.invitation.get_role_display() in text


def test_the_managers_space_links_to_the_territory_they_manage(world, client_for):
    text = _text(client_for("agent").get(reverse("dashboards:my_space")))
    assert "Mes territoires" in text
    assert reverse("territories:dashboard", args=[world.territory.pk]) in text
    assert "gère le territoire" in text


@pytest.mark.parametrize("size", [5, 50])
def test_the_persons_space_lists_every_territory_and_invitation_at_5_and_50(
    world, client_for, django_assert_max_num_queries, size
):
    agent = world.users["agent"]
    territories = [TerritoryFactory(name=f"Territoire {i}") for i in range(size)]
    TeamMember.objects.bulk_create(
        TeamMember(territory=t, user=agent, role=TeamRole.ELU) for t in territories
    )
    Invitation.objects.bulk_create(
        Invitation(territory=t, email=agent.email, role=TeamRole.AGENT, invited_by=world.users["outsider"])
        for t in territories
    )
    client = client_for("agent")
    client.get(reverse("dashboards:my_space"))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("dashboards:my_space"))
    text = _text(response)
    assert text.count("/territoires/invitation/") == size
    territories_section = text[text.index('id="territories-title"') :]
    assert territories_section.count("/tableau-de-bord/") == size + 1
