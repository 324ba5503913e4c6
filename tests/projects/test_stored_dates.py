"""Stored poison: a date out of range is refused beside its field; the extreme dates the database accepts,
even written around the forms, never break the note de faisabilité, its chart or its PDFs."""

import pytest
from django.db import connection
from django.urls import reverse

from documents import services as documents
from documents.models import DocumentStatus

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _add_step_url(deliverable):
    return reverse("projects:part_add", args=[deliverable.project_id, deliverable.kind, "etapes"])


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-01-12", "9999-12-31"), ("0001-01-01", "2026-01-12"), ("1999-12-31", "2026-01-12")],
)
def test_an_implausible_step_date_is_refused_beside_the_field(start, end, world, client_for):
    response = client_for("agent").post(
        _add_step_url(world.draft),
        {"etapes-title": "Bilan", "etapes-start": start, "etapes-end": end},
        **HTMX,
    )
    assert response.status_code == 422
    assert (
        "Vérifiez l&#x27;année : la date doit être comprise entre 2000 et 2100." in response.content.decode()
    )
    assert world.draft.steps.count() == 1


def test_the_extreme_stored_dates_draw_the_page_and_both_pdfs(
    world, client_for, django_capture_on_commit_callbacks
):
    # The widest span the database accepts, written around the forms.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_step SET start = '2000-01-01', \"end\" = '2100-12-31' WHERE id = %s",
            [world.step.pk],
        )
    client = client_for("agent")
    page = client.get(reverse("projects:deliverable", args=[world.draft_project.pk, world.draft.kind]))
    assert page.status_code == 200
    assert "du 01/01/2000 au 31/12/2100" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        note = documents.document_request_note(actor=world.users["agent"], deliverable=world.draft)
        dossier = documents.document_request_dossier(actor=world.users["agent"], project=world.draft_project)
    for document in (note, dossier):
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY, document.error
        assert "2100" in document.source_html
