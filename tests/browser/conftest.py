"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, axe-core, screenshots."""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, so Django refuses ORM calls made
# from it (SynchronousOnlyOperation) although they are plain synchronous calls. The tests only read and
# prepare data between browser steps, never from inside a coroutine: allowing it is safe here. It is set
# for the whole process on purpose: the session-scoped browser keeps that loop alive for the tests that
# run after these ones in the same session.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.core.cache import cache  # noqa: E402

from .helpers import Steps  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits (and its record of used TOTP codes) live in the cache, shared by all tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (one per person of the journey), closed at the end of the test."""
    contexts = []

    def make(**kwargs):
        options = {
            "base_url": live_server.url,
            "locale": "fr-FR",
            "viewport": {"width": 1280, "height": 900},
            # axe-core is injected with page.evaluate(); the pages' strict CSP (script-src 'self' + nonce)
            # does not apply to DevTools evaluation, so the CSP stays on: no bypass_csp needed.
            **kwargs,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def steps(request):
    return Steps(re.sub(r"[^\w-]+", "_", request.node.name))
