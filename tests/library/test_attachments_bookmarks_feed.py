"""Attachments (checked, served through an access-checked view), bookmarks, related resources, the Atom
feed."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.access import resources_visible_to
from library.models import Attachment, Bookmark
from library.selectors import related_resources

from ..factories import png_bytes
from .factories import PDF_BYTES, make_resource

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def zipped(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ODT = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
DOCX = zipped({"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"})


def add(client, resource, name, content, title=""):
    return client.post(
        reverse("library:attachment_add", args=[resource.pk]),
        {"file": SimpleUploadedFile(name, content), "title": title},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("fiche.pdf", PDF_BYTES), ("note.odt", ODT), ("note.docx", DOCX), ("schema.png", png_bytes())],
)
def test_an_author_attaches_documents_and_images_to_the_draft(world, client_for, name, content):
    response = add(client_for("agent"), world.draft_resource, name, content, title="Le document")

    assert response.status_code == 302
    assert world.draft_resource.attachments.filter(title="Le document").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "fiche.pdf",
            b"<html><script>alert(1)</script>",
            "Le contenu du fichier ne correspond pas à son extension.",
        ),
        ("note.docx", ODT, "Le contenu du fichier ne correspond pas à son extension."),
        ("note.odt", DOCX, "Le contenu du fichier ne correspond pas à son extension."),
        ("page.html", b"<html></html>", "Formats acceptés : PDF"),
        ("logo.svg", b"<svg onload='alert(1)'/>", "Formats acceptés : PDF"),
        ("programme.exe", b"MZ", "Formats acceptés : PDF"),
        ("schema.png", b"GIF89a", "Ce fichier n'est pas une image lisible."),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_in_french(world, client_for, name, content, message):
    before = Attachment.objects.count()

    response = add(client_for("agent"), world.draft_resource, name, content)

    assert response.status_code == 200
    assert any(message in error for error in response.context["attachment_form"].errors["file"])
    assert Attachment.objects.count() == before


def test_a_renamed_program_is_refused_as_an_executable(world, client_for):
    response = add(client_for("agent"), world.draft_resource, "fiche.pdf", b"MZ\x90\x00" + b"\x00" * 64)

    assert response.status_code == 200
    assert "programme exécutable" in response.context["attachment_form"].errors["file"][0]


def test_the_attachment_size_limit_is_the_shared_setting(world, client_for, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    before = Attachment.objects.count()

    response = add(client_for("agent"), world.draft_resource, "fiche.pdf", PDF_BYTES + b" " * 2048)

    assert response.status_code == 200
    assert "la limite est de 1 Ko" in response.context["attachment_form"].errors["file"][0]
    assert Attachment.objects.count() == before


def test_an_attachment_is_downloaded_under_a_clean_name_never_shown_inline(world, client_for):
    item = add(client_for("agent"), world.draft_resource, 'Schéma <actantiel> "v2".pdf', PDF_BYTES)
    attachment = world.draft_resource.attachments.latest("added_at")

    response = client_for("agent").get(attachment.get_absolute_url())

    assert item.status_code == 302
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Schema-actantiel-v2.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert not attachment.file.name.startswith("library/Sch")


def test_a_public_resource_s_attachment_may_be_cached(world, client):
    response = client.get(world.attachment.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=3600"


def test_removing_an_attachment_deletes_its_row(world, client_for):
    url = reverse("library:attachment_remove", args=[world.draft_resource.pk, world.draft_attachment.pk])

    assert client_for("agent").post(url).status_code == 302
    assert not Attachment.objects.filter(pk=world.draft_attachment.pk).exists()


def test_a_member_bookmarks_a_resource_and_finds_it_in_their_space(world, client_for):
    client = client_for("elu")
    url = reverse("library:bookmark", args=[world.resource.pk])

    response = client.post(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Retirer de mes favoris" in response.content.decode()
    assert Bookmark.objects.filter(user=world.users["elu"], resource=world.resource).exists()
    mine = client.get(reverse("library:mine"))
    assert [r.title for r in mine.context["bookmarks"]] == [world.resource.title]

    client.post(url)

    assert not Bookmark.objects.filter(user=world.users["elu"]).exists()


def test_a_bookmark_on_a_resource_sent_back_to_draft_no_longer_shows(world, client_for, admin_user):
    from library import services

    Bookmark.objects.create(user=world.users["elu"], resource=world.resource)
    services.resource_send_back(actor=admin_user, resource=world.resource, message="À reprendre.")

    assert client_for("elu").get(reverse("library:mine")).context["bookmarks"] == []


def test_a_draft_cannot_be_bookmarked_by_those_who_cannot_see_it(world, client_for):
    assert (
        client_for("elu").post(reverse("library:bookmark", args=[world.draft_resource.pk])).status_code == 404
    )
    response = client_for("admin").post(reverse("library:bookmark", args=[world.draft_resource.pk]))
    assert response.status_code == 302
    assert not Bookmark.objects.exists()


def test_a_resource_suggests_those_sharing_its_themes_and_territories_first(world, admin_user):
    agent = world.users["agent"]

    def publish(title, **fields):
        return make_resource(agent, title=title, status="published", publisher=admin_user, **fields)

    same_theme_and_territory = publish(
        "Groupe de pairs", themes=["cooperation-management"], territories=[world.territory]
    )
    same_theme = publish("Management par la coopération", kind="methode", themes=["cooperation-management"])
    same_territory = publish("Trajectoire du Pôle", kind="methode", territories=[world.territory])
    publish("Sans rapport", themes=["energie"])
    make_resource(agent, title="Brouillon lié", themes=["cooperation-management"])
    from django.contrib.auth.models import AnonymousUser

    related = list(
        related_resources(
            world.resource,
            resources_visible_to(AnonymousUser()),
            themes=world.resource.themes.all(),
            territories=world.resource.territories.all(),
        )
    )

    assert related[0] == same_theme_and_territory
    assert set(related[1:]) == {same_theme, same_territory}


def test_the_resource_page_shows_related_resources(world, client, admin_user):
    other = make_resource(
        world.users["agent"],
        title="Raconter la coopération",
        themes=["cooperation-management"],
        status="published",
        publisher=admin_user,
    )

    response = client.get(world.resource.get_absolute_url())

    assert response.context["related"] == [other]


def test_the_atom_feed_lists_the_public_resources_newest_first(world, client, admin_user):
    newer = make_resource(
        world.users["agent"],
        title="Le festival Explore Demain",
        summary="Du 17 au 25 mai <script>alert(1)</script> & plus.",
        kind="evenement",
        starts_on="2026-05-17",
        themes=["gouvernance"],
        credits="La Fabrique des Transitions",
        status="published",
        publisher=admin_user,
    )

    response = client.get(reverse("library:feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        newer.title,
        world.public_event.title,
        world.resource.title,
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").endswith(newer.get_absolute_url())
    # A feed reader reads the summary as HTML: the text is escaped so that the script stays text.
    assert first.find(f"{ATOM}summary").get("type") == "html"
    assert (
        first.findtext(f"{ATOM}summary")
        == "Du 17 au 25 mai &lt;script&gt;alert(1)&lt;/script&gt; &amp; plus."
    )
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {"Événement", "Gouvernance"}
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Antoine Agent, La Fabrique des Transitions"
    assert first.findtext(f"{ATOM}published")
    content = response.content.decode()
    assert world.members_resource.title not in content
    assert world.draft_resource.title not in content
    assert world.review_resource.title not in content
