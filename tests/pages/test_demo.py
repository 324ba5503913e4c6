"""The demo data of the public site: written once, unchanged when seeded again."""

from datetime import date

import pytest
from django.utils import timezone

from library.models import Resource, ResourceKind, ResourceStatus
from pages.demo import FESTIVAL, next_festival_dates, seed_pages
from pages.models import BlockKey, ContentBlock

pytestmark = pytest.mark.django_db


def test_seeding_twice_stores_each_text_and_the_festival_once(admin_user):
    seed_pages(admin=admin_user)
    ContentBlock.objects.filter(key=BlockKey.ALLIANCE).update(body="Modifié par un·e admin.")
    seed_pages(admin=admin_user)
    assert ContentBlock.objects.count() == len(BlockKey.values)
    assert ContentBlock.objects.get(key=BlockKey.ALLIANCE).body == "Modifié par un·e admin."
    festival = Resource.objects.get(kind=ResourceKind.EVENT, title=FESTIVAL)
    assert festival.status == ResourceStatus.PUBLISHED and not festival.members_only
    assert (festival.starts_on.month, festival.starts_on.day, festival.ends_on.day) == (5, 17, 25)


def test_the_festival_already_in_the_librarys_demo_is_not_added_again(admin_user):
    Resource.objects.create(
        kind=ResourceKind.EVENT,
        title="Le festival Explore Demain",
        starts_on=date(2027, 5, 17),
        ends_on=date(2027, 5, 25),
        status=ResourceStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=admin_user,
    )
    seed_pages(admin=admin_user)
    assert Resource.objects.filter(kind=ResourceKind.EVENT, title__icontains="Explore Demain").count() == 1


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 29), date(2027, 5, 17)),
        (date(2027, 5, 20), date(2027, 5, 17)),
        (date(2027, 5, 26), date(2028, 5, 17)),
    ],
)
def test_the_festival_is_the_next_one_not_over(today, start):
    assert next_festival_dates(today)[0] == start
