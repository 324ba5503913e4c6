"""core.middleware.ContentSecurityPolicyMiddleware: the policy of the settings, composed once, is the one
django-csp writes.

core.middleware.NulCharacterMiddleware: a NUL character (U+0000) in the address names no page, and the
query loses its NUL before any view reads it, so none reaches PostgreSQL (which refuses it in a text
parameter). Posted forms keep their own French message beside the field."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import ContentSecurityPolicyMiddleware, NulCharacterMiddleware
from territories.forms import CodeListField, TerritoryCreateForm
from territories.models import Territory

NUL_REFUSED = "Le caractère nul n’est pas autorisé."


@pytest.mark.parametrize("role", ["anonymous", "outsider", "admin"])
def test_a_nul_in_an_invitation_token_names_no_page(world, client_for, role):
    for path in ("/territoires/invitation/%00/", "/territoires/invitation/abc%00def/"):
        response = client_for(role).get(path)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


def test_a_nul_in_the_admins_candidate_search_is_a_search_without_it(world, client_for):
    client = client_for("admin")
    url = reverse("alliance:review_queue")
    plain = client.get(url, {"statut": "accepted", "q": "pole"})
    with_nul = client.get(url, {"statut": "accepted", "q": "po\x00le\x00"})
    assert with_nul.status_code == 200
    assert [m.pk for m in with_nul.context["page"]] == [m.pk for m in plain.context["page"]]
    assert [m.pk for m in with_nul.context["page"]] == [world.agent_membership.pk]


@pytest.mark.parametrize("parameter", ["q", "epcis", "kind", "\x00q"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_nul_in_the_territory_reference_search_is_not_a_server_error(world, client_for, parameter, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for("admin").get(
        reverse("territories:reference_search"), {parameter: "81\x00"}, **headers
    )
    assert response.status_code == 200


@pytest.mark.parametrize("parameter", ["q", "department", "region", "kind", "pilot"])
def test_a_nul_in_the_territory_list_filters_is_not_a_server_error(world, client_for, parameter):
    response = client_for("admin").get(reverse("territories:list"), {parameter: "8\x001"})
    assert response.status_code == 200


def test_a_nul_in_the_project_list_filters_is_not_a_server_error(world, client_for):
    response = client_for("admin").get(reverse("projects:all"), {"theme": "mob\x00ilite", "q": "\x00"})
    assert response.status_code == 200


def test_a_nul_in_the_epci_codes_posted_to_the_territory_creation_gets_a_message_and_creates_nothing(
    world, client_for
):
    territories = Territory.objects.count()
    data = {"kind": "grouping", "manager_role": "agent", "name": "Regroupement", "epcis": "2481\x0000497"}
    response = client_for("admin").post(reverse("territories:create"), data)
    assert response.status_code == 200
    assert "Choisissez au moins un EPCI" in response.content.decode()
    assert Territory.objects.count() == territories


@pytest.mark.parametrize("field", ["q", "name", "epci_sirens"])
def test_a_nul_in_a_text_field_of_the_territory_creation_is_refused_beside_the_field(
    world, client_for, field
):
    territories = Territory.objects.count()
    data = {"kind": "grouping", "manager_role": "agent", "name": "Regroupement", field: "2481\x0000497"}
    response = client_for("admin").post(reverse("territories:create"), data)
    assert response.status_code == 200
    assert NUL_REFUSED in response.content.decode()
    assert Territory.objects.count() == territories


def test_a_query_without_nul_reaches_the_view_untouched():
    seen = []

    def view(request):
        seen.append(request.GET)
        return HttpResponse("ok")

    request = RequestFactory().get("/territoires/", {"q": "Albi", "kind": ["commune", "epci"]})
    original = request.GET
    NulCharacterMiddleware(view)(request)
    assert seen == [original]


def test_the_query_loses_its_nul_characters_in_keys_and_values_and_keeps_every_value():
    seen = []

    def view(request):
        seen.append(request.GET)
        return HttpResponse("ok")

    request = RequestFactory().get("/territoires/", {"q": "Al\x00bi", "k\x00ind": ["commune", "\x00epci"]})
    NulCharacterMiddleware(view)(request)
    assert seen[0].getlist("q") == ["Albi"]
    assert seen[0].getlist("kind") == ["commune", "epci"]
    assert not seen[0]._mutable


def test_a_nul_in_the_chosen_reference_posted_back_creates_nothing(world, client_for):
    territories = Territory.objects.count()
    data = {"kind": "commune", "manager_role": "agent", "q": "albi", "reference": "81004\x00"}
    response = client_for("admin").post(reverse("territories:create"), data)
    assert response.status_code == 200
    assert "Le territoire n'est pas encore créé" in response.content.decode().replace("&#x27;", "'")
    assert Territory.objects.count() == territories


# The code lists of the territory forms hold no NUL either, for a form built outside a request.


def test_a_code_list_drops_a_value_holding_nul():
    assert CodeListField().to_python(["248100497", "2481\x0000497", "\x00", " 81 "]) == ["248100497", "81"]


def test_the_territory_creation_form_with_nul_in_its_code_list_is_invalid_not_a_server_error(world):
    form = TerritoryCreateForm(
        {"kind": "grouping", "manager_role": "agent", "name": "Regroupement", "epcis": ["2481\x0000497"]}
    )
    assert not form.is_valid()
    assert "epci_sirens" in form.errors


# --- The Content-Security-Policy ----------------------------------------------------------------------


def _directives(header):
    return {part.split(" ", 1)[0]: part for part in header.split("; ")}


def _both_policies(respond, path="/"):
    """The headers django-csp's own middleware and ours write for the same request and response."""
    headers = []
    for middleware in (CSPMiddleware, ContentSecurityPolicyMiddleware):
        request = RequestFactory().get(path)
        headers.append(middleware(respond)(request))
    return headers


def _page_with_a_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def test_a_page_with_a_nonce_gets_django_csps_policy_with_its_own_nonce():
    theirs, ours = _both_policies(_page_with_a_nonce)
    nonce, their_nonce = (response.content.decode().split("'")[1] for response in (ours, theirs))
    assert f"'nonce-{nonce}'" in ours[HEADER]
    assert _directives(ours[HEADER]) == _directives(theirs[HEADER].replace(their_nonce, nonce))


def test_a_response_without_a_nonce_gets_the_policy_without_one():
    theirs, ours = _both_policies(lambda request: HttpResponse("x"))
    assert "nonce-" not in ours[HEADER]
    assert _directives(ours[HEADER]) == _directives(theirs[HEADER])
    assert HEADER_REPORT_ONLY not in ours


def test_each_response_gets_its_own_nonce():
    first, second = (_both_policies(_page_with_a_nonce)[1] for _ in range(2))
    assert first[HEADER] != second[HEADER]


def test_a_response_with_a_policy_of_its_own_is_left_to_django_csp():
    def respond(request):
        response = HttpResponse("x")
        response._csp_update = {"img-src": ["https://tuiles.exemple.fr"]}
        return response

    theirs, ours = _both_policies(respond)
    assert "https://tuiles.exemple.fr" in ours[HEADER]
    assert _directives(ours[HEADER]) == _directives(theirs[HEADER])


def test_a_changed_setting_changes_the_policy(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": [SELF]}}
    theirs, ours = _both_policies(lambda request: HttpResponse("x"))
    assert ours[HEADER] == theirs[HEADER] == "default-src 'self'"
    assert _directives(ours[HEADER_REPORT_ONLY]) == _directives(theirs[HEADER_REPORT_ONLY])
    assert "img-src 'self'" in ours[HEADER_REPORT_ONLY]


def test_the_excluded_prefixes_get_no_policy(settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {**policy, "EXCLUDE_URL_PREFIXES": ["/sans/"]}
    theirs, ours = _both_policies(lambda request: HttpResponse("x"), path="/sans/page/")
    assert HEADER not in theirs and HEADER not in ours
