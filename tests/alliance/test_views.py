"""Who may see and do what on the alliance's pages, beyond the generic probe of the access table."""

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import Category, Membership, MembershipKind, MembershipStatus, OrganisationPerson, Region
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, png_upload

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- A membership's page --------------------------------------------------------------------------


def test_an_outsider_gets_a_404_not_a_403_on_another_persons_membership(world, client_for):
    url = reverse("alliance:membership", args=[world.personal_membership.pk])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("agent").get(url).status_code == 404


def test_a_missing_membership_and_a_hidden_one_answer_alike(world, client_for):
    hidden = client_for("outsider").get(reverse("alliance:membership", args=[world.personal_membership.pk]))
    missing = client_for("outsider").get(reverse("alliance:membership", args=[999_999]))
    assert hidden.status_code == missing.status_code == 404


def test_the_signatory_sees_their_membership_with_its_status(world, client_for):
    response = client_for("elu").get(reverse("alliance:membership", args=[world.personal_membership.pk]))
    assert response.status_code == 200
    assert "Membre de l'alliance" in _text(response)


def test_a_referent_of_the_organisation_sees_a_membership_signed_by_a_colleague(world):
    referent = UserFactory()
    OrganisationPerson.objects.create(
        organisation=world.candidate_membership.organisation, person=referent, is_referent=True
    )
    url = reverse("alliance:membership", args=[world.candidate_membership.pk])
    assert _client(referent).get(url).status_code == 200


def test_a_non_referent_person_of_the_organisation_gets_a_404_on_its_membership(world):
    colleague = UserFactory()
    OrganisationPerson.objects.create(organisation=world.public_organisation, person=colleague)
    url = reverse("alliance:membership", args=[world.agent_membership.pk])
    assert _client(colleague).get(url).status_code == 404


def test_an_outsider_cannot_withdraw_someone_elses_membership(world, client_for):
    url = reverse("alliance:membership_withdraw", args=[world.personal_membership.pk])
    response = client_for("outsider").post(url, {"confirm": "on"})
    assert response.status_code == 404
    world.personal_membership.refresh_from_db()
    assert world.personal_membership.status == MembershipStatus.ACCEPTED


def test_the_signatory_withdraws_their_membership_through_the_page(world, client_for):
    client = client_for("elu")
    url = reverse("alliance:membership_withdraw", args=[world.personal_membership.pk])
    response = client.post(url, {"confirm": "on", "reason": "Je change de poste."})
    assert response.status_code == 302
    world.personal_membership.refresh_from_db()
    assert world.personal_membership.status == MembershipStatus.WITHDRAWN
    page = client.get(response["Location"])
    assert "Adhésion retirée" in _text(page)


def test_withdrawing_without_confirming_changes_nothing(world, client_for):
    url = reverse("alliance:membership_withdraw", args=[world.personal_membership.pk])
    response = client_for("elu").post(url, {"reason": "Oups"}, follow=True)
    assert "Cochez la case pour confirmer le retrait." in _text(response)
    world.personal_membership.refresh_from_db()
    assert world.personal_membership.status == MembershipStatus.ACCEPTED


# --- An organisation's pages ----------------------------------------------------------------------


def test_a_non_referent_person_of_the_organisation_gets_a_403_on_its_edit_page(world):
    colleague = UserFactory()
    OrganisationPerson.objects.create(organisation=world.public_organisation, person=colleague)
    url = reverse("alliance:organisation_edit", args=[world.public_organisation.pk])
    assert _client(colleague).get(url).status_code == 403
    assert _client(colleague).post(url, {"name": "Piraté"}).status_code == 403
    world.public_organisation.refresh_from_db()
    assert world.public_organisation.name == "Pôle Territorial du Tarn"


def test_the_referent_edits_the_organisation(world, client_for):
    org = world.public_organisation
    response = client_for("agent").post(
        reverse("alliance:organisation_edit", args=[org.pk]),
        {"name": "Pôle Territorial Albigeois", "category": Category.COLLECTIVITE, "region": Region.OCCITANIE},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Pôle Territorial Albigeois"


def test_the_edit_page_of_a_pending_organisation_is_a_404_for_an_outsider(pending_org, client_for):
    url = reverse("alliance:organisation_edit", args=[pending_org.pk])
    assert client_for("outsider").get(url).status_code == 404
    # Its signatory (the referent) may edit it.
    assert client_for("dgs").get(url).status_code == 200


@pytest.fixture
def pending_org(world):
    """An organisation whose application is still under review, with a logo."""
    organisation = world.candidate_membership.organisation
    organisation.logo = png_upload()
    organisation.save()
    OrganisationPerson.objects.create(organisation=organisation, person=world.users["dgs"], is_referent=True)
    return organisation


@pytest.fixture
def unlisted_org(world):
    """An accepted member organisation that chose not to appear in the directory."""
    organisation = OrganisationFactory(
        name="Association discrète", listed_in_directory=False, logo=png_upload()
    )
    MembershipFactory(organisation=organisation, status=MembershipStatus.ACCEPTED)
    member = UserFactory()
    OrganisationPerson.objects.create(organisation=organisation, person=member)
    organisation.member = member
    return organisation


@pytest.mark.parametrize("org_fixture", ["pending_org", "unlisted_org"])
@pytest.mark.parametrize("url_name", ["alliance:organisation", "alliance:organisation_logo"])
def test_a_private_organisation_and_its_logo_are_404_for_anonymous_and_outsiders(
    org_fixture, url_name, request, world, client_for
):
    organisation = request.getfixturevalue(org_fixture)
    url = reverse(url_name, args=[organisation.pk])
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("elu").get(url).status_code == 404


@pytest.mark.parametrize("url_name", ["alliance:organisation", "alliance:organisation_logo"])
def test_a_pending_organisation_and_its_logo_are_visible_to_its_people_and_admins(
    pending_org, url_name, client_for
):
    url = reverse(url_name, args=[pending_org.pk])
    assert client_for("dgs").get(url).status_code == 200
    assert client_for("admin").get(url).status_code == 200


@pytest.mark.parametrize("url_name", ["alliance:organisation", "alliance:organisation_logo"])
def test_an_unlisted_organisation_and_its_logo_are_visible_to_its_people_and_admins(
    unlisted_org, url_name, client_for
):
    url = reverse(url_name, args=[unlisted_org.pk])
    assert _client(unlisted_org.member).get(url).status_code == 200
    assert client_for("admin").get(url).status_code == 200


def test_a_public_organisation_and_its_logo_are_visible_to_everyone(world, client_for):
    org = world.public_organisation
    page = client_for("anonymous").get(reverse("alliance:organisation", args=[org.pk]))
    assert page.status_code == 200
    assert "Pôle Territorial du Tarn" in _text(page)
    logo = client_for("anonymous").get(reverse("alliance:organisation_logo", args=[org.pk]))
    assert logo.status_code == 200
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")


def test_the_logo_is_stored_under_a_generated_name(world):
    name = world.public_organisation.logo.name
    assert name.startswith("logos/") and "logo" not in name.removeprefix("logos/")


def test_an_organisation_without_logo_answers_404_on_the_logo_url(world, client_for):
    org = OrganisationFactory()
    MembershipFactory(organisation=org, status=MembershipStatus.ACCEPTED)
    assert (
        client_for("anonymous").get(reverse("alliance:organisation_logo", args=[org.pk])).status_code == 404
    )


def test_an_organisations_people_are_named_to_its_people_and_admins_only(world, client_for):
    url = reverse("alliance:organisation", args=[world.public_organisation.pk])
    assert "Antoine Agent" in _text(client_for("agent").get(url))
    assert "Antoine Agent" in _text(client_for("admin").get(url))
    for role in ("anonymous", "outsider"):
        page = _text(client_for(role).get(url))
        assert "Antoine Agent" not in page
        assert "1 personne est rattachée à cette organisation." in page


def test_only_editors_see_the_management_section(world, client_for):
    url = reverse("alliance:organisation", args=[world.public_organisation.pk])
    assert "Gérer l'organisation" in _text(client_for("agent").get(url))
    assert "Gérer l'organisation" not in _text(client_for("outsider").get(url))


def test_the_referent_adds_a_colleague_by_email(world, client_for, outsider):
    response = client_for("agent").post(
        reverse("alliance:organisation_add_person", args=[world.public_organisation.pk]),
        {"email": "VISITEUR@exemple.fr"},
    )
    assert response.status_code == 302
    assert OrganisationPerson.objects.filter(
        organisation=world.public_organisation, person=outsider, is_referent=False
    ).exists()


def test_adding_an_unknown_email_shows_a_clear_message(world, client_for):
    response = client_for("agent").post(
        reverse("alliance:organisation_add_person", args=[world.public_organisation.pk]),
        {"email": "inconnu@exemple.fr"},
        follow=True,
    )
    assert "la personne doit d'abord créer son compte" in _text(response)


# --- The review queue and decisions ---------------------------------------------------------------


def test_the_review_queue_lists_the_oldest_candidate_first(world, client_for):
    recent = MembershipFactory(organisation=OrganisationFactory(name="Candidat récent"))
    oldest = MembershipFactory(organisation=OrganisationFactory(name="Candidat ancien"))
    now = timezone.now()
    Membership.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=1))
    Membership.objects.filter(pk=oldest.pk).update(created_at=now - timedelta(days=30))
    Membership.objects.filter(pk=world.candidate_membership.pk).update(created_at=now - timedelta(days=5))

    response = client_for("admin").get(reverse("alliance:review_queue"))
    assert response.status_code == 200
    listed = [m.member_name for m in response.context["page"]]
    assert listed == ["Candidat ancien", "Réseau candidat", "Candidat récent"]
    assert all(m.status == MembershipStatus.CANDIDATE for m in response.context["page"])


def test_the_review_queue_filters_by_status_and_searches_without_accents(world, client_for):
    client = client_for("admin")
    accepted = client.get(reverse("alliance:review_queue"), {"statut": "accepted"})
    assert {m.pk for m in accepted.context["page"]} == {
        world.agent_membership.pk,
        world.personal_membership.pk,
    }
    found = client.get(reverse("alliance:review_queue"), {"statut": "accepted", "q": "pole"})
    assert [m.pk for m in found.context["page"]] == [world.agent_membership.pk]


@pytest.mark.parametrize("role", ["outsider", "agent", "facilitator"])
def test_non_admins_get_a_403_on_the_review_queue_and_cannot_decide(world, client_for, role):
    client = client_for(role)
    assert client.get(reverse("alliance:review_queue")).status_code == 403
    url = reverse("alliance:membership_decide", args=[world.candidate_membership.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 403
    world.candidate_membership.refresh_from_db()
    assert world.candidate_membership.status == MembershipStatus.CANDIDATE


def test_an_admin_accepts_through_the_page_and_the_applicant_sees_it(
    world, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("alliance:membership_decide", args=[world.candidate_membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(url, {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("alliance:review_queue")
    world.candidate_membership.refresh_from_db()
    assert world.candidate_membership.status == MembershipStatus.ACCEPTED
    assert [m.to for m in mailoutbox] == [["dgs@exemple.fr"]]

    page = client_for("dgs").get(reverse("alliance:membership", args=[world.candidate_membership.pk]))
    assert "Membre de l'alliance" in _text(page)
    dashboard = client_for("dgs").get(reverse("dashboards:my_space"))
    assert "Réseau candidat" in _text(dashboard)
    assert "Membre de l'alliance" in _text(dashboard)


def test_an_admin_refuses_through_the_page_and_the_applicant_reads_the_reason(
    world, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("alliance:membership_decide", args=[world.candidate_membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            url, {"decision": "refuse", "reason": "Le mandat déclaré ne permet pas d'engager le réseau."}
        )
    assert response.status_code == 302
    world.candidate_membership.refresh_from_db()
    assert world.candidate_membership.status == MembershipStatus.REFUSED
    assert "Le mandat déclaré ne permet pas" in mailoutbox[0].body

    page = client_for("dgs").get(reverse("alliance:membership", args=[world.candidate_membership.pk]))
    content = _text(page)
    assert "Candidature refusée" in content
    assert "Le mandat déclaré ne permet pas d'engager le réseau." in content


def test_refusing_without_a_reason_through_the_page_is_a_400_and_changes_nothing(world, client_for):
    url = reverse("alliance:membership_decide", args=[world.candidate_membership.pk])
    response = client_for("admin").post(url, {"decision": "refuse", "reason": " "})
    assert response.status_code == 400
    assert "Indiquez le motif" in _text(response)
    world.candidate_membership.refresh_from_db()
    assert world.candidate_membership.status == MembershipStatus.CANDIDATE


def test_accepting_an_already_accepted_membership_shows_a_message(world, client_for):
    url = reverse("alliance:membership_decide", args=[world.agent_membership.pk])
    response = client_for("admin").post(url, {"decision": "accept"}, follow=True)
    assert "l'action n'est plus possible" in _text(response)


# --- Applying through the page --------------------------------------------------------------------


def test_an_outsider_applies_for_a_new_organisation_through_the_page(world, client_for, outsider):
    response = client_for("outsider").post(
        reverse("alliance:apply"),
        {
            "kind": MembershipKind.ORGANISATION,
            "mandate": "Président de l'association",
            "listed_in_directory": "on",
            "charter_version": world.charter.version,
            "sign": "on",
            "org-name": "Collectif Énergie Citoyenne",
            "org-category": Category.CITOYENS,
            "org-region": Region.BRETAGNE,
        },
    )
    membership = Membership.objects.get(signatory=outsider)
    assert response.status_code == 302 and response["Location"] == membership.get_absolute_url()
    assert membership.organisation.name == "Collectif Énergie Citoyenne"
    assert membership.status == MembershipStatus.CANDIDATE


def test_applying_without_signing_the_charter_is_refused_with_a_message(world, client_for, outsider):
    response = client_for("outsider").post(
        reverse("alliance:apply"),
        {"kind": MembershipKind.PERSON, "charter_version": world.charter.version},
    )
    assert response.status_code == 200
    assert "Pour adhérer, cochez la case qui signe la charte." in _text(response)
    assert not Membership.objects.filter(signatory=outsider).exists()


# --- The directory --------------------------------------------------------------------------------


@pytest.fixture
def allies(world):
    def member(name, category, region, listed=True):
        org = OrganisationFactory(name=name, category=category, region=region, listed_in_directory=listed)
        MembershipFactory(organisation=org, status=MembershipStatus.ACCEPTED)
        return org

    return {
        "bureau": member("Bureau Transitions Bretagne", Category.BUREAU_ETUDES, Region.BRETAGNE),
        "labo": member("Laboratoire des communs", Category.RECHERCHE, Region.OCCITANIE),
        "reseau": member("Réseau Énergie Occitanie", Category.RESEAU, Region.OCCITANIE),
        "hidden": member("Réseau invisible", Category.RESEAU, Region.OCCITANIE, listed=False),
    }


def _names(response):
    return [entry.name for entry in response.context["page"]]


def test_the_directory_lists_accepted_and_listed_organisations_only(allies, world, client):
    response = client.get(reverse("alliance:directory"))
    assert response.status_code == 200
    assert _names(response) == [
        "Bureau Transitions Bretagne",
        "Laboratoire des communs",
        "Pôle Territorial du Tarn",
        "Réseau Énergie Occitanie",
    ]
    assert "Réseau candidat" not in _text(response)


def test_the_directory_filters_by_category(allies, client):
    response = client.get(reverse("alliance:directory"), {"category": Category.RESEAU})
    assert _names(response) == ["Réseau Énergie Occitanie"]


def test_the_directory_filters_by_region(allies, client):
    response = client.get(reverse("alliance:directory"), {"region": Region.OCCITANIE})
    assert _names(response) == [
        "Laboratoire des communs",
        "Pôle Territorial du Tarn",
        "Réseau Énergie Occitanie",
    ]


def test_the_directory_search_ignores_accents_and_case(allies, client):
    assert _names(client.get(reverse("alliance:directory"), {"q": "pole"})) == ["Pôle Territorial du Tarn"]
    assert _names(client.get(reverse("alliance:directory"), {"q": "ENERGIE"})) == ["Réseau Énergie Occitanie"]


def test_the_directory_combines_filters(allies, client):
    response = client.get(
        reverse("alliance:directory"),
        {"region": Region.OCCITANIE, "category": Category.RECHERCHE, "q": "communs"},
    )
    assert _names(response) == ["Laboratoire des communs"]


def test_the_directory_shows_the_count_of_each_category(allies, client):
    response = client.get(reverse("alliance:directory"))
    counts = {value: n for value, _label, n in response.context["counts"]["categories"]}
    assert len(counts) == 8
    assert counts[Category.COLLECTIVITE] == 1
    assert counts[Category.RESEAU] == 1
    assert counts[Category.RECHERCHE] == 1
    assert counts[Category.BUREAU_ETUDES] == 1
    assert counts[Category.MEDIAS] == 0
    assert response.context["counts"]["organisations"] == 4
    assert "4 organisations" in _text(response)


def _counted(client, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("alliance:directory"), params)
    return _text(response), len(captured)


def test_the_directory_is_kept_for_the_next_visitors_until_an_ally_changes(allies, client):
    page, first = _counted(client)
    assert "4 organisations" in page and "Laboratoire des communs" in page
    kept, then = _counted(Client())
    main = kept.split("<main", 1)[1].split("</main>", 1)[0]
    assert main in page and then == 0, "the next visitor's listing is neither counted nor read again"

    # A new ally, one leaving the directory, a new name: the next visitor sees them, in every listing.
    org = OrganisationFactory(name="Nouveau réseau", category=Category.MEDIAS, region=Region.BRETAGNE)
    MembershipFactory(organisation=org, status=MembershipStatus.ACCEPTED)
    page, _n = _counted(client)
    assert "5 organisations" in page and "Nouveau réseau" in page
    assert (
        f'<a href="?category={Category.MEDIAS}">Médias, maisons d\'édition <span class="count">1</span>'
        in page
    )
    allies["labo"].listed_in_directory = False
    allies["labo"].save()
    allies["bureau"].name = "Bureau renommé"
    allies["bureau"].save()
    page, _n = _counted(client)
    assert "4 organisations" in page and "Laboratoire des communs" not in page
    assert "Bureau renommé" in page and "Bureau Transitions Bretagne" not in page
    assert "Bureau renommé" in _counted(client, {"region": Region.BRETAGNE})[0]


def test_the_directory_s_listings_each_keep_their_own_filters_and_pages(allies, client):
    by_region = _counted(client, {"region": Region.BRETAGNE})[0]
    by_category = _counted(client, {"category": Category.RESEAU})[0]
    assert "Bureau Transitions Bretagne" in by_region and "Réseau Énergie Occitanie" not in by_region
    assert "Réseau Énergie Occitanie" in by_category and "Bureau Transitions Bretagne" not in by_category
    # Parameters the listing does not know are not kept, but read and repeated as before.
    other = _counted(client, {"region": Region.BRETAGNE, "utm_source": "lettre"})[0]
    assert "Bureau Transitions Bretagne" in other and "Réseau Énergie Occitanie" not in other


def test_the_directory_shows_persons_only_if_they_agreed(world, client):
    hidden = UserFactory(full_name="Hugo Discret")
    MembershipFactory(
        kind=MembershipKind.PERSON,
        organisation=None,
        signatory=hidden,
        status=MembershipStatus.ACCEPTED,
        listed_in_directory=False,
    )
    candidate = UserFactory(full_name="Paula Candidate")
    MembershipFactory(kind=MembershipKind.PERSON, organisation=None, signatory=candidate)
    response = client.get(reverse("alliance:directory"), {"show": "persons"})
    assert [m.signatory.full_name for m in response.context["page"]] == ["Élise Élue"]
    content = _text(response)
    assert "Hugo Discret" not in content and "Paula Candidate" not in content
    assert response.context["counts"]["persons"] == 1


def test_the_directory_searches_persons_without_accents(world, client):
    response = client.get(reverse("alliance:directory"), {"show": "persons", "q": "elise"})
    assert [m.signatory.full_name for m in response.context["page"]] == ["Élise Élue"]


def test_the_directory_hides_an_organisation_that_chose_to_be_unlisted_on_its_membership(world, client):
    org = OrganisationFactory(name="Adhérent discret")
    MembershipFactory(organisation=org, status=MembershipStatus.ACCEPTED, listed_in_directory=False)
    assert "Adhérent discret" not in _names(client.get(reverse("alliance:directory")))


def test_the_directory_is_paginated(world, client):
    for n in range(30):
        org = OrganisationFactory(name=f"Allié {n:02d}")
        MembershipFactory(organisation=org, status=MembershipStatus.ACCEPTED)
    first = client.get(reverse("alliance:directory"))
    second = client.get(reverse("alliance:directory"), {"page": 2})
    assert len(first.context["page"]) == 24
    assert len(second.context["page"]) == 31 - 24
    assert set(_names(first)).isdisjoint(_names(second))


def test_a_bad_filter_value_does_not_break_the_directory(world, client):
    response = client.get(reverse("alliance:directory"), {"category": "inconnue", "page": "abc"})
    assert response.status_code == 200


# --- The charter's management ---------------------------------------------------------------------


def test_an_admin_publishes_a_new_charter_version_through_the_page(world, client_for):
    response = client_for("admin").post(
        reverse("alliance:charter_manage"),
        {"preamble": "Nouveau préambule", "commitments": "Coopérer\n\nPartager"},
    )
    assert response.status_code == 302
    world.charter.refresh_from_db()
    assert not world.charter.is_current
    public = client_for("anonymous").get(reverse("alliance:charter"))
    assert "Nouveau préambule" in _text(public)


def test_the_audit_log_shows_who_did_what(world, client_for):
    client_for("admin").post(
        reverse("alliance:membership_decide", args=[world.candidate_membership.pk]), {"decision": "accept"}
    )
    response = client_for("admin").get(reverse("alliance:audit_log"))
    assert response.status_code == 200
    entry = response.context["page"][0]
    assert entry.action == "membership.accept"
    assert entry.actor == world.users["admin"]


def test_an_organisation_page_links_the_territory_it_carries(world, client_for):
    response = client_for("anonymous").get(
        reverse("alliance:organisation", args=[world.public_organisation.pk])
    )
    assert world.territory.get_absolute_url() in response.content.decode()


def test_a_collectivity_is_linked_to_its_territory_by_siren(world, client_for):
    world.public_organisation.siren = world.territory.epci.siren
    world.public_organisation.save()
    world.territory.carrier = None
    world.territory.save()
    response = client_for("anonymous").get(
        reverse("alliance:organisation", args=[world.public_organisation.pk])
    )
    assert world.territory.get_absolute_url() in response.content.decode()


def test_an_organisation_page_hides_an_unpublished_territory_from_the_public(world, client_for):
    world.territory.is_published = False
    world.territory.save()
    url = reverse("alliance:organisation", args=[world.public_organisation.pk])
    assert world.territory.get_absolute_url() not in client_for("anonymous").get(url).content.decode()
    assert world.territory.get_absolute_url() in client_for("agent").get(url).content.decode()


@pytest.mark.parametrize("charter", ["²", "١", "99999999999999999999"])
def test_a_charter_version_not_in_plain_digits_is_ignored_by_the_review_queue(world, client_for, charter):
    response = client_for("admin").get(reverse("alliance:review_queue"), {"charte": charter})
    assert response.status_code == 200
    assert world.candidate_membership in response.context["page"]
