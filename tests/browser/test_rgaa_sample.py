"""The RGAA sample (docs/rgaa/pages.csv) in a real Chromium, page by page, as the role that opens it: axe-core
at 1280 and 375 px, with its target-size rule (WCAG 2.2, 24 px); no sideways scrolling at 375 and 320 px
nor at 640 px (1280 px zoomed to 200 %); the text spacing of WCAG 1.4.12 loses nothing; and, keyboard only,
Tab walks every page to its last control (no trap), each focused element showing a focus ring inside the
window, then Shift+Tab walks back. Screenshots at 320 and 640 px are kept for a reviewer
(tests/artifacts/screenshots/)."""

import pytest
from django.urls import reverse

from ..factories import PASSWORD
from ..pages.rgaa_sample import sample_pages
from .helpers import assert_accessible, assert_targets_large_enough, log_in

# Table cells wider than their box, outside a focusable region named by the table's caption.
TABLES_OUT_OF_A_REGION = """() => [...document.querySelectorAll('main table')].filter((table) => {
  const box = table.closest('[role=region][tabindex="0"][aria-labelledby]');
  const fits = table.getBoundingClientRect().width <= document.documentElement.clientWidth;
  return !fits && !box;
}).map((table) => (table.caption ? table.caption.textContent : table.outerHTML).trim().slice(0, 60))"""

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDE, PHONE, ZOOMED, NARROW = 1280, 375, 640, 320

# WCAG 1.4.12: line height 1.5, paragraphs 2 em apart, letters 0.12 em, words 0.16 em.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""

# Elements that cut their content: a box with overflow hidden whose content is taller or wider than it.
CLIPPED = """() => [...document.querySelectorAll('body *')].filter((e) => {
  const style = getComputedStyle(e);
  const cuts = (value) => value === 'hidden' || value === 'clip';
  if (!cuts(style.overflowX) && !cuts(style.overflowY)) return false;
  if (e.getBoundingClientRect().width <= 1) return false;  // visually hidden text, on purpose
  return e.scrollHeight > e.clientHeight + 2 || e.scrollWidth > e.clientWidth + 2;
}).map((e) => e.tagName + '.' + e.className)"""

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const rect = e.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]';
  return {
    html: e.outerHTML.slice(0, 90),
    ring: outline || style.boxShadow !== 'none',
    inside: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
    last: e === [...document.querySelectorAll(controls)].filter((x) => x.getClientRects().length).pop(),
  };
}"""


def width_of(page):
    return page.evaluate("document.documentElement.scrollWidth")


def walk_by_keyboard(page, where):
    """Tab from the top to the last control, checking the ring on each; then Shift+Tab goes back."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused, f"{where}: the focus left the page after {len(seen)} Tab presses"
        assert focused["ring"], f"{where}: no visible focus on {focused['html']}"
        assert focused["inside"], f"{where}: the focused element is out of the window: {focused['html']}"
        seen.append(focused["html"])
        if focused["last"]:
            break
    else:
        pytest.fail(f"{where}: 400 Tab presses did not reach the last control (a keyboard trap?)")
    assert seen[0].startswith('<a class="skip-link"'), f"{where}: the skip link is not the first stop"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["html"] == seen[-2], f"{where}: Shift+Tab does not go back"
    return len(seen)


def test_every_page_of_the_sample_passes_axe_reflows_keeps_its_text_and_walks_by_keyboard(
    new_context, steps, world
):
    tabs = {}
    pages_by_role = {}
    for page_id, (role, url) in sample_pages(world).items():
        if role not in pages_by_role:
            pages_by_role[role] = new_context().new_page()
            if role != "anonymous":
                log_in(pages_by_role[role], world.users[role].email, PASSWORD)
        page = pages_by_role[role]
        where = f"{page_id} {url}"

        page.set_viewport_size({"width": WIDE, "height": 900})
        page.goto(url)
        assert_accessible(page)
        assert_targets_large_enough(page)
        assert width_of(page) <= WIDE, where
        tabs[page_id] = walk_by_keyboard(page, where)

        page.set_viewport_size({"width": PHONE, "height": 800})
        assert_accessible(page)
        assert_targets_large_enough(page)
        assert width_of(page) <= PHONE, f"{where} scrolls sideways at {PHONE}px"

        page.set_viewport_size({"width": NARROW, "height": 700})
        assert width_of(page) <= NARROW, f"{where} scrolls sideways at {NARROW}px"
        steps.shot(page, f"{page_id}-320px", check_a11y=False)

        page.set_viewport_size({"width": ZOOMED, "height": 450})
        assert width_of(page) <= ZOOMED, f"{where} scrolls sideways at 200 %"
        steps.shot(page, f"{page_id}-zoom-200", check_a11y=False)

        page.set_viewport_size({"width": WIDE, "height": 900})
        # A constructed style sheet, as a reader's own style sheet would be (the page's CSP refuses <style>).
        page.evaluate(
            "(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
            " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
            TEXT_SPACING,
        )
        spacing = "getComputedStyle(document.querySelector('main p') || document.body).wordSpacing"
        assert page.evaluate(spacing) != "0px", f"{where}: the reader's text spacing was not applied"
        assert width_of(page) <= WIDE, f"{where}: the text spacing widens the page"
        assert page.evaluate(CLIPPED) == [], f"{where}: the text spacing cuts some content"
    # Every page has more than its header and footer to walk through.
    assert min(tabs.values()) >= 8, tabs


def test_the_wide_tables_of_the_journeys_scroll_in_their_box_and_no_page_is_wider_than_a_phone(
    new_context, steps, world
):
    """Beyond the sample, the pages of the journeys with the widest tables (issue 16): the admin's
    applications, the roles matrix, the training sessions, the territory's team and dashboard."""
    territory = world.territory.pk
    journeys = {
        "admin": [reverse("alliance:review_queue")],
        "agent": [
            reverse("projects:deliverable", args=[world.draft_project.pk, world.draft.kind]),  # roles matrix
            reverse("trainings:cycle_detail", args=[world.training_cycle.pk]),
            reverse("territories:team", args=[territory]),
            reverse("territories:dashboard", args=[territory]),
            reverse("trainings:index", args=[territory]),
        ],
    }
    for role, urls in journeys.items():
        page = new_context(viewport={"width": PHONE, "height": 800}).new_page()
        user = world.users[role]
        log_in(page, user.email, PASSWORD, totp_user=user if role == "admin" else None)
        for url in urls:
            page.goto(url)
            assert width_of(page) <= PHONE, f"{url} scrolls sideways at {PHONE}px"
            assert page.evaluate(TABLES_OUT_OF_A_REGION) == [], url
        steps.shot(page, f"{role}-375px")
