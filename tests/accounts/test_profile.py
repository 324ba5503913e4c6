"""A person's profile and their space (/mon-espace/)."""

import html

import pytest
from django.urls import reverse

from accounts.models import ActorFamily
from alliance.models import MembershipKind, MembershipStatus, OrganisationPerson
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Victor Visiteur-Martin",
    "function": "Chargé de mission mobilités",
    "phone": "+33 5 63 00 00 00",
    "family": ActorFamily.SOCIO_ECO,
}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_person_edits_their_profile(client_for, outsider):
    client = client_for("outsider")
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:profile"), PROFILE)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    outsider.refresh_from_db()
    assert outsider.full_name == "Victor Visiteur-Martin"
    assert outsider.function == "Chargé de mission mobilités"
    assert outsider.phone == "+33 5 63 00 00 00"
    assert outsider.family == ActorFamily.SOCIO_ECO
    dashboard = client.get(response["Location"])
    assert "Votre profil est enregistré." in _text(dashboard)
    assert "Victor Visiteur-Martin" in _text(dashboard)


def test_the_phone_is_optional(client_for, outsider):
    response = client_for("outsider").post(reverse("accounts:profile"), {**PROFILE, "phone": "  "})
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.phone == ""


@pytest.mark.parametrize("phone", ["appelez-moi", "12", "05 63 <script>", "+33 (0)5 63 ☎"])
def test_an_invalid_phone_is_refused_with_a_french_message(client_for, outsider, phone):
    response = client_for("outsider").post(reverse("accounts:profile"), {**PROFILE, "phone": phone})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Saisissez un numéro de téléphone valide, par exemple 05 63 00 00 00."
    ]
    assert "Saisissez un numéro de téléphone valide" in _text(response)
    outsider.refresh_from_db()
    assert outsider.full_name == "Victor Visiteur"
    assert outsider.phone == ""


def test_a_profile_without_a_name_or_with_an_unknown_family_is_refused(client_for, outsider):
    response = client_for("outsider").post(reverse("accounts:profile"), {**PROFILE, "full_name": "  "})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    response = client_for("outsider").post(reverse("accounts:profile"), {**PROFILE, "family": "ministre"})
    assert "family" in response.context["form"].errors
    outsider.refresh_from_db()
    assert outsider.full_name == "Victor Visiteur"
    assert outsider.family == ActorFamily.AUTRE


def test_the_profile_form_cannot_change_the_role_or_the_email(client_for, outsider):
    client_for("outsider").post(
        reverse("accounts:profile"),
        {**PROFILE, "role": "admin", "is_staff": "on", "email": "pirate@exemple.fr"},
    )
    outsider.refresh_from_db()
    assert outsider.role == "member"
    assert not outsider.is_staff
    assert outsider.email == "visiteur@exemple.fr"


def test_the_profile_and_the_dashboard_are_for_signed_in_people(client):
    for name in ("accounts:profile", "accounts:dashboard"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_lists_the_persons_memberships(world, client_for, agent):
    personal_org = OrganisationFactory(name="Collectif des Mobilités")
    MembershipFactory(organisation=personal_org, signatory=agent, status=MembershipStatus.CANDIDATE)
    response = client_for("agent").get(reverse("accounts:dashboard"))
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


def test_the_dashboard_lists_the_memberships_of_the_persons_organisations(world, client_for, outsider):
    OrganisationPerson.objects.create(organisation=world.public_organisation, person=outsider)
    response = client_for("outsider").get(reverse("accounts:dashboard"))
    assert [m.pk for m in response.context["memberships"]] == [world.agent_membership.pk]


def test_the_dashboard_shows_a_personal_membership(world, client_for):
    response = client_for("elu").get(reverse("accounts:dashboard"))
    memberships = list(response.context["memberships"])
    assert [m.kind for m in memberships] == [MembershipKind.PERSON]
    assert "Élise Élue" in _text(response)


def test_the_dashboard_of_someone_without_membership_invites_them_to_apply(world, client_for):
    response = client_for("outsider").get(reverse("accounts:dashboard"))
    assert list(response.context["memberships"]) == []
    content = _text(response)
    assert "Vous n'avez pas encore adhéré à l'alliance." in content
    assert reverse("alliance:apply") in content


def test_the_dashboard_does_not_show_other_peoples_memberships(world, client_for):
    response = client_for("dgs").get(reverse("accounts:dashboard"))
    assert [m.pk for m in response.context["memberships"]] == [world.candidate_membership.pk]
    # The territory of the same name is the DGS's own (Mes territoires): only the membership must not show.
    assert world.agent_membership.get_absolute_url() not in _text(response)
