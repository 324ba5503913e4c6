"""Helpers of the browser tests: screenshots and axe-core checks of each step, logging in."""

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.app_settings import TOTP_PERIOD
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
STYLESHEET = "/static/css/site.css"


# Screenshots cost a full-page capture each: they are written when a test fails (tests/browser/conftest.py)
# or, for a reviewer looking at the journeys, for every step with FABRIQUE_SCREENSHOTS=1.
ALL_SCREENSHOTS = os.environ.get("FABRIQUE_SCREENSHOTS", "") not in ("", "0")

# The page types axe-core has checked in this process: (view name, viewport width, errors shown?). Each is
# checked once: the same template at the same width meets the same rules; a page showing form errors is
# another state, checked on its own.
_AXE_CHECKED = set()


class Steps:
    """The steps of a journey: each page is checked to be styled, and checked by axe-core once per page type;
    numbered full-page screenshots are written when asked for (`keep=True`, FABRIQUE_SCREENSHOTS=1)."""

    def __init__(self, name):
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in [*self.folder.glob("*.png"), *self.folder.glob("axe.txt")]:
            old.unlink()
        self.count = 0
        self.axe = Axe()

    def shot(self, page, step, *, check_a11y=True, keep=False):
        self.count += 1
        page.wait_for_load_state("load")
        assert_styled(page)
        path = self.folder / f"{self.count:02d}-{step}.png"
        if keep or ALL_SCREENSHOTS:
            page.screenshot(path=str(path), full_page=True)
        if check_a11y and _first_of_its_type(page):
            violations = assert_accessible(page, self.axe)
            # The minor and moderate findings do not fail the test; they are kept beside the screenshots.
            with (self.folder / "axe.txt").open("a") as report:
                report.write(f"{path.name} {page.url}\n")
                report.writelines(f"  {line}\n" for line in describe(violations))
        return path


def _first_of_its_type(page):
    try:
        view = resolve(urlsplit(page.url).path).view_name
    except Resolver404:
        view = urlsplit(page.url).path
    errors = page.locator("[aria-invalid=true], .errorlist, [role=alert]").count() > 0
    key = (view, page.viewport_size["width"] if page.viewport_size else None, errors)
    if key in _AXE_CHECKED:
        return False
    _AXE_CHECKED.add(key)
    return True


def assert_styled(page):
    """The site's stylesheet was loaded and applied (a page without it still "works" but looks broken)."""
    loaded = page.evaluate(
        """(path) => [...document.styleSheets].some(
            (sheet) => sheet.href && new URL(sheet.href).pathname === path && sheet.cssRules.length > 0
        )""",
        STYLESHEET,
    )
    assert loaded, f"{STYLESHEET} is not applied on {page.url}"


def describe(violations):
    return [
        f"- {v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in violations
    ]


def assert_accessible(page, axe=None):
    """Run axe-core on the page; fail on any serious or critical violation, return all of them."""
    results = (axe or Axe()).run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(describe(blocking))
    assert not blocking, f"axe-core violations on {page.url}:\n{details}"
    return violations


def assert_targets_large_enough(page, axe=None):
    """WCAG 2.2's target size (2.5.8): each control is at least 24 × 24 px, or spaced so that a 24 px circle
    around it touches no other; links inside a sentence are exempt. axe-core's own rule, off by default."""
    results = (
        (axe or Axe())
        .run(
            page,
            options={"runOnly": {"type": "rule", "values": ["target-size"]}, "resultTypes": ["violations"]},
        )
        .response
    )
    checked = [rule for rule in results["passes"] + results["violations"] if rule["id"] == "target-size"]
    assert checked, f"axe-core's target-size rule did not run on {page.url}"
    details = "\n".join(describe(results["violations"]))
    assert not results["violations"], f"targets too small on {page.url}:\n{details}"


def totp_code(user):
    # A code computed in the last second of its 30-second period could expire before the form is sent.
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 1.5:
        time.sleep(1.5)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = get_mfa_adapter().decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def log_in(page, email, password, *, totp_user=None, steps=None):
    """Log in through the real allauth form (and its TOTP step when the account has one)."""
    page.goto("/comptes/login/")
    if steps:
        steps.shot(page, "connexion")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form").filter(has=page.locator("#id_password")).locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/comptes/login/" not in url)
    if totp_user is not None:
        page.wait_for_url("**/comptes/2fa/authenticate/")
        if steps:
            steps.shot(page, "code-double-authentification")
        page.locator("#id_code").fill(totp_code(totp_user))
        # The stage's "Annuler" button submits another form (form="logout-from-stage").
        page.locator("main form").filter(has=page.locator("#id_code")).locator(
            "button[type=submit]:not([form])"
        ).click()
        page.wait_for_url(lambda url: "/comptes/2fa/authenticate/" not in url)
    page.wait_for_load_state("load")
