"""The demo's cooperation journal of the Tarn pilot's project: three récits on three prompts, one kept to the
team and two shared, written through the services; running it again changes nothing."""

import pytest

from core.models import AuditEntry
from methods.demo_journal import seed_journal
from methods.models import JournalEntry, JournalVisibility
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(world):
    users = world.users
    return {
        "agent": users["agent"],
        "dgs": users["dgs"],
        "elu": users["elu"],
        "facilitatrice": users["facilitator"],
    }


def test_the_demo_tells_three_recits_of_the_pilot_project(world, demo_users):
    JournalEntry.objects.filter(project=world.project).delete()

    created = seed_journal(world.project, users=demo_users)

    entries = JournalEntry.objects.filter(project=world.project)
    assert len(created) == entries.count() == 3
    assert len({entry.prompt for entry in entries}) == 3
    assert sorted(entry.visibility for entry in entries) == [
        JournalVisibility.SHARED,
        JournalVisibility.SHARED,
        JournalVisibility.TEAM,
    ]
    assert all(entry.territory == world.territory for entry in entries)
    disputes = entries.get(prompt="disputes")
    assert disputes.visibility == JournalVisibility.TEAM and disputes.author == demo_users["dgs"]
    assert "strate administrative de plus" in disputes.body
    assert AuditEntry.objects.filter(action="methods.journal.create").count() == 3
    shared = Notification.objects.filter(kind="methods.journal_shared", recipient=demo_users["facilitatrice"])
    assert shared.count() == 2


def test_running_the_demo_again_changes_nothing(world, demo_users):
    seed_journal(world.project, users=demo_users)
    before = list(JournalEntry.objects.order_by("pk").values_list("pk", "title", "updated_at"))

    assert seed_journal(world.project, users=demo_users) == []
    assert list(JournalEntry.objects.order_by("pk").values_list("pk", "title", "updated_at")) == before
