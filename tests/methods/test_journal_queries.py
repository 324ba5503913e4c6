"""The journal's timelines cost the same number of queries with 3 récits and with 30."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from methods.models import JournalEntry, JournalPrompt, JournalVisibility

pytestmark = pytest.mark.django_db

# A generous ceiling; the point is that the count does not move with the number of récits.
TIMELINE_MAX = 20


def _fill(world, total):
    """Récits of the project and of the territory until the territory's journal holds `total`, over several
    years and months, with participants, half of them kept to the team."""
    users = world.users
    prompts = list(JournalPrompt)
    existing = JournalEntry.objects.filter(territory=world.territory).count()
    for n in range(existing, total):
        entry = JournalEntry.objects.create(
            territory=world.territory,
            project=world.project if n % 3 else None,
            happened_on=date(2024, 6, 1) - timedelta(days=23 * n),
            prompt=prompts[n % len(prompts)],
            title=f"Récit n°{n}",
            body=f"Ce qui s'est passé, **n°{n}**.",
            other_participants="Léa" if n % 2 else "",
            visibility=JournalVisibility.TEAM if n % 2 else JournalVisibility.SHARED,
            author=users["agent"] if n % 2 else users["dgs"],
        )
        entry.participants.set([users["agent"], users["dgs"], users["elu"]][: 1 + n % 3])
    assert JournalEntry.objects.filter(territory=world.territory).count() == total


def _count(client, url):
    # The first request of a session stores a few things in it: measure a second one.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["agent", "facilitator", "admin"])
@pytest.mark.parametrize("journal", ["journal_project", "journal_territory"])
def test_a_timeline_costs_the_same_with_3_and_30_recits(
    world, client_for, role, journal, django_assert_max_num_queries
):
    client = client_for(role)
    pk = world.project.pk if journal == "journal_project" else world.territory.pk
    url = reverse(f"methods:{journal}", args=[pk])
    _fill(world, 3)
    small = _count(client, url)
    _fill(world, 30)

    with django_assert_max_num_queries(small):
        response = client.get(url)

    assert response.status_code == 200
    assert small <= TIMELINE_MAX
    listed = JournalEntry.objects.filter(territory=world.territory)
    if journal == "journal_project":
        listed = listed.filter(project=world.project)
    if role != "agent":
        listed = listed.filter(visibility=JournalVisibility.SHARED)
    assert response.content.decode().count('<article class="card journal-entry ') == listed.count() >= 10
