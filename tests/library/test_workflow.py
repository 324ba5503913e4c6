"""Writing a resource and its review: brouillon → à relire → publiée, and back to the authors."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import history_of
from library import services
from library.models import Resource, ResourceKind, ResourceStatus
from notifications.models import Notification

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Le schéma actantiel",
    "kind": "fiche_outil",
    "summary": "Un outil pour raconter la coopération.",
    "body": "Destinateur, sujet, objet.",
}


def test_a_member_writes_a_draft_that_only_they_and_the_publishers_see(world, client_for):
    response = client_for("elu").post(reverse("library:create"), {**VALID, "themes": ["1"]})

    resource = Resource.objects.get(title=VALID["title"], authors=world.users["elu"])
    assert response.status_code == 302 and response["Location"] == reverse("library:edit", args=[resource.pk])
    assert resource.status == ResourceStatus.DRAFT and resource.published_at is None
    assert list(resource.authors.all()) == [world.users["elu"]]
    assert [entry.action for entry in history_of(resource)] == ["resource.create"]


@pytest.mark.parametrize("role", ["outsider", "dgs"])
def test_accounts_outside_the_alliance_cannot_write_resources(world, client_for, role):
    assert client_for(role).get(reverse("library:create")).status_code == 403
    assert client_for(role).post(reverse("library:create"), VALID).status_code == 403
    assert not Resource.objects.filter(title=VALID["title"], authors=world.users[role]).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"kind": "evenement"}, "starts_on", "Un événement a une date de début."),
        ({"kind": "video_lien"}, "url", "Une vidéo ou un lien a une adresse."),
        (
            {"kind": "evenement", "starts_on": "2026-05-25", "ends_on": "2026-05-17"},
            None,
            "La date de fin ne peut pas précéder la date de début.",
        ),
        ({"url": "javascript:alert(1)"}, "url", "Saisissez une URL valide."),
    ],
)
def test_bad_input_gives_a_french_error_and_keeps_what_was_typed(world, client_for, changes, field, message):
    before = Resource.objects.count()

    response = client_for("agent").post(reverse("library:create"), {**VALID, **changes})

    assert response.status_code == 200
    assert message in response.context["form"].errors.get(field or "__all__", [])
    assert "Destinateur, sujet, objet.</textarea>" in response.content.decode()
    assert Resource.objects.count() == before


def test_the_author_submits_the_draft_and_the_publishers_are_told(world, client_for):
    draft = world.draft_resource

    response = client_for("agent").post(reverse("library:submit", args=[draft.pk]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ResourceStatus.REVIEW
    told = set(
        Notification.objects.filter(kind="library.submitted").values_list("recipient__email", flat=True)
    )
    assert told == {world.users["facilitator"].email, world.users["admin"].email}


def test_an_author_cannot_publish_their_own_resource(world, client_for):
    response = client_for("agent").post(reverse("library:publish", args=[world.review_resource.pk]))

    assert response.status_code == 403
    world.review_resource.refresh_from_db()
    assert world.review_resource.status == ResourceStatus.REVIEW


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_a_publisher_publishes_a_resource_under_review_and_the_authors_are_told(world, client_for, role):
    resource = world.review_resource

    client_for(role).post(reverse("library:publish", args=[resource.pk]))

    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED and resource.published_at is not None
    assert Notification.objects.filter(kind="library.published", recipient=world.users["agent"]).exists()
    assert resource.title in client_for("anonymous").get(reverse("library:list")).content.decode()


def test_a_draft_cannot_be_published_without_its_review(world, admin_user):
    with pytest.raises(services.DomainError, match="seule une ressource à relire se publie"):
        services.resource_publish(actor=admin_user, resource=world.draft_resource)


def test_a_publisher_sends_a_published_resource_back_with_a_message(world, client_for):
    resource = world.resource

    response = client_for("admin").post(
        reverse("library:send_back", args=[resource.pk]), {"message": "Ajoutez la source du schéma."}
    )

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DRAFT and resource.published_at is None
    notification = Notification.objects.get(kind="library.sent_back", recipient=world.users["agent"])
    assert notification.excerpt == "Ajoutez la source du schéma."
    assert resource.title not in client_for("anonymous").get(reverse("library:list")).content.decode()
    page = client_for("agent").get(reverse("library:detail", args=[resource.pk])).content.decode()
    assert "Ajoutez la source du schéma." in page


def test_sending_back_without_a_message_changes_nothing(world, client_for):
    response = client_for("facilitator").post(
        reverse("library:send_back", args=[world.review_resource.pk]), {"message": "  "}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Dites aux auteur·ices ce qu'il faut reprendre."
    ]
    world.review_resource.refresh_from_db()
    assert world.review_resource.status == ResourceStatus.REVIEW


def test_the_author_edits_the_draft_but_not_once_it_is_submitted(world, client_for):
    edit = reverse("library:edit", args=[world.draft_resource.pk])
    response = client_for("agent").post(edit, {**VALID, "title": "La note d'intention"})
    assert response.status_code == 302
    world.draft_resource.refresh_from_db()
    assert world.draft_resource.title == "La note d'intention"

    assert (
        client_for("agent").get(reverse("library:edit", args=[world.review_resource.pk])).status_code == 403
    )
    assert client_for("agent").get(reverse("library:edit", args=[world.resource.pk])).status_code == 403


def test_a_publisher_corrects_a_published_resource(world, client_for):
    response = client_for("facilitator").post(
        reverse("library:edit", args=[world.resource.pk]), {**VALID, "title": "Le schéma actantiel (Greimas)"}
    )

    assert response.status_code == 302
    world.resource.refresh_from_db()
    assert world.resource.title == "Le schéma actantiel (Greimas)"
    assert world.resource.status == ResourceStatus.PUBLISHED


def test_an_invalid_edit_loses_nothing_already_saved(world, client_for):
    edit = reverse("library:edit", args=[world.draft_resource.pk])

    response = client_for("agent").post(edit, {**VALID, "title": ""})

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.context["form"].errors["title"]
    world.draft_resource.refresh_from_db()
    assert world.draft_resource.title == "La note d'intention, pas à pas"


def test_the_services_refuse_what_the_state_does_not_allow(world):
    agent, elu = world.users["agent"], world.users["elu"]
    with pytest.raises(services.DomainError, match="déjà soumise"):
        services.resource_submit(actor=agent, resource=world.review_resource)
    with pytest.raises(services.DomainError, match="auteur·ices"):
        services.resource_submit(actor=elu, resource=world.draft_resource)
    with pytest.raises(services.DomainError, match="seul un brouillon se modifie"):
        services.resource_update(actor=agent, resource=world.review_resource, fields={"title": "x"})
    with pytest.raises(services.DomainError, match="publient"):
        services.resource_publish(actor=agent, resource=world.review_resource)
    with pytest.raises(services.DomainError, match="déjà un brouillon"):
        services.resource_send_back(actor=world.users["admin"], resource=world.draft_resource, message="x")


def test_the_database_refuses_a_published_resource_without_date_and_an_event_without_start(agent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(title="x", kind=ResourceKind.TOOL, summary="x", status="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(title="x", kind=ResourceKind.EVENT, summary="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(title="x", kind=ResourceKind.MEDIA, summary="x")
    Resource.objects.create(
        title="x", kind=ResourceKind.TOOL, summary="x", status="published", published_at=timezone.now()
    )


def test_a_publisher_correcting_a_resource_keeps_the_territories_they_cannot_see(world, client_for):
    resource = world.draft_resource
    resource.territories.add(world.other_territory)
    edit = reverse("library:edit", args=[resource.pk])

    page = client_for("facilitator").get(edit)

    assert world.other_territory in page.context["form"].fields["territories"].queryset
    assert f'<option value="{world.other_territory.pk}" selected>' in page.content.decode()


def test_updating_some_fields_through_the_service_leaves_themes_and_territories_alone(world):
    services.resource_update(actor=world.users["admin"], resource=world.resource, fields={"title": "Nouveau"})

    assert [t.slug for t in world.resource.themes.all()] == ["cooperation-management"]
    assert list(world.resource.territories.all()) == [world.territory]
