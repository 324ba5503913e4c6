"""Admins edit the texts of the public site in a page of the platform."""

from html import unescape

import pytest
from django.urls import reverse

from core.models import AuditEntry
from pages.models import BlockKey, ContentBlock

pytestmark = pytest.mark.django_db


def test_admin_sees_every_text_of_the_site_with_its_place(client_for):
    page = client_for("admin").get(reverse("pages:admin_index")).content.decode()
    for key in BlockKey.values:
        assert reverse("pages:content_edit", args=[key]) in page
    assert "texte d'origine" in page


def test_admin_edits_a_text_and_the_home_page_shows_it(client_for, client, admin_user):
    admin = client_for("admin")
    form = admin.get(reverse("pages:content_edit", args=["fundamentals"]))
    assert "Créer les conditions d&#x27;engagement des acteurs" in form.content.decode()
    assert "<h3>Les 4 fondamentaux de la conduite de changement systémique</h3>" in form.content.decode()
    response = admin.post(
        reverse("pages:content_edit", args=["fundamentals"]),
        {"title": "Les 4 fondamentaux", "body": "1. S'engager\n2. Coopérer\n3. Se former\n4. Évaluer"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("pages:admin_index")
    block = ContentBlock.objects.get(key=BlockKey.FUNDAMENTALS)
    assert block.updated_by == admin_user
    assert AuditEntry.objects.filter(action="content.edit", actor=admin_user).exists()
    home = unescape(client.get("/").content.decode())
    fundamentals = home.split('id="fundamentals-title"', 1)[1].split("</section>", 1)[0]
    assert "<li>S'engager</li>" in fundamentals and "<li>Coopérer</li>" in fundamentals
    assert "<ol>" in fundamentals


def test_an_empty_text_gives_a_french_error_and_keeps_the_published_one(client_for, admin_user):
    ContentBlock.objects.create(key=BlockKey.ALLIANCE, title="L'alliance", body="Le texte publié.")
    response = client_for("admin").post(
        reverse("pages:content_edit", args=["alliance"]), {"title": "Nouveau titre", "body": "   "}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert "Nouveau titre" in response.content.decode()  # what was typed is kept
    block = ContentBlock.objects.get(key=BlockKey.ALLIANCE)
    assert (block.title, block.body) == ("L'alliance", "Le texte publié.")


def test_an_unknown_place_is_not_found(client_for):
    assert client_for("admin").get(reverse("pages:content_edit", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "agent", "facilitator"])
def test_only_admins_edit_the_site_s_texts(client_for, role):
    client = client_for(role)
    assert client.get(reverse("pages:admin_index")).status_code == 403
    response = client.post(
        reverse("pages:content_edit", args=["alliance"]), {"title": "Piraté", "body": "Piraté"}
    )
    assert response.status_code == 403
    assert not ContentBlock.objects.exists()


@pytest.mark.parametrize("saved", [0, len(BlockKey.values)])
def test_admin_page_query_count_is_bounded(client_for, admin_user, saved, django_assert_max_num_queries):
    for key in BlockKey.values[:saved]:
        ContentBlock.objects.create(key=key, title=key, body=key)
    admin = client_for("admin")
    # The session, the user, the admins' second factor, the charter and notification checks, the blocks.
    with django_assert_max_num_queries(12):
        assert admin.get(reverse("pages:admin_index")).status_code == 200
