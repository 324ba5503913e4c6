"""A person's profile."""

import html

import pytest
from django.urls import reverse

from accounts.models import ActorFamily

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
    assert response["Location"] == reverse("dashboards:my_space")
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
