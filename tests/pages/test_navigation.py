"""pages.navigation: the header's menu and the footer's links, composed once per kind of person and language;
each page marks the link it is under."""

from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import PlatformRole
from pages.navigation import PAGE, SECTION, SiteNavigation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return SiteNavigation(request).menu


def _names(links):
    return [link.url for link in links]


def _urls(*names):
    return [reverse(name) for name in names]


PUBLIC = ("alliance:charter", "alliance:directory", "territories:list", "library:list")
MEMBER = ("projects:mine", "cooperation:groups", "dashboards:my_space")


def test_a_visitor_is_offered_the_public_sections_and_signing_in():
    assert _names(_menu(AnonymousUser())) == _urls(*PUBLIC, "account_login")


def test_a_member_is_offered_their_work_but_no_review_queue_nor_administration():
    assert _names(_menu(UserFactory())) == _urls(*PUBLIC, *MEMBER)


def test_a_facilitator_is_offered_the_review_queue_after_the_projects():
    facilitator = UserFactory(role=PlatformRole.FACILITATOR)
    assert _names(_menu(facilitator)) == _urls(*PUBLIC, "projects:mine", "projects:review_queue", *MEMBER[1:])


def test_an_admin_is_offered_the_administration_and_the_review_queue():
    admin = UserFactory(role=PlatformRole.ADMIN)
    administration = ("alliance:review_queue", "alliance:charter_manage", "pages:admin_index")
    expected = _urls(*PUBLIC, *administration, "projects:mine", "projects:review_queue", *MEMBER[1:])
    assert _names(_menu(admin)) == expected


def test_the_link_of_the_page_shown_and_of_its_section_are_marked():
    member = UserFactory()
    current = {link.url: link.current for link in _menu(member, reverse("library:list"))}
    assert current[reverse("library:list")] == PAGE
    assert set(current.values()) == {PAGE, ""}
    under = {link.url: link.current for link in _menu(member, reverse("library:list") + "12/")}
    assert under[reverse("library:list")] == SECTION
    assert [value for value in under.values() if value] == [SECTION]


def test_the_labels_follow_the_language_of_the_page():
    member = UserFactory()
    french = [link.label for link in _menu(member)]
    with translation.override("en"):
        english = [link.label for link in _menu(member)]
    assert "Les ressources" in french and "Les ressources" not in english
    assert len(english) == len(french)
    assert [link.label for link in _menu(member)] == french


def test_every_page_shows_the_menu_and_the_footer_with_their_addresses(client_for):
    page = unescape(client_for("admin").get(reverse("library:list")).content.decode())
    header, footer = page.split('<footer class="site-footer">', 1)
    assert f'<a href="{reverse("library:list")}" aria-current="page">Les ressources</a>' in header
    assert f'<a href="{reverse("pages:admin_index")}">Site public</a>' in header
    assert f'action="{reverse("account_logout")}"' in header
    assert f'<a href="{reverse("pages:legal")}">Mentions légales et données personnelles</a>' in footer
    assert f'action="{reverse("set_language")}"' in footer


def test_the_language_form_offers_each_language_in_itself_with_the_pages_selected():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    french = SiteNavigation(request).language_options
    assert '<option value="fr" lang="fr" selected>Français</option>' in french
    assert '<option value="en" lang="en">English</option>' in french
    with translation.override("en"):
        english = SiteNavigation(request).language_options
    assert '<option value="fr" lang="fr">Français</option>' in english
    assert '<option value="en" lang="en" selected>English</option>' in english
