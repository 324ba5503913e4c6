"""Every public page is valid HTML, checked with the W3C's Nu Html Checker (npm package vnu-jar, run by Java).

The checker is installed by `make install` (package.json's devDependencies); it runs once over all pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The errors the checker finds in each page ({name: html}), by page name."""
    java = shutil.which("java")
    assert java, "Java is needed to run the Nu Html Checker"
    assert VNU.exists(), f"{VNU} is missing: run `make install` (npm install of package.json)"
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{index:02d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.resolve().as_uri()] = name
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--exit-zero-always",
            *(str(p) for p in folder.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    report = json.loads(result.stderr)
    errors = {name: [] for name in pages}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = files.get(message.get("url", "").replace("file:/", "file:///", 1), message.get("url"))
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_public_and_personal_data_pages_are_valid_html(public_data, agent, client_for, tmp_path):
    anonymous = Client()
    public = {
        "accueil": "/",
        "charte": reverse("alliance:charter"),
        "annuaire": reverse("alliance:directory"),
        "annuaire des personnes": reverse("alliance:directory") + "?show=persons",
        "organisation": public_data.listed.get_absolute_url(),
        "territoires": reverse("territories:list"),
        "territoire pilote": public_data.pilot.get_absolute_url(),
        "ressources": reverse("library:list"),
        "ressource": public_data.resource.get_absolute_url(),
        "événements": reverse("pages:events"),
        "données ouvertes": reverse("pages:open_data"),
        "accessibilité": reverse("pages:accessibility"),
        "mentions légales": reverse("pages:legal"),
        "connexion": reverse("account_login"),
        "inscription": reverse("account_signup"),
    }
    pages = {name: _html(anonymous, url) for name, url in public.items()}
    signed_in = client_for("agent")
    pages["mes données"] = _html(signed_in, reverse("accounts:privacy"))
    pages["supprimer mon compte"] = _html(signed_in, reverse("accounts:delete"))
    admin = client_for("admin")
    pages["administration du site"] = _html(admin, reverse("pages:admin_index"))
    pages["modifier un texte"] = _html(admin, reverse("pages:content_edit", args=["fantastiques"]))
    pages["demandes RGPD"] = _html(admin, reverse("accounts:privacy_log"))

    errors = run_vnu(pages, tmp_path)
    assert {name: found for name, found in errors.items() if found} == {}


def test_the_checker_does_find_invalid_html(tmp_path):
    errors = run_vnu(
        {"cassée": "<!DOCTYPE html><html lang=fr><title>x</title><p><div></span></html>"}, tmp_path
    )
    assert errors["cassée"]
