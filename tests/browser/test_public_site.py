"""The public site, open data and personal data in a real Chromium, checked with axe-core, screenshot at each
step: a visitor reads the site and downloads open data; a person downloads their data and deletes their
account; an admin edits a text of the home page and exports the memberships."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import User
from pages.models import BlockKey, ContentBlock

from ..factories import PASSWORD
from ..pages.factories import make_public_site
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def test_a_visitor_reads_the_public_site_and_downloads_open_data(
    new_context, steps, charter, agent, admin_user
):
    site = make_public_site(agent, admin_user)
    page = new_context().new_page()

    page.goto("/")
    expect(page.locator("h1")).to_have_text("Ensemble, changer d'échelle dans la transition des territoires")
    expect(page.locator(".next-event")).to_contain_text("Festival Explore Demain")
    expect(page.get_by_role("heading", name="Les 4 Fantastiques du territoire")).to_be_visible()
    expect(page.get_by_role("link", name="Pôle Territorial de l'Albigeois")).to_be_visible()
    expect(page.get_by_role("link", name="Le schéma actantiel")).to_be_visible()
    assert_no_sideways_scroll(page)
    steps.shot(page, "accueil")

    page.get_by_role("link", name="Tous les événements").click()
    page.wait_for_url(re.compile(r"/evenements/$"))
    expect(page.locator("main")).to_contain_text("Rencontre passée")
    steps.shot(page, "evenements")

    page.goto("/")
    page.get_by_role("link", name="Pôle Territorial de l'Albigeois").click()
    page.wait_for_url(re.compile(rf"/territoires/{site.pilot.pk}/$"))
    steps.shot(page, "territoire-pilote")

    page.get_by_role("contentinfo").get_by_role("link", name="Données ouvertes").click()
    page.wait_for_url(re.compile(r"/donnees-ouvertes/$"))
    steps.shot(page, "donnees-ouvertes")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Annuaire des organisations alliées (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("fabrique-des-transitions-allie-es-")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert "Réseau Territoires en transition" in {row["name"] for row in rows}

    page.get_by_role("contentinfo").get_by_role("link", name=re.compile(r"^Accessibilité : ")).click()
    page.wait_for_url(re.compile(r"/accessibilite/$"))
    expect(page.get_by_role("heading", name="État de conformité")).to_be_visible()
    steps.shot(page, "declaration-accessibilite")

    page.get_by_role("contentinfo").get_by_role(
        "link", name="Mentions légales et données personnelles"
    ).click()
    page.wait_for_url(re.compile(r"/mentions-legales/$"))
    expect(page.get_by_role("heading", name="Vos données personnelles")).to_be_visible()
    steps.shot(page, "mentions-legales")


def test_a_person_downloads_their_data_then_deletes_their_account(new_context, steps, charter, outsider):
    page = new_context().new_page()
    log_in(page, outsider.email, PASSWORD)
    page.goto("/mon-espace/")
    page.get_by_role("link", name="Mes données personnelles").click()
    page.wait_for_url(re.compile(r"/mon-espace/mes-donnees/$"))
    steps.shot(page, "mes-donnees")

    # The download asks for the password again, then the file arrives.
    page.get_by_role("button", name="Télécharger mes données (JSON)").click()
    page.wait_for_url(re.compile(r"/comptes/reauthenticate/"))
    steps.shot(page, "mot-de-passe-demande")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.locator("main form").filter(has=page.locator("#id_password")).locator(
            "button[type=submit]"
        ).click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == outsider.email

    # Deleting the account, within the minutes the password was typed again.
    page.goto("/mon-espace/mes-donnees/")
    page.get_by_role("link", name="Supprimer mon compte…").click()
    page.wait_for_url(re.compile(r"/mon-espace/supprimer-mon-compte/$"))
    steps.shot(page, "supprimer-mon-compte")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.locator(".errorlist")).to_contain_text("Cochez la case pour confirmer la suppression.")
    steps.shot(page, "confirmation-manquante")
    page.get_by_label("Je comprends que mon compte sera supprimé définitivement.").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".messages")).to_contain_text("Votre compte est supprimé.")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    steps.shot(page, "compte-supprime")
    deleted = User.objects.get(pk=outsider.pk)
    assert deleted.full_name == "Compte supprimé" and not deleted.is_active


def test_an_admin_edits_a_home_text_and_exports_memberships(new_context, steps, charter, agent, admin_user):
    make_public_site(agent, admin_user)
    page = new_context().new_page()
    log_in(page, admin_user.email, PASSWORD, totp_user=admin_user)
    page.get_by_role("link", name="Site public").click()
    page.wait_for_url(re.compile(r"/administration/site/$"))
    steps.shot(page, "administration-du-site")

    page.get_by_role("link", name="Modifier : Les 4 Fantastiques du territoire").click()
    page.wait_for_url(re.compile(r"/administration/site/textes/fantastiques/$"))
    steps.shot(page, "modifier-un-texte")
    page.get_by_label("Texte").fill("")
    page.get_by_role("button", name="Publier ce texte").click()
    expect(page.locator(".errorlist")).to_contain_text("Ce champ est obligatoire.")
    steps.shot(page, "texte-vide-refuse")
    page.get_by_label("Texte").fill(
        "- **L'élu·e** : souple et agile\n- **L'agent** : la force sur le temps long"
    )
    page.get_by_role("button", name="Publier ce texte").click()
    page.wait_for_url(re.compile(r"/administration/site/$"))
    assert ContentBlock.objects.get(key=BlockKey.FANTASTIQUES).body.startswith("- **L'élu·e**")

    page.goto("/")
    expect(page.locator("#fantastiques-title + ul")).to_contain_text("souple et agile")
    steps.shot(page, "accueil-modifie")

    page.get_by_role("link", name="Site public").click()
    page.get_by_label("Statut").select_option("accepted")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger les adhésions en XLSX (Excel)").click()
    sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "kind", "member_name")
    assert {row[rows[0].index("status")] for row in rows[1:]} == {"accepted"}
