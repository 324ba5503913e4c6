"""Bad input on the alliance's forms: each gets a clear French message, and nothing is lost.

"Nothing lost": the other fields keep what the person typed in the re-rendered form, and nothing already
saved is changed.
"""

import html
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance import services
from alliance.models import Charter, Membership, MembershipKind, MembershipStatus, Organisation
from core.errors import DomainError

from ..factories import OrganisationFactory, png_bytes, png_upload

VALID_SIREN = "732829320"  # a SIREN with a right check digit
INVALID_SIREN = "123456789"
SIREN_MESSAGE = "Ce numéro SIREN n'est pas valide"


def _page(response) -> str:
    """The page's text with HTML entities decoded (Django escapes apostrophes as &#x27;)."""
    return html.unescape(response.content.decode())


def _field_value(response, name) -> str | None:
    """The value an <input> or <textarea> of the re-rendered form holds."""
    content = response.content.decode()
    for tag in re.findall(r"<input[^>]*>", content):
        if f'name="{name}"' in tag:
            found = re.search(r'value="([^"]*)"', tag)
            return html.unescape(found.group(1)) if found else ""
    textarea = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', content, re.S)
    return html.unescape(textarea.group(1)).strip() if textarea else None


def _selected(response, name) -> str | None:
    content = response.content.decode()
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', content, re.S)
    if select is None:
        return None
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else None


def _application(charter, **changes):
    """A complete application for a new organisation, as the form would send it."""
    data = {
        "kind": MembershipKind.ORGANISATION,
        "mandate": "Directrice générale des services, mandatée par le président",
        "listed_in_directory": "on",
        "charter_version": charter.version,
        "sign": "on",
        "org-name": "Communauté de communes du Haut-Languedoc",
        "org-category": "collectivite",
        "org-siren": VALID_SIREN,
        "org-region": "OCC",
        "org-website": "https://hautlanguedoc.example.fr",
        "org-description": "Une intercommunalité rurale engagée.",
        "org-listed_in_directory": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _edition(organisation, **changes):
    data = {
        "name": organisation.name,
        "category": organisation.category,
        "siren": organisation.siren,
        "region": organisation.region,
        "website": organisation.website,
        "description": organisation.description,
        "listed_in_directory": "on",
    }
    data.update(changes)
    return data


def _snapshot(organisation):
    organisation.refresh_from_db()
    return {
        field.name: getattr(organisation, field.name)
        for field in Organisation._meta.concrete_fields
        if field.name != "logo"
    } | {"logo": organisation.logo.name}


# -- SIREN ---------------------------------------------------------------------------------------------


def test_invalid_siren_is_refused_with_a_french_message_on_the_application_form(world, client_for):
    organisations, memberships = Organisation.objects.count(), Membership.objects.count()

    response = client_for("outsider").post(
        reverse("alliance:apply"), _application(world.charter, **{"org-siren": INVALID_SIREN})
    )

    assert response.status_code == 200
    page = _page(response)
    assert SIREN_MESSAGE in page
    assert "Votre candidature n'est pas encore envoyée" in page
    assert (Organisation.objects.count(), Membership.objects.count()) == (organisations, memberships)
    # What was typed comes back in the form, the faulty SIREN included so it can be corrected.
    assert _field_value(response, "org-name") == "Communauté de communes du Haut-Languedoc"
    assert _field_value(response, "org-siren") == INVALID_SIREN
    assert _field_value(response, "org-website") == "https://hautlanguedoc.example.fr"
    assert _field_value(response, "org-description") == "Une intercommunalité rurale engagée."
    assert _field_value(response, "mandate") == "Directrice générale des services, mandatée par le président"
    assert _selected(response, "org-category") == "collectivite"
    assert _selected(response, "org-region") == "OCC"


def test_invalid_siren_is_refused_with_a_french_message_on_the_organisation_edit_form(world, client_for):
    organisation = world.public_organisation
    before = _snapshot(organisation)

    response = client_for("agent").post(
        reverse("alliance:organisation_edit", args=[organisation.pk]),
        _edition(organisation, name="Pôle Territorial du Tarn (nouveau nom)", siren=INVALID_SIREN),
    )

    assert response.status_code == 200
    page = _page(response)
    assert SIREN_MESSAGE in page
    assert "La fiche n'est pas enregistrée : corrigez les champs signalés." in page
    assert _snapshot(organisation) == before
    assert _field_value(response, "name") == "Pôle Territorial du Tarn (nouveau nom)"
    assert _field_value(response, "siren") == INVALID_SIREN
    # The page's title names the organisation as saved, not as typed in the refused form.
    assert "<h1>Modifier la fiche de Pôle Territorial du Tarn</h1>" in page


# -- Logos ---------------------------------------------------------------------------------------------

BAD_LOGOS = {
    "too_big": (
        lambda: SimpleUploadedFile(
            "logo.png", png_bytes() + b"\0" * (settings.LOGO_MAX_BYTES + 1), content_type="image/png"
        ),
        "la limite est de",
    ),
    "not_an_image_renamed_png": (
        lambda: SimpleUploadedFile("logo.png", b"%PDF-1.7 not an image at all", content_type="image/png"),
        "image",
    ),
    "png_renamed_jpg": (
        lambda: SimpleUploadedFile("logo.jpg", png_bytes(), content_type="image/jpeg"),
        "Le contenu du fichier ne correspond pas à son extension.",
    ),
    "svg": (
        lambda: SimpleUploadedFile(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
            content_type="image/svg+xml",
        ),
        "formats acceptés PNG, JPEG ou WebP",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_LOGOS))
def test_a_bad_logo_is_refused_with_a_french_message_and_the_saved_logo_is_kept(case, world, client_for):
    make_file, expected = BAD_LOGOS[case]
    organisation = world.public_organisation
    before = _snapshot(organisation)
    assert before["logo"], "the test world's organisation has a logo"

    response = client_for("agent").post(
        reverse("alliance:organisation_edit", args=[organisation.pk]),
        _edition(organisation, description="Une nouvelle présentation.", logo=make_file()),
    )

    assert response.status_code == 200
    page = _page(response)
    assert "La fiche n'est pas enregistrée : corrigez les champs signalés." in page
    errors = " ".join(re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S))
    assert expected.lower() in errors.lower(), errors
    assert not re.search(r"\b(upload|file|image is|extension is not allowed)\b", errors, re.I), errors
    assert _snapshot(organisation) == before
    assert organisation.logo.storage.exists(before["logo"])
    assert _field_value(response, "description") == "Une nouvelle présentation."
    # The bad file does not reach the storage either.
    assert not any(
        name.endswith(".svg") or name == "logo.jpg" for name in organisation.logo.storage.listdir("logos")[1]
    )


def test_a_too_big_logo_on_the_application_form_keeps_everything_else(world, client_for):
    organisations, memberships = Organisation.objects.count(), Membership.objects.count()
    big = SimpleUploadedFile(
        "logo.png", png_bytes() + b"\0" * (settings.LOGO_MAX_BYTES + 1), content_type="image/png"
    )

    response = client_for("outsider").post(
        reverse("alliance:apply"), _application(world.charter, **{"org-logo": big})
    )

    assert response.status_code == 200
    page = _page(response)
    assert "la limite est de" in page
    assert "choisissez-le de nouveau" in page  # the browser cannot keep the file: say so
    assert (Organisation.objects.count(), Membership.objects.count()) == (organisations, memberships)
    assert _field_value(response, "org-name") == "Communauté de communes du Haut-Languedoc"
    assert _field_value(response, "org-siren") == VALID_SIREN


def test_a_valid_logo_is_accepted(world, client_for):
    organisation = world.public_organisation
    response = client_for("agent").post(
        reverse("alliance:organisation_edit", args=[organisation.pk]),
        _edition(organisation, logo=png_upload("nouveau.png")),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("logos/") and "nouveau" not in organisation.logo.name


# -- One active membership -----------------------------------------------------------------------------


def test_a_person_applying_twice_for_themselves_gets_a_french_message_and_nothing_is_created(
    world, client_for
):
    # The élu·e of the test world already holds an accepted personal membership.
    count = Membership.objects.count()

    response = client_for("elu").post(
        reverse("alliance:apply"),
        _application(world.charter, kind=MembershipKind.PERSON, mandate="", listed_in_directory=None),
    )

    assert response.status_code == 200
    assert "Vous avez déjà une adhésion personnelle en cours ou active." in _page(response)
    assert Membership.objects.count() == count
    world.personal_membership.refresh_from_db()
    assert world.personal_membership.status == MembershipStatus.ACCEPTED


def test_a_person_with_a_pending_personal_application_cannot_apply_again(world, client_for, outsider):
    client = client_for("outsider")
    payload = _application(world.charter, kind=MembershipKind.PERSON, mandate="")
    assert client.post(reverse("alliance:apply"), payload).status_code == 302

    response = client.post(reverse("alliance:apply"), payload)

    assert response.status_code == 200
    assert "Vous avez déjà une adhésion personnelle en cours ou active." in _page(response)
    assert Membership.objects.filter(signatory=outsider, kind=MembershipKind.PERSON).count() == 1


def test_an_organisation_that_already_has_an_active_membership_cannot_be_chosen_again(world, client_for):
    organisation = world.public_organisation  # accepted in the test world
    count = Membership.objects.count()

    response = client_for("outsider").post(
        reverse("alliance:apply"),
        _application(world.charter, existing_organisation=organisation.pk),
    )

    assert response.status_code == 200
    page = _page(response)
    assert "Sélectionnez un choix valide" in page
    assert "Votre candidature n'est pas encore envoyée" in page
    assert Membership.objects.count() == count
    assert _field_value(response, "mandate") == "Directrice générale des services, mandatée par le président"


def test_the_service_refuses_a_second_active_membership_for_an_organisation_in_french(world, outsider):
    with pytest.raises(DomainError) as error:
        services.membership_apply(
            user=outsider,
            kind=MembershipKind.ORGANISATION,
            charter=world.charter,
            organisation=world.public_organisation,
            mandate="Président",
        )
    assert error.value.message == "Pôle Territorial du Tarn a déjà une adhésion en cours ou active."
    assert world.public_organisation.alliance_memberships.count() == 1


def test_a_new_organisation_with_the_siren_of_a_registered_one_is_refused_in_french(world, client_for):
    OrganisationFactory(name="Déjà inscrite", siren=VALID_SIREN)
    count = Organisation.objects.count()

    response = client_for("outsider").post(reverse("alliance:apply"), _application(world.charter))

    assert response.status_code == 200
    assert "Une organisation avec ce numéro SIREN est déjà inscrite." in _page(response)
    assert Organisation.objects.count() == count
    assert _field_value(response, "org-name") == "Communauté de communes du Haut-Languedoc"


# -- A withdrawn member may apply again ---------------------------------------------------------------


def test_a_withdrawn_member_applying_again_is_allowed_and_a_new_application_is_created(world, client_for):
    elu = world.users["elu"]
    client = client_for("elu")
    withdraw = client.post(
        reverse("alliance:membership_withdraw", args=[world.personal_membership.pk]), {"confirm": "on"}
    )
    assert withdraw.status_code == 302
    world.personal_membership.refresh_from_db()
    assert world.personal_membership.status == MembershipStatus.WITHDRAWN

    response = client.post(
        reverse("alliance:apply"), _application(world.charter, kind=MembershipKind.PERSON, mandate="")
    )

    assert response.status_code == 302
    memberships = Membership.objects.filter(signatory=elu, kind=MembershipKind.PERSON).order_by("created_at")
    assert [m.status for m in memberships] == [MembershipStatus.WITHDRAWN, MembershipStatus.CANDIDATE]
    assert response["Location"] == memberships.last().get_absolute_url()


def test_a_withdrawn_organisation_can_apply_again(world, client_for):
    organisation = world.public_organisation
    services.membership_withdraw(actor=world.users["agent"], membership=world.agent_membership)

    response = client_for("agent").post(
        reverse("alliance:apply"),
        _application(world.charter, existing_organisation=organisation.pk),
    )

    assert response.status_code == 302
    statuses = set(organisation.alliance_memberships.values_list("status", flat=True))
    assert statuses == {MembershipStatus.WITHDRAWN, MembershipStatus.CANDIDATE}


# -- A script tag in a description ---------------------------------------------------------------------


def test_a_script_tag_in_a_description_is_shown_inert_on_the_public_page(world, client_for):
    organisation = world.public_organisation
    description = (
        "Bonjour <script>alert('xss')</script><strong>les allié·es</strong> <img src=x onerror=alert(1)>"
    )
    saved = client_for("agent").post(
        reverse("alliance:organisation_edit", args=[organisation.pk]),
        _edition(organisation, description=description, name="<script>alert('nom')</script>Pôle du Tarn"),
    )
    assert saved.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == description  # kept as typed; made safe when shown

    page = client_for("anonymous").get(organisation.get_absolute_url()).content.decode()

    user_text = re.search(r'<div class="user-text">(.*?)</div>', page, re.S).group(1)
    assert "<script" not in user_text and "alert(" not in user_text
    assert "onerror" not in user_text
    assert "Bonjour" in user_text and "<strong>les allié·es</strong>" in user_text
    # Nowhere on the page does a script come from the user: the only scripts are the site's own.
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;nom&#x27;)&lt;/script&gt;Pôle du Tarn" in page


def test_a_script_tag_in_a_description_is_shown_inert_in_the_directory_and_the_edit_form(world, client_for):
    organisation = world.public_organisation
    organisation.name = "<script>alert(1)</script>Pôle"
    organisation.description = "<script>alert(2)</script>"
    organisation.save()

    directory = client_for("anonymous").get(reverse("alliance:directory")).content.decode()
    edit = client_for("agent").get(reverse("alliance:organisation_edit", args=[organisation.pk]))

    assert "<script>alert" not in directory
    assert "<script>alert" not in edit.content.decode()
    assert _field_value(edit, "description") == "<script>alert(2)</script>"  # escaped in the textarea


# -- Decisions ---------------------------------------------------------------------------------------


def test_refusing_without_a_reason_shows_a_french_message_and_the_application_stays_candidate(
    world, client_for
):
    membership = world.candidate_membership

    response = client_for("admin").post(
        reverse("alliance:membership_decide", args=[membership.pk]), {"decision": "refuse", "reason": "   "}
    )

    assert response.status_code == 400
    assert "Indiquez le motif : il est communiqué au ou à la candidat·e." in _page(response)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANDIDATE
    assert membership.decided_at is None and membership.reason == ""


# -- The charter changed while the person was reading it ----------------------------------------------


def test_a_stale_charter_version_is_refused_with_a_french_message_and_nothing_is_created(world, client_for):
    client = client_for("outsider")
    form_page = client.get(reverse("alliance:apply"))
    assert _field_value(form_page, "charter_version") == str(world.charter.version)
    # Meanwhile the admins publish a new version.
    new = services.charter_publish(
        actor=world.users["admin"], preamble="Nouveau préambule.", commitments=["Un nouvel engagement."]
    )
    counts = (Organisation.objects.count(), Membership.objects.count())

    response = client.post(reverse("alliance:apply"), _application(world.charter))

    assert response.status_code == 200
    page = _page(response)
    assert "La charte a changé pendant votre saisie : relisez la nouvelle version et signez-la." in page
    assert "Nouveau préambule." in page  # the new text is shown to be read
    assert (Organisation.objects.count(), Membership.objects.count()) == counts
    # The next submission signs the new version; everything else typed is still there.
    assert _field_value(response, "charter_version") == str(new.version)
    assert _field_value(response, "org-name") == "Communauté de communes du Haut-Languedoc"
    assert _field_value(response, "mandate") == "Directrice générale des services, mandatée par le président"
    assert Charter.objects.get(pk=world.charter.pk).is_current is False


def test_a_stale_charter_version_on_the_re_signing_form_is_refused_in_french(world, client_for):
    old = world.charter
    new = services.charter_publish(
        actor=world.users["admin"], preamble="Nouveau préambule.", commitments=["Un nouvel engagement."]
    )

    response = client_for("agent").post(
        reverse("alliance:charter_resign"), {"charter_version": old.version, "sign": "on"}
    )

    assert response.status_code == 200
    assert "La charte a encore changé : relisez cette version et signez-la." in _page(response)
    world.agent_membership.refresh_from_db()
    assert world.agent_membership.charter_id == old.pk
    assert new.is_current


def test_a_siren_typed_with_spaces_is_accepted_and_stored_compact(world, client_for):
    org = world.public_organisation
    data = {
        "name": org.name,
        "category": org.category,
        "siren": "732 829 320",
        "region": org.region,
        "website": "",
        "description": org.description,
        "listed_in_directory": "on",
    }
    response = client_for("agent").post(reverse("alliance:organisation_edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.siren == "732829320"


def test_the_edit_form_links_the_current_logo_through_its_access_checked_view(world, client_for):
    org = world.public_organisation
    response = client_for("agent").get(reverse("alliance:organisation_edit", args=[org.pk]))
    html = response.content.decode()
    assert f'href="{reverse("alliance:organisation_logo", args=[org.pk])}"' in html
    assert org.logo.name not in html
