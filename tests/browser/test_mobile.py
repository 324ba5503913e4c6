"""The platform on a phone (375 px), by keyboard: the header folds into a « Menu » disclosure that opens with
Enter and closes with Escape; on a wide screen the links show without it; wide tables scroll inside a named,
focusable box whose caption stays in view."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 800}


def test_the_header_folds_into_a_menu_on_a_phone_and_opens_by_keyboard(new_context, steps, charter, agent):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, agent.email, PASSWORD)
    page.goto("/territoires/")
    menu = page.locator("summary.nav-toggle")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(menu).to_be_visible()
    expect(navigation.get_by_role("link", name="Les territoires")).to_be_hidden()
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 140, f"the folded header is {header_height}px high"
    steps.shot(page, "menu-ferme")

    # Keyboard only: the skip link, the brand, then the menu button.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au contenu")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    current = navigation.get_by_role("link", name="Les territoires")
    expect(current).to_be_visible()
    expect(current).to_have_attribute("aria-current", "page")
    page.keyboard.press("Tab")
    expect(navigation.get_by_role("link", name="La charte")).to_be_focused()
    steps.shot(page, "menu-ouvert")
    page.keyboard.press("Escape")
    expect(menu).to_be_focused()
    expect(current).to_be_hidden()
    # Space opens it again, as any button.
    page.keyboard.press("Space")
    expect(current).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_wide_screen_the_links_show_without_the_menu_button(new_context, charter, agent):
    page = new_context().new_page()
    log_in(page, agent.email, PASSWORD)
    page.goto("/")
    expect(page.locator("summary.nav-toggle")).to_be_hidden()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    for name in ("La charte", "Les territoires", "Projets", "Mon espace"):
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    # The links sit in a row, not in a column.
    boxes = [navigation.get_by_role("link", name=n).bounding_box() for n in ("La charte", "Les allié·es")]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2
    page.get_by_role("link", name="Projets").click()
    page.wait_for_url(re.compile(r"/projets/"))
