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
from django.db import connections  # noqa: E402

from .helpers import ARTIFACTS, Steps  # noqa: E402

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
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        if os.environ.get("FABRIQUE_REQUIRE_SERVICES"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM} but FABRIQUE_REQUIRE_SERVICES is set")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # The test database's connections, as this thread holds them now: the one of each alias carries the
    # serialized contents that serialized rollback restores after every transactional test.
    held = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # Playwright's sync API leaves an asyncio event loop marked as running in this thread. asgiref's Local
        # then hands `django.db.connections` a second, context-local storage, where Django would open new
        # connection objects without those serialized contents, and serialized rollback would silently
        # restore nothing (the seeded rows of the data migrations vanished after the first browser test).
        # The same thread may keep using the same connections: put them into that storage.
        for alias, connection in held.items():
            connections[alias] = connection
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
def new_context(browser, live_server, request):
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

    request.node.browser_contexts = contexts
    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed journey leaves a screenshot of every page it had open, beside its steps' screenshots."""
    outcome = yield
    report = outcome.get_result()
    contexts = getattr(item, "browser_contexts", None)
    if report.when != "call" or not report.failed or not contexts:
        return
    folder = ARTIFACTS / re.sub(r"[^\w-]+", "_", item.name)
    folder.mkdir(parents=True, exist_ok=True)
    for c, context in enumerate(contexts):
        for p, page in enumerate(context.pages):
            try:
                page.screenshot(path=str(folder / f"failure-{c}-{p}.png"), full_page=True)
            except Exception as error:  # a closed or crashed page must not hide the failure
                report.sections.append(("screenshot", f"no screenshot of page {c}-{p}: {error}"))


@pytest.fixture
def steps(request):
    return Steps(re.sub(r"[^\w-]+", "_", request.node.name))
