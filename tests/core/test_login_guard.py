"""One login guard for every view: htmx requests get 401 (and, for a GET, HX-Redirect to the login page),
plain requests the login redirect; admin pages refuse other accounts with 403."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from accounts.models import PlatformRole
from core.decorators import admin_required, login_required
from tests.factories import UserFactory
from tests.library.factories import make_resource
from tests.test_architecture import LAYER_OF, ROOT

PAGE = "http://testserver/projets/3/livrables/cadrage/"


@login_required
def private_view(request):
    return HttpResponse("private")


@admin_required
def admin_view(request):
    return HttpResponse("admin")


def request_as(user, method="get", path="/fragment/", htmx=False):
    headers = {"HX-Request": "true", "HX-Current-URL": PAGE} if htmx else {}
    request = getattr(RequestFactory(), method)(path, headers=headers)
    request.user = user
    request.htmx = HtmxDetails(request)
    return request


def test_a_plain_request_without_a_session_is_sent_to_the_login_page_and_back():
    response = private_view(request_as(AnonymousUser(), path="/projets/3/"))
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/projets/3/"


def test_an_htmx_fragment_without_a_session_sends_the_whole_page_to_the_login_page_and_back():
    response = private_view(request_as(AnonymousUser(), htmx=True))
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/comptes/login/?next=/projets/3/livrables/cadrage/"


def test_an_htmx_form_without_a_session_gets_401_and_stays_in_the_page_with_its_text():
    response = private_view(request_as(AnonymousUser(), method="post", htmx=True))
    assert response.status_code == 401
    assert "HX-Redirect" not in response


def test_an_htmx_fragment_of_a_page_on_another_site_is_not_redirected_there():
    request = request_as(AnonymousUser(), htmx=True)
    request.META["HTTP_HX_CURRENT_URL"] = "https://ailleurs.example/piege/"
    request.htmx = HtmxDetails(request)
    response = private_view(request)
    assert response.status_code == 401 and response["HX-Redirect"] == "/comptes/login/"


@pytest.mark.django_db
def test_a_signed_in_person_gets_the_page():
    assert private_view(request_as(UserFactory())).content == b"private"


@pytest.mark.django_db
def test_admin_pages_send_visitors_to_log_in_refuse_other_accounts_and_open_to_admins():
    assert admin_view(request_as(AnonymousUser(), path="/admin-page/"))["Location"].endswith(
        "?next=/admin-page/"
    )
    assert admin_view(request_as(AnonymousUser(), htmx=True)).status_code == 401
    with pytest.raises(PermissionDenied):
        admin_view(request_as(UserFactory()))
    assert admin_view(request_as(UserFactory(role=PlatformRole.ADMIN))).content == b"admin"


@pytest.mark.django_db
def test_a_members_only_resource_asks_visitors_to_log_in_through_the_same_guard(client):
    author = UserFactory(role=PlatformRole.ADMIN)
    resource = make_resource(author, members_only=True, status="published", publisher=author)
    url = reverse("library:detail", args=[resource.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/comptes/login/?next={url}"
    response = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"})
    assert response.status_code == 401 and response["HX-Redirect"] == f"/comptes/login/?next={url}"


def test_no_app_uses_another_login_guard():
    # Django's login_required would answer htmx with a redirect that htmx follows and swaps in.
    others = []
    for app in LAYER_OF:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module in (
                    "django.contrib.auth.decorators",
                    "django.contrib.auth.mixins",
                ):
                    others.append(path.relative_to(ROOT).as_posix())
    assert others == []
