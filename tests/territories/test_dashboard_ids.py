"""The private dashboard of a territory: every id is unique and every aria-labelledby names an element of
the page, so that assistive technologies announce the right heading for each section and chart."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.labelled_by = []
        self.tags_by_id = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
            self.tags_by_id[attributes["id"]] = tag
        if attributes.get("aria-labelledby"):
            self.labelled_by.extend(attributes["aria-labelledby"].split())


def _parse(client, territory) -> IdCollector:
    response = client.get(reverse("territories:dashboard", args=[territory.pk]))
    assert response.status_code == 200
    parser = IdCollector()
    parser.feed(response.content.decode())
    parser.close()
    return parser


@pytest.mark.parametrize("role", ["agent", "elu", "facilitator", "admin"])
def test_the_dashboard_has_no_duplicate_id(world, client_for, role):
    page = _parse(client_for(role), world.territory)

    assert page.ids["trajectory-title"] == 1  # the timeline chart is on the page
    assert [name for name, count in page.ids.items() if count > 1] == []


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_every_aria_labelledby_of_the_dashboard_names_an_element_of_the_page(world, client_for, role):
    page = _parse(client_for(role), world.territory)

    assert [name for name in page.labelled_by if name not in page.ids] == []
    assert page.tags_by_id["trajectory-heading"] == "h2"
    assert page.tags_by_id["trajectory-title"] == "title"
