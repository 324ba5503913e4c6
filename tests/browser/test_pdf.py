"""A member of the territory asks for the PDF of a note, watches it being made by the real Celery worker, and
downloads it; the first page, rendered to PNG with pdftoppm, is saved beside the screenshots."""

import subprocess

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from fabrique.celery import app

from ..factories import PASSWORD
from ..test_celery_worker import celery_configured, real_broker, redis_url  # noqa: F401 - fixtures
from .helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("real_broker"),
]


def test_an_elu_downloads_the_pdf_of_the_note_de_cadrage(new_context, steps, world):
    page = new_context(accept_downloads=True).new_page()
    log_in(page, world.users["elu"].email, PASSWORD)
    page.goto(world.cadrage.get_absolute_url())
    steps.shot(page, "note-de-cadrage")

    # No worker yet: the request is accepted at once and the document waits its turn.
    page.get_by_role("button", name="PDF de la note").click()
    # The live region that screen readers announce, around the document's status.
    status = page.get_by_role("status").filter(has=page.locator(".document-status"))
    expect(status).to_contain_text("attend son tour")
    steps.shot(page, "pdf-en-attente")

    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30):
        download_link = page.get_by_role("link", name="Télécharger")
        expect(download_link).to_be_visible(timeout=90_000)
    expect(status).to_contain_text("Prêt")
    steps.shot(page, "pdf-pret")

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("note-de-cadrage")
    for old in steps.folder.glob("pdf-page-*.png"):
        old.unlink()
    pdf = steps.folder / "note-de-cadrage.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf), str(steps.folder / "pdf-page")],
        check=True,
    )
    # The cover and the first page of the note, to look at.
    assert len(list(steps.folder.glob("pdf-page-*.png"))) == 2
