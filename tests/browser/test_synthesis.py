"""A territory manager prepares the territory's synthesis: from the dashboard, chooses a period, previews the
synthesis, asks for its documents, watches the real Celery worker make them and downloads the PDF and the
ODT; then the same page on a phone. Axe-core checks each page; the PDF's first pages are rendered to PNG
beside the screenshots, to look at."""

import io
import re
import subprocess
import zipfile

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


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} scrolls sideways ({width}px wide at {viewport}px)"


def test_a_territory_manager_previews_and_downloads_the_synthesis(new_context, steps, world):
    territory = world.territory
    page = new_context(accept_downloads=True).new_page()
    log_in(page, world.users["agent"].email, PASSWORD)

    # The dashboard offers the latest synthesis (the world's, for 2025) and the way to prepare one.
    page.goto(f"/territoires/{territory.pk}/tableau-de-bord/")
    section = page.locator("#bilan")
    expect(section.get_by_role("link", name="Ouvrir le dernier bilan")).to_be_visible()
    section.get_by_role("link", name="Préparer un bilan").click()
    page.wait_for_url(re.compile(rf"/territoires/{territory.pk}/bilan/$"))
    expect(page.locator("h1")).to_have_text(f"Bilan du territoire — {territory.name}")
    steps.shot(page, "choisir-la-periode")

    # The year 2024: the world's récits of that year, the one kept to the team included.
    page.get_by_label("Année").select_option("2024")
    page.get_by_role("button", name="Prévisualiser", exact=True).click()
    preview = page.locator(".synthesis-preview")
    expect(preview.get_by_role("heading", name="Aperçu — Année 2024")).to_be_visible()
    expect(preview.get_by_role("heading", name="Les récits de coopération")).to_be_visible()
    expect(preview).to_contain_text("Un différend entre DGS sur le rôle du Pôle")
    expect(preview.locator("svg.chart-timeline")).to_be_visible()
    steps.shot(page, "apercu")

    # Asked for: no worker yet, both documents wait their turn; the worker makes them.
    page.get_by_role("button", name="Demander ce bilan en PDF et en ODT").click()
    page.wait_for_url(re.compile(r"/bilans/\d+/$"))
    expect(page.locator(".document-status").first).to_contain_text("attend son tour")
    steps.shot(page, "documents-en-attente")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30):
        pdf_link = page.get_by_role("link", name=re.compile(r"Télécharger .*\(PDF\)"))
        odt_link = page.get_by_role("link", name=re.compile(r"Télécharger .*\(ODT\)"))
        expect(pdf_link).to_be_visible(timeout=120_000)
        expect(odt_link).to_be_visible(timeout=120_000)
    steps.shot(page, "documents-prets")

    for old in steps.folder.glob("bilan-page-*.png"):
        old.unlink()
    with page.expect_download() as info:
        pdf_link.click()
    pdf = steps.folder / "bilan.pdf"
    info.value.save_as(pdf)
    assert info.value.suggested_filename.startswith("bilan-du-territoire")
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(steps.folder / "bilan-page")],
        check=True,
    )
    assert len(list(steps.folder.glob("bilan-page-*.png"))) == 3
    with page.expect_download() as info:
        odt_link.click()
    assert info.value.suggested_filename.endswith(".odt")
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"

    # The dashboard now leads to this synthesis.
    page.goto(f"/territoires/{territory.pk}/tableau-de-bord/")
    expect(page.locator("#bilan")).to_contain_text("Dernier bilan : du 1er janvier 2024 au 31 décembre 2024")


def test_the_synthesis_page_reads_on_a_phone(new_context, steps, world):
    page = new_context(viewport={"width": 375, "height": 812}).new_page()
    log_in(page, world.users["agent"].email, PASSWORD)
    page.goto(f"/territoires/{world.territory.pk}/bilan/")
    assert_no_sideways_scroll(page)
    steps.shot(page, "telephone-choisir")
    page.get_by_role("textbox", name="ou du").fill("2024-01-01")
    page.get_by_role("textbox", name="au :", exact=True).fill("2024-12-31")
    page.get_by_role("button", name="Prévisualiser", exact=True).click()
    expect(page.locator(".synthesis-preview h2").first).to_have_text("Aperçu — Année 2024")
    assert_no_sideways_scroll(page)
    steps.shot(page, "telephone-apercu")
