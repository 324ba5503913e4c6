"""notify(): who gets a notification, what it holds, and the mistakes of its callers it refuses."""

import pytest
from django.db import IntegrityError, transaction

from notifications import kinds
from notifications.models import Frequency, Notification, NotificationPreference
from notifications.services import frequencies_of, notify, preferences_save
from outbox.models import OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_notification_per_recipient_but_none_for_the_actor(users, kind, target_url):
    created = notify(
        kind=kind,
        recipients=[users["facilitator"], users["dgs"], users["agent"]],
        actor=users["agent"],
        title="La note d'intention est soumise",
        url=target_url,
        excerpt="Nature du projet : management des organisations par la coopération.",
    )

    assert {n.recipient for n in created} == {users["facilitator"], users["dgs"]}
    stored = Notification.objects.filter(kind=kind)
    assert {n.recipient_id for n in stored} == {users["facilitator"].pk, users["dgs"].pk}
    for notification in stored:
        assert notification.actor == users["agent"]
        assert notification.title == "La note d'intention est soumise"
        assert notification.url == target_url
        assert notification.excerpt.startswith("Nature du projet")
        assert notification.is_unread
        # Its e-mail is in the outbox, in the same transaction, leaving once it commits.
        assert notification.emailed_at is not None
    assert sorted(
        OutgoingEmail.objects.filter(kind="notifications.immediate").values_list("object_id", "to")
    ) == sorted((n.pk, n.recipient.email) for n in created)


def test_inactive_people_duplicates_and_missing_recipients_are_skipped(users, kind, target_url):
    gone = UserFactory(is_active=False)
    created = notify(
        kind=kind,
        recipients=[gone, None, users["elu"], users["elu"]],
        actor=None,
        title="Relu",
        url=target_url,
    )

    assert [n.recipient for n in created] == [users["elu"]]
    assert not Notification.objects.filter(recipient=gone).exists()
    assert created[0].actor is None


def test_notifying_only_the_actor_creates_nothing(users, kind, target_url):
    assert (
        notify(kind=kind, recipients=[users["agent"]], actor=users["agent"], title="x", url=target_url) == []
    )
    assert not Notification.objects.exists()


def test_long_titles_and_excerpts_are_cut_to_fit(users, kind, target_url):
    [notification] = notify(
        kind=kind, recipients=[users["elu"]], actor=None, title="t" * 400, url=target_url, excerpt="e" * 5000
    )
    notification.refresh_from_db()
    assert len(notification.title) == 300 and len(notification.excerpt) == 1000


def test_an_unknown_kind_is_refused_with_a_message_saying_how_to_register_it(users, kind, target_url):
    with pytest.raises(kinds.UnknownKind) as error:
        notify(kind="projects.typo", recipients=[users["elu"]], actor=None, title="x", url=target_url)
    message = str(error.value)
    assert "'projects.typo'" in message
    assert "notifications.kinds.register('projects.typo'" in message
    assert kind in message  # the registered ones are listed
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://exemple.fr/", "//exemple.fr/", "/\\exemple.fr", "javascript:alert(1)", "projets/1/"]
)
def test_a_url_outside_the_platform_is_refused(users, kind, url):
    with pytest.raises(ValueError, match="path of the platform"):
        notify(kind=kind, recipients=[users["elu"]], actor=None, title="x", url=url)
    assert not Notification.objects.exists()


def test_the_database_refuses_a_notification_url_that_leaves_the_site(users):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=users["elu"], kind="k", title="x", url="//exemple.fr/")


def test_a_kind_cannot_be_registered_twice_or_with_an_unknown_default(kind):
    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(kind, "Encore")
    with pytest.raises(ValueError, match="default frequency"):
        kinds.register("tests.weekly", "Hebdomadaire", default_frequency="weekly")
    assert "tests.weekly" not in kinds.KINDS


def test_the_frequencies_known_before_the_models_load_are_those_of_the_model():
    assert tuple(Frequency.values) == kinds.FREQUENCIES


def test_the_database_refuses_an_unknown_frequency(users):
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=users["elu"], kind="k", frequency="weekly")


def test_a_persons_frequencies_are_their_choices_else_each_kinds_default(users, kind, digest_kind):
    assert frequencies_of(users["elu"])[kind] == Frequency.IMMEDIATE
    assert frequencies_of(users["elu"])[digest_kind] == Frequency.DIGEST

    preferences_save(actor=users["elu"], frequencies={kind: Frequency.NONE})
    preferences_save(actor=users["elu"], frequencies={kind: Frequency.DIGEST, digest_kind: Frequency.NONE})

    assert frequencies_of(users["elu"])[kind] == Frequency.DIGEST
    assert frequencies_of(users["elu"])[digest_kind] == Frequency.NONE
    assert NotificationPreference.objects.filter(user=users["elu"]).count() == 2
    assert frequencies_of(users["dgs"])[kind] == Frequency.IMMEDIATE


def test_saving_a_preference_for_an_unknown_kind_or_frequency_is_refused(users, kind):
    with pytest.raises(kinds.UnknownKind):
        preferences_save(actor=users["elu"], frequencies={"tests.nothing": Frequency.NONE})
    with pytest.raises(ValueError, match="frequency"):
        preferences_save(actor=users["elu"], frequencies={kind: "weekly"})
    assert not NotificationPreference.objects.exists()
