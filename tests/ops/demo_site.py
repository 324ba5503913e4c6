"""Run in a process of its own by tests/ops/test_backup.py (a fresh process: Django set up with the database
of DATABASE_URL and the bucket of STORAGE_URL, nothing of the test suite's state):

    python tests/ops/demo_site.py seed BACKUP     the demo (seed_demo) plus a logo and a library attachment,
                                                  then `manage.py backup BACKUP`
    python tests/ops/demo_site.py pages NOW SITE…  the demo's pages on each SITE (a JSON [database, storage
                                                  URL]), one JSON line per page, the clock stopped at NOW

`pages` walks each site from the same first pages as an anonymous visitor and as two demo accounts, following
the links of each page (GET only, never a logout), and prints each page's address, status, and its body with a
checksum once the values that change at every request (CSRF tokens, CSP nonces) are blanked. The clock is
stopped so that "waiting for 3 minutes" reads the same on both sites.
"""

import hashlib
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabrique.settings")

if sys.argv[1] == "pages":
    # Before any module reads the clock: every `timezone.now()` of the pages answers this instant.
    from django.utils import timezone

    NOW = datetime.fromisoformat(sys.argv[2])
    timezone.now = lambda: NOW

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from fabrique.env import storage_from_env  # noqa: E402
from library.models import Attachment, Resource  # noqa: E402
from territories.demo import PILOT_NAME  # noqa: E402
from territories.models import Territory  # noqa: E402
from tests.factories import png_bytes  # noqa: E402

PAGES_PER_VISITOR = 10
VISITORS = ("anonymous", "agent@demo.fabrique.test", "facilitatrice@demo.fabrique.test")
SKIPPED = re.compile(r"/(static|admin)/|deconnexion|logout|/sante/|/metrics")
CHANGING = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*'), rb"\1"),
    (re.compile(rb'(name="csrf-token" content=")[^"]*'), rb"\1"),
    (re.compile(rb'(nonce=")[^"]*'), rb"\1"),
    (re.compile(rb'("X-CSRFToken": ")[^"]*'), rb"\1"),
]
LINK = re.compile(rb'href="(/[^"]*)"')


def seed(backup: str) -> None:
    call_command("seed_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    pilot = Territory.objects.get(name=PILOT_NAME)
    pilot.logo.save("logo.png", ContentFile(png_bytes(color=(200, 80, 20))))
    resource = Resource.objects.order_by("pk").first()
    content = b"%PDF-1.4\n% the demo's attachment\n"
    Attachment.objects.create(
        resource=resource,
        title="Guide de démarrage",
        file=ContentFile(content, name="guide.pdf"),
        filename="guide.pdf",
        size=len(content),
    )
    call_command("backup", backup)


def first_pages() -> list[str]:
    """The home page, then the pages and files that show the demo's stored files."""
    pilot = Territory.objects.get(name=PILOT_NAME)
    attachment = Attachment.objects.get(title="Guide de démarrage")
    return [
        "/",
        pilot.get_absolute_url(),
        reverse("territories:logo", args=[pilot.pk]),
        attachment.resource.get_absolute_url(),
        attachment.get_absolute_url(),
    ]


def body_of(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern, replacement in CHANGING:
        body = pattern.sub(replacement, body)
    return body


def pages_of(visitor: str) -> list[dict]:
    client = Client()
    if visitor != "anonymous":
        client.force_login(User.objects.get(email=visitor))
    queue = first_pages()
    seen, pages = set(queue), []
    while queue and len(pages) < PAGES_PER_VISITOR:
        url = queue.pop(0)
        response = client.get(url)
        body = body_of(response)
        pages.append(
            {
                "visitor": visitor,
                "url": url,
                "status": response.status_code,
                "sha256": hashlib.sha256(body).hexdigest(),
                "body": body.decode("utf-8", "replace") if b"\0" not in body else "",
            }
        )
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for match in LINK.finditer(body):
            link = urldefrag(match.group(1).decode().replace("&amp;", "&"))[0]
            if link not in seen and not SKIPPED.search(link) and not urlsplit(link).netloc:
                seen.add(link)
                queue.append(link)
    return pages


def pages(sites: list[str]) -> None:
    # As the test suite serves them: static files by name, without collectstatic's manifest.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    for index, site in enumerate(sites):
        database, storage_url = json.loads(site)
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = database
        cache.clear()
        os.environ["STORAGE_URL"] = storage_url
        stored = storage_from_env("")
        with override_settings(STORAGES={**settings.STORAGES, "default": stored, "staticfiles": static}):
            for visitor in VISITORS:
                for page in pages_of(visitor):
                    print(json.dumps({"site": index, **page}))


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(sys.argv[2])
    else:
        pages(sys.argv[3:])
