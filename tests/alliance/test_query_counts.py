"""The directory, the review queue and the audit log cost as many queries at 200 rows as at 10.

Each page is measured with 10 organisations, memberships and audit entries, then 190 more of each are
added and the page must not take one query more: no query per row (N+1).
"""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from alliance.models import (
    Category,
    Membership,
    MembershipKind,
    MembershipStatus,
    Organisation,
    Region,
)
from alliance.selectors import forget_directory_counts
from core.models import AuditEntry

SMALL, LARGE = 10, 200


def _populate(charter, start, stop):
    """Rows start..stop-1 of each kind, in a handful of bulk queries.

    Row i: a person with an accepted personal membership (the persons directory), an organisation with an
    accepted membership (the organisations directory), an organisation with a candidate membership (the
    review queue), and an audit entry (the journal).
    """
    indices = range(start, stop)
    categories, regions = itertools.cycle(Category.values), itertools.cycle(Region.values)
    people = User.objects.bulk_create(
        [
            User(
                email=f"allie{i}@exemple.fr",
                full_name=f"Allié·e n°{i}",
                function="Chargée de mission",
                password="!",
            )
            for i in indices
        ]
    )
    members = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Organisation membre {i}", category=next(categories), region=next(regions))
            for i in indices
        ]
    )
    candidates = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisation candidate {i}", category=Category.RESEAU) for i in indices]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(kind=kind, organisation=organisation, signatory=person, charter=charter, status=status)
            for person, member, candidate in zip(people, members, candidates, strict=True)
            for kind, organisation, status in (
                (MembershipKind.PERSON, None, MembershipStatus.ACCEPTED),
                (MembershipKind.ORGANISATION, member, MembershipStatus.ACCEPTED),
                (MembershipKind.ORGANISATION, candidate, MembershipStatus.CANDIDATE),
            )
        ]
    )
    membership_type = ContentType.objects.get_for_model(Membership)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=m.signatory,
                action="membership.apply",
                target_type=membership_type,
                target_id=str(m.pk),
                target_repr=f"Adhésion {m.pk}",
                data={"charter_version": charter.version},
            )
            for m in memberships[::3]
        ]
    )


PAGES = {
    "directory": ("alliance:directory", "anonymous", {}),
    "directory_page_2": ("alliance:directory", "anonymous", {"page": "2"}),
    "directory_category": ("alliance:directory", "anonymous", {"category": Category.COLLECTIVITE}),
    "directory_region": ("alliance:directory", "anonymous", {"region": Region.OCCITANIE}),
    "directory_search": ("alliance:directory", "anonymous", {"q": "membre"}),
    "directory_all_filters": (
        "alliance:directory",
        "outsider",
        # Row 0 is the first category and the first region: the filters match rows at both sizes.
        {"q": "organisation", "category": Category.values[0], "region": Region.values[0]},
    ),
    "directory_persons": ("alliance:directory", "anonymous", {"show": "persons"}),
    "directory_persons_search": ("alliance:directory", "anonymous", {"show": "persons", "q": "allie"}),
    "review_queue": ("alliance:review_queue", "admin", {}),
    "review_queue_accepted": ("alliance:review_queue", "admin", {"statut": MembershipStatus.ACCEPTED}),
    "review_queue_search": ("alliance:review_queue", "admin", {"q": "candidate"}),
    "review_queue_page_2": (
        "alliance:review_queue",
        "admin",
        {"statut": MembershipStatus.ACCEPTED, "page": "2"},
    ),
    "audit_log": ("alliance:audit_log", "admin", {}),
    "audit_log_page_2": ("alliance:audit_log", "admin", {"page": "2"}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_costs_as_many_queries_at_200_rows_as_at_10(
    page, world, client_for, django_assert_max_num_queries
):
    name, role, params = PAGES[page]
    url = reverse(name)
    client = client_for(role)
    _populate(world.charter, 0, SMALL)
    assert client.get(url, params).status_code == 200  # warms the caches (content types, session…)

    # Each measured request computes its page: the directory's listings and counts, kept for the next
    # visitors, are forgotten as a change forgets them (bulk inserts send no signal).
    forget_directory_counts(again_on_commit=False)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url, params)
    assert response.status_code == 200
    rows_shown = len(response.context["page"].object_list)

    _populate(world.charter, SMALL, LARGE)
    forget_directory_counts(again_on_commit=False)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url, params)
    assert response.status_code == 200
    # The page did show more rows at 200 (or the same, full, page): the comparison means something.
    assert len(response.context["page"].object_list) >= rows_shown > 0
