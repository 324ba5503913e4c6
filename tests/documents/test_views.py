"""The PDF buttons, the status page and the download, for each role that matters."""

import re

import pytest
from django.urls import reverse

from documents.models import Document, DocumentStatus

pytestmark = pytest.mark.django_db


def _request_url(world):
    return reverse("documents:request_note", args=[world.project.pk, "cadrage"])


def test_an_agent_of_the_territory_asks_for_a_pdf_and_follows_it(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("agent")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_request_url(world), {"version": "1"})
    document = Document.objects.get(version=world.cadrage.versions.get(number=1))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:status", args=[document.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Télécharger" in page.content.decode()
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "management-des-organisations" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_with_htmx_the_button_answers_the_status_fragment_that_polls(world, client_for):
    client = client_for("elu")
    # Tasks run eagerly only once the transaction commits: in this test it never does, so it stays pending.
    response = client.post(_request_url(world), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-hx-trigger="every 2s"' in body
    assert "En attente" in body


def test_polling_an_unchanged_status_swaps_nothing_so_the_live_region_is_not_read_again(world, client_for):
    client = client_for("elu")
    body = client.post(_request_url(world), HTTP_HX_REQUEST="true").content.decode()
    assert """data-hx-vals='{"seen": "pending"}'""" in body
    document_pk = int(re.search(r'id="document-(\d+)"', body).group(1))
    status_url = reverse("documents:status", args=[document_pk])
    assert client.get(status_url, {"seen": "pending"}, HTTP_HX_REQUEST="true").status_code == 204
    changed = client.get(status_url, {"seen": "running"}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200 and "En attente" in changed.content.decode()


def test_the_pdf_status_is_announced_in_a_live_region_that_stays_in_the_page(world, client_for):
    page = client_for("agent").get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    assert '<div class="pdf-result" role="status" aria-live="polite"></div>' in page


def test_a_ready_document_stops_polling(world, client_for):
    response = client_for("dgs").get(
        reverse("documents:status", args=[world.document.pk]), HTTP_HX_REQUEST="true"
    )
    assert "hx-trigger" not in response.content.decode()


@pytest.mark.parametrize("role", ["outsider"])
def test_an_agent_of_another_territory_finds_no_document(world, client_for, role):
    client = client_for(role)
    assert client.get(reverse("documents:download", args=[world.document.pk])).status_code == 404
    assert client.get(reverse("documents:status", args=[world.document.pk])).status_code == 404
    assert client.post(_request_url(world)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    response = client.get(reverse("documents:download", args=[world.document.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_document_not_ready_cannot_be_downloaded(world, client_for):
    Document.objects.filter(pk=world.document.pk).update(status=DocumentStatus.RUNNING)
    assert client_for("agent").get(reverse("documents:download", args=[world.document.pk])).status_code == 404


def test_an_unknown_version_is_not_found(world, client_for):
    response = client_for("agent").post(_request_url(world), {"version": "99"})
    assert response.status_code == 404
    response = client_for("agent").post(_request_url(world), {"version": "abc"})
    assert response.status_code == 404


def test_a_deliverable_not_yet_open_has_no_pdf(world, client_for):
    url = reverse("documents:request_note", args=[world.project.pk, "faisabilite"])
    assert client_for("agent").post(url).status_code == 404


def test_the_dossier_is_requested_from_the_project(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("facilitator").post(
            reverse("documents:request_dossier", args=[world.project.pk])
        )
    document = Document.objects.get(kind="dossier")
    assert response["Location"] == reverse("documents:status", args=[document.pk])
    assert document.status == DocumentStatus.READY


@pytest.mark.parametrize("version", ["²", "1²", "١", "99999999999999999999", "-1"])
def test_a_version_number_that_is_not_plain_digits_is_not_found(world, client_for, version):
    documents = Document.objects.count()
    response = client_for("agent").post(_request_url(world), {"version": version})
    assert response.status_code == 404
    assert Document.objects.count() == documents
