"""notifications.selectors: the header's unread count, one plain statement, as the queryset counts it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from notifications.selectors import unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notification(recipient, *, read=False):
    return Notification.objects.create(
        recipient=recipient,
        kind="projects.comment",
        title="Nouveau commentaire",
        url="/",
        read_at=timezone.now() if read else None,
    )


def test_the_unread_count_is_the_querysets_in_one_statement():
    person, other = UserFactory(), UserFactory()
    for read in (False, False, True):
        _notification(person, read=read)
    _notification(other)
    with CaptureQueriesContext(connection) as captured:
        count = unread_count(person.pk)
    assert count == Notification.objects.filter(recipient=person).unread().count() == 2
    assert len(captured) == 1
    assert unread_count(other.pk) == 1


def test_someone_with_nothing_unread_counts_zero():
    person = UserFactory()
    _notification(person, read=True)
    assert unread_count(person.pk) == 0
