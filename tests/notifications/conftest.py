import pytest
from django.urls import reverse

from notifications import kinds
from notifications.services import notify

SUBMITTED = "tests.deliverable_submitted"
COMMENTED = "tests.comment_posted"


@pytest.fixture
def kind():
    """A kind e-mailed at once by default, registered for the test only."""
    kinds.register(SUBMITTED, "Livrable soumis")
    yield SUBMITTED
    del kinds.KINDS[SUBMITTED]


@pytest.fixture
def digest_kind():
    """A kind sent in the daily digest by default, registered for the test only."""
    kinds.register(COMMENTED, "Commentaire ou mention", default_frequency="digest")
    yield COMMENTED
    del kinds.KINDS[COMMENTED]


@pytest.fixture
def target_url():
    return reverse("dashboards:my_space")


@pytest.fixture
def notify_now(django_capture_on_commit_callbacks):
    """notify() as a service calls it, its transaction then committed: the immediate e-mails leave (the
    tasks run eagerly). A test's own transaction never commits, so this stands in for the commit."""

    def run(kind, recipients, actor, url, title="La note de cadrage est soumise", excerpt=""):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                kind=kind, recipients=recipients, actor=actor, title=title, url=url, excerpt=excerpt
            )

    return run
