"""A group's page, a discussion and the proposals dashboard cost as many queries at 1,000 posts as at 10.

Each page is measured with 10 posts (and a few proposals, meetings and texts), then the data grows to 1,000
posts (and ten times the rest) and the page must not take one query more: no query per row (N+1).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.models import (
    Attachment,
    Contribution,
    ContributionKind,
    JointProposal,
    Meeting,
    Post,
    ProposalAgreement,
    ProposalAnswer,
    ProposalStatus,
    Thread,
)

SMALL, LARGE = 10, 1000
pytestmark = pytest.mark.django_db


def _populate(world, start, stop):
    """Posts start..stop-1: half in the world's discussion, half in new discussions of ten posts each; with
    one proposal, meeting and text per ten posts."""
    group, agent, now = world.agents_group, world.users["agent"], timezone.now()
    new_threads = Thread.objects.bulk_create(
        Thread(group=group, title=f"Discussion {i}", author=agent, post_count=10, last_post_at=now)
        for i in range(start, stop, 10)
    )
    posts = Post.objects.bulk_create(
        Post(
            thread=world.group_thread if i % 2 else new_threads[(i - start) // 10 % len(new_threads)],
            author=agent,
            body=f"Message {i} @Fanny Accompagnatrice",
        )
        for i in range(start, stop)
    )
    Post.mentions.through.objects.bulk_create(
        Post.mentions.through(post=post, user=world.users["facilitator"]) for post in posts
    )
    Attachment.objects.bulk_create(
        Attachment(post=post, file=world.post_attachment.file.name, original_name="piece.txt", size=10)
        for post in posts[::5]
    )
    Meeting.objects.bulk_create(
        Meeting(group=group, title=f"Réunion {i}", starts_at=now, place="Carmaux")
        for i in range(start, stop, 10)
    )
    Contribution.objects.bulk_create(
        Contribution(group=group, kind=ContributionKind.NEED, title=f"Besoin {i}", body="…", created_by=agent)
        for i in range(start, stop, 10)
    )
    proposals = JointProposal.objects.bulk_create(
        JointProposal(
            crossing=world.crossing,
            title=f"Proposition {i}",
            body="…",
            status=ProposalStatus.ANSWERED,
            shared_at=now,
            addressed_at=now,
            answered_at=now,
        )
        for i in range(start, stop, 10)
    )
    ProposalAgreement.objects.bulk_create(
        ProposalAgreement(proposal=p, group=g, agreed_by=agent)
        for p in proposals
        for g in (world.agents_group, world.dgs_group)
    )
    ProposalAnswer.objects.bulk_create(
        ProposalAnswer(proposal=p, decision="adopted", response="Oui.", answered_by=world.users["elu"])
        for p in proposals
    )
    Thread.objects.filter(pk=world.group_thread.pk).update(
        post_count=Post.objects.filter(thread=world.group_thread).count()
    )


PAGES = {
    "group_page": ("cooperation:group_detail", "agent", lambda w: [w.agents_group.pk], {}),
    "group_page_2": ("cooperation:group_detail", "agent", lambda w: [w.agents_group.pk], {"page": "2"}),
    "discussion": (
        "cooperation:thread_detail",
        "agent",
        lambda w: [w.agents_group.pk, w.group_thread.pk],
        {},
    ),
    "meetings": ("cooperation:meetings", "agent", lambda w: [w.agents_group.pk], {}),
    "work": ("cooperation:work", "agent", lambda w: [w.agents_group.pk], {}),
    "crossing": ("cooperation:crossing_detail", "dgs", lambda w: [w.crossing.pk], {}),
    "proposals_dashboard": ("cooperation:territory_dashboard", "elu", lambda w: [w.territory.pk], {}),
    "interpellations": ("cooperation:interpellations", "elu", lambda w: [], {}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_costs_as_many_queries_at_1000_posts_as_at_10(
    page, world, client_for, django_assert_max_num_queries
):
    name, role, args, params = PAGES[page]
    url = reverse(name, args=args(world))
    client = client_for(role)
    _populate(world, 0, SMALL)
    assert client.get(url, params).status_code == 200  # warms the caches (content types, session…)

    with CaptureQueriesContext(connection) as small:
        small_page = client.get(url, params).content
    _populate(world, SMALL, LARGE)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url, params)
    assert response.status_code == 200
    # The page did show more at 1,000 posts: the comparison means something.
    assert len(response.content) > len(small_page)
