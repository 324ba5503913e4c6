"""The État territorial in a territory's team: the State's services are roles of their own, counted in the
family « État territorial » of the 4 Fantastiques."""

import html

import pytest
from django.urls import reverse

from accounts.models import ActorFamily
from territories.models import ROLE_FAMILIES, TeamMember, TeamRole
from territories.team_forms import InviteForm, MemberChangeForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STATE_ROLES = [TeamRole.PREFECTURE, TeamRole.DDT, TeamRole.DREAL, TeamRole.ADEME, TeamRole.ETAT_AUTRE]


def test_the_states_services_belong_to_the_family_etat_territorial():
    assert [role for role in TeamRole if ROLE_FAMILIES[role] == ActorFamily.ETAT] == STATE_ROLES
    # Every family of the 4 Fantastiques has at least one role.
    families = set(ROLE_FAMILIES.values())
    assert {ActorFamily.ELU, ActorFamily.AGENT, ActorFamily.ETAT, ActorFamily.SOCIO_ECO} <= families


def test_the_role_choices_are_grouped_by_family_of_the_4_fantastiques():
    for form in (InviteForm(), MemberChangeForm()):
        groups = dict(form.fields["role"].choices)
        assert [str(label) for label in groups] == [
            "Élu·e",
            "Agent de collectivité",
            "État territorial",
            "Acteur socio-économique",
        ]
        state = dict(groups[next(label for label in groups if str(label) == "État territorial")])
        assert set(state) == {role.value for role in STATE_ROLES}


def test_a_manager_invites_the_ddt_and_changes_a_member_to_the_dreal(world, client_for):
    client = client_for("agent")
    response = client.post(
        reverse("territories:invite", args=[world.territory.pk]),
        {"email": "ddt@tarn.gouv.fr", "role": TeamRole.DDT},
    )
    assert response.status_code == 302
    assert world.territory.invitations.get(email="ddt@tarn.gouv.fr").role == TeamRole.DDT

    response = client.post(
        reverse("territories:member_change", args=[world.territory.pk, world.dgs_member.pk]),
        {"role": TeamRole.DREAL},
    )
    assert response.status_code == 302
    world.dgs_member.refresh_from_db()
    assert world.dgs_member.role == TeamRole.DREAL
    assert world.dgs_member.get_family_display() == "État territorial"


def test_the_dashboard_counts_all_four_families_once_the_state_is_in_the_team(world, client_for):
    TeamMember.objects.create(territory=world.territory, user=UserFactory(), role=TeamRole.PREFECTURE)
    TeamMember.objects.create(territory=world.territory, user=UserFactory(), role=TeamRole.ADEME)
    TeamMember.objects.create(territory=world.territory, user=UserFactory(), role=TeamRole.PARTENAIRE)

    response = client_for("facilitator").get(reverse("territories:dashboard", args=[world.territory.pk]))

    families = dict(response.context["team_by_family"])
    assert families == {
        "Élu·e": 1,
        "Agent de collectivité": 2,
        "État territorial": 2,
        "Acteur socio-économique": 1,
    }
    roles = dict(response.context["team_by_role"])
    assert roles["Préfecture / sous-préfecture"] == 1 and roles["ADEME (direction régionale)"] == 1
    assert "DDT / DDTM" not in roles  # a role nobody holds is left out of the table
    assert "Préfecture / sous-préfecture" in html.unescape(response.content.decode())


def test_the_team_page_lists_the_states_services_under_their_role(world, client_for):
    TeamMember.objects.create(
        territory=world.territory, user=UserFactory(full_name="Sophie Sous-Préfète"), role=TeamRole.PREFECTURE
    )
    text = html.unescape(
        client_for("elu").get(reverse("territories:team", args=[world.territory.pk])).content.decode()
    )
    assert "Sophie Sous-Préfète" in text
    assert "Préfecture / sous-préfecture" in text
    assert "État territorial" in text
