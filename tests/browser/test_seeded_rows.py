"""Serialized rollback still restores the data migrations' rows once Playwright runs in the test thread."""

import pytest
from django.apps import apps
from django.db import connections

from ..worlds import SEEDED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_test_thread_keeps_the_connection_that_holds_the_serialized_database(browser, live_server):
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.close()
    # Serialized rollback reads the contents from the connection object the test thread uses now.
    assert connections["default"]._test_serialized_contents


def test_a_browser_test_leaves_the_seeded_rows_for_the_next_test(browser, live_server):
    # The previous test ended with a flush; serialized rollback must have restored every seeded table.
    assert all(apps.get_model(label).objects.exists() for label in SEEDED)
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.close()
