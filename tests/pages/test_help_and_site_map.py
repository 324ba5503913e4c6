"""The help page and the site map: reached from the footer of every page, they list what each person may
open; the help page says how to use the platform by keyboard and how to reach us."""

from html import unescape

import pytest
from django.urls import reverse

from pages.models import BlockKey, ContentBlock

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_every_page_links_the_help_page_and_the_site_map_from_its_footer(client):
    for url in ("/", reverse("pages:legal"), reverse("territories:list")):
        footer = text_of(client.get(url)).split('<footer class="site-footer">', 1)[1]
        assert f'href="{reverse("pages:help")}"' in footer
        assert f'href="{reverse("pages:site_map")}"' in footer


def test_the_site_map_shows_a_visitor_the_public_sections_and_how_to_sign_in(client):
    page = text_of(client.get(reverse("pages:site_map")))
    assert "<title>Plan du site · La Fabrique des Transitions</title>" in page
    for name in ("alliance:charter", "territories:list", "library:list", "account_login", "pages:help"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("projects:mine")}"' not in page
    assert f'href="{reverse("alliance:review_queue")}"' not in page


def test_the_site_map_shows_an_agent_their_work_space_and_an_admin_the_administration(client_for):
    agent_page = text_of(client_for("agent").get(reverse("pages:site_map")))
    for name in ("dashboards:my_space", "projects:mine", "cooperation:groups", "notifications:preferences"):
        assert f'href="{reverse(name)}"' in agent_page
    assert f'href="{reverse("alliance:review_queue")}"' not in agent_page
    admin_page = text_of(client_for("admin").get(reverse("pages:site_map")))
    assert f'href="{reverse("alliance:review_queue")}"' in admin_page
    assert f'href="{reverse("pages:admin_index")}"' in admin_page


@pytest.mark.parametrize(("role", "offered"), [("agent", False), ("facilitator", True), ("admin", True)])
def test_the_site_map_offers_the_review_queue_to_whom_its_view_admits(client_for, role, offered):
    page = text_of(client_for(role).get(reverse("pages:site_map")))
    assert ("Notes à relire" in page) is offered


def test_the_help_page_explains_the_keyboard_and_shows_the_contact_text(client):
    ContentBlock.objects.update_or_create(
        key=BlockKey.CONTACT,
        defaults={"title": "Nous contacter", "body": "Écrivez à **accessibilite@exemple.fr**."},
    )
    page = text_of(client.get(reverse("pages:help")))
    assert "Aller au contenu" in page and "Échap referme le menu" in page
    assert '<h2 id="contact">Nous contacter</h2>' in page
    assert "<strong>accessibilite@exemple.fr</strong>" in page
    assert f'href="{reverse("pages:accessibility")}"' in page


def test_the_xml_sitemap_lists_the_help_page_and_the_site_map(client):
    xml = client.get(reverse("pages:sitemap")).content.decode()
    assert reverse("pages:help") in xml and reverse("pages:site_map") in xml
