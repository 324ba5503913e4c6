"""The pages of notifications: my list, opening one, marking all read, the preferences; the header's count;
who may see what, French errors on bad input, and what the pages cost in queries."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import kinds
from notifications.models import Frequency, Notification, NotificationPreference

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")
PREFERENCES_URL = reverse("notifications:preferences")
MARK_ALL_URL = reverse("notifications:mark_all_read")
# Session (read, then saved in a savepoint), user, the charter check of the alliance middleware, the page
# count, the page and the unread count (the header and the list share it): measured at 5 notifications and
# held whatever their number.
LIST_QUERIES = 9
# The same page furniture, the person's preferences and the header's unread count.
PREFERENCES_QUERIES = 8


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _plain(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _notification(recipient, title="Une notification", url=None, kind="tests.deliverable_submitted", **extra):
    return Notification.objects.create(
        recipient=recipient, kind=kind, title=title, url=url or reverse("dashboards:my_space"), **extra
    )


def _many(recipient, count, read=0):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind="tests.deliverable_submitted",
            title=f"Notification {i}",
            url="/mon-espace/",
            read_at=now if i < read else None,
        )
        for i in range(count)
    )


# --- Who may see what --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, PREFERENCES_URL])
def test_anonymous_visitors_are_sent_to_the_login_page(url, client_for, users):
    assert _is_login_redirect(client_for("anonymous").get(url))


def test_my_list_shows_my_notifications_and_never_those_of_others(users, client_for):
    _notification(users["agent"], "La note d'intention est soumise", actor=users["dgs"])
    _notification(users["elu"], "Réservé à l'élue")

    response = client_for("agent").get(LIST_URL)

    assert response.status_code == 200
    text = _plain(response)
    assert "La note d'intention est soumise" in text
    assert "Dominique DGS" in text
    assert "Réservé à l'élue" not in text


def test_the_list_puts_unread_notifications_first_then_the_newest(users, client_for):
    old_unread = _notification(users["agent"], "Ancienne non lue")
    Notification.objects.filter(pk=old_unread.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=9)
    )
    _notification(users["agent"], "Récente lue", read_at=timezone.now())
    _notification(users["agent"], "Récente non lue")

    text = _plain(client_for("agent").get(LIST_URL))

    assert text.index("Récente non lue") < text.index("Ancienne non lue") < text.index("Récente lue")
    assert "2 notifications non lues" in text
    assert text.count("Non lue") == 2


def test_the_list_is_paginated(users, client_for):
    _many(users["agent"], 45)
    client = client_for("agent")

    first = _text(client.get(LIST_URL))
    third = _text(client.get(LIST_URL, {"page": 3}))

    assert first.count('class="notification ') == 20
    assert "Page 1 sur 3" in first
    assert third.count('class="notification ') == 5


def test_the_excerpt_is_sanitized_user_text(users, client_for):
    _notification(users["agent"], excerpt="<script>alert(1)</script><strong>Bravo</strong> pour la note")

    content = client_for("agent").get(LIST_URL).content.decode()

    assert "<script>alert(1)" not in content
    assert "<strong>Bravo</strong> pour la note" in content


def test_an_empty_list_says_what_will_appear_here(users, client_for):
    text = _plain(client_for("outsider").get(LIST_URL))
    assert "Vous n'avez encore reçu aucune notification" in text
    assert "Tout marquer comme lu" not in text


# --- Opening one -------------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_leads_to_its_page(users, client_for):
    url = reverse("territories:list")
    notification = _notification(users["agent"], url=url)

    response = client_for("agent").get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302 and response["Location"] == url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_it_again_keeps_the_first_reading_date(users, client_for):
    first_read = timezone.now() - timezone.timedelta(days=2)
    notification = _notification(users["agent"], read_at=first_read)

    client_for("agent").get(reverse("notifications:open", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at == first_read


@pytest.mark.parametrize("role", ["outsider", "elu", "facilitator", "admin"])
def test_anothers_notification_does_not_exist_for_anyone_else_and_stays_unread(role, users, client_for):
    notification = _notification(users["agent"])

    response = client_for(role).get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_missing_notification_answers_404_too(users, client_for):
    assert client_for("agent").get(reverse("notifications:open", args=[999_999])).status_code == 404


def test_a_url_that_would_leave_the_site_leads_to_the_list_instead(users, client_for):
    # Refused by notify() and the database constraint alike; the view still never follows it.
    notification = _notification(users["agent"], url="/\\exemple.fr/piege")

    response = client_for("agent").get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302 and response["Location"] == LIST_URL


# --- Marking all read --------------------------------------------------------------------------------


def test_marking_all_read_marks_only_mine_and_says_so(users, client_for):
    _many(users["agent"], 3)
    _many(users["elu"], 2)

    response = client_for("agent").post(MARK_ALL_URL)

    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert _messages(response) == ["Toutes vos notifications sont marquées comme lues."]
    assert not Notification.objects.filter(recipient=users["agent"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=users["elu"], read_at__isnull=True).count() == 2


def test_marking_all_read_with_nothing_unread_says_there_was_nothing(users, client_for):
    response = client_for("agent").post(MARK_ALL_URL)
    assert _messages(response) == ["Vous n'aviez aucune notification non lue."]


def test_marking_all_read_is_a_post_only(users, client_for):
    _many(users["agent"], 1)
    assert client_for("agent").get(MARK_ALL_URL).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_marking_all_read_with_htmx_swaps_the_list_and_the_headers_count(users, client_for):
    _many(users["agent"], 3)

    response = client_for("agent").post(MARK_ALL_URL, headers={"HX-Request": "true"})

    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith('<section id="notification-list"')
    assert "<html" not in content
    assert re.search(
        r'<a id="nav-notifications" href="/notifications/" data-hx-swap-oob="true">Notifications</a>', content
    )
    assert re.search(
        r'<p id="notification-status" data-hx-swap-oob="innerHTML">Toutes vos notifications', content
    )
    assert "Tout est lu" in _plain(response)
    assert _messages(response) == []


# --- The header ----------------------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_with_a_spoken_label(users, client_for):
    _many(users["agent"], 5, read=2)

    content = client_for("agent").get(reverse("dashboards:my_space")).content.decode()

    link = re.search(r'<a id="nav-notifications" href="/notifications/">(.*?)</a>', content).group(1)
    assert '<span class="notification-count" aria-hidden="true">(3)</span>' in link
    assert '<span class="visually-hidden">(3 non lues)</span>' in link


def test_one_unread_notification_is_spoken_in_the_singular(users, client_for):
    _many(users["agent"], 1)
    content = client_for("agent").get(reverse("dashboards:my_space")).content.decode()
    assert '<span class="visually-hidden">(1 non lue)</span>' in content


def test_the_header_shows_no_count_when_everything_is_read(users, client_for):
    _many(users["agent"], 4, read=4)
    content = client_for("agent").get(reverse("dashboards:my_space")).content.decode()
    assert '<a id="nav-notifications" href="/notifications/">Notifications</a>' in content


def test_anonymous_pages_never_query_the_notifications(db, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("territories:list"))
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if '"notifications_notification"' in q["sql"]]


@pytest.mark.parametrize("size", [5, 500])
def test_the_unread_count_is_one_query_whatever_the_number_of_notifications(
    size, users, client_for, django_assert_max_num_queries
):
    _many(users["agent"], size)
    client = client_for("agent")
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(PREFERENCES_QUERIES):
        response = client.get(PREFERENCES_URL)
    assert f"({size}" in response.content.decode()
    assert len([q for q in queries.captured_queries if '"notifications_notification"' in q["sql"]]) == 1


@pytest.mark.parametrize("size", [5, 500])
def test_the_list_costs_the_same_queries_at_5_and_500_notifications(
    size, users, client_for, django_assert_max_num_queries
):
    _many(users["agent"], size, read=size // 2)
    Notification.objects.update(actor=users["dgs"])
    client = client_for("agent")
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert _text(response).count("Dominique DGS") == min(size, 20)


# --- Preferences -------------------------------------------------------------------------------------


def test_the_preferences_page_has_one_choice_per_kind_with_the_current_one_checked(
    users, client_for, kind, digest_kind
):
    NotificationPreference.objects.create(user=users["agent"], kind=kind, frequency=Frequency.NONE)

    response = client_for("agent").get(PREFERENCES_URL)

    assert response.status_code == 200
    content = response.content.decode()
    text = _plain(response)
    for label in ("Livrable soumis", "Commentaire ou mention", "Tout de suite", "Résumé quotidien"):
        assert label in text
    assert '<th scope="row">Livrable soumis</th>' in content
    assert '<span class="visually-hidden">Livrable soumis : Résumé quotidien</span>' in content
    # Kinds of no installed app are grouped under "Autres"; each app's kinds go under its name.
    assert '<th scope="rowgroup" colspan="4">Autres</th>' in content
    assert re.search(r'name="kind_tests__deliverable_submitted" value="none"[^>]*checked', content)
    assert re.search(r'name="kind_tests__comment_posted" value="digest"[^>]*checked', content)


def test_saving_preferences_stores_the_changed_choices_and_says_so(users, client_for, kind, digest_kind):
    response = client_for("agent").post(
        PREFERENCES_URL,
        {"kind_tests__deliverable_submitted": "digest", "kind_tests__comment_posted": "digest"}
        | {
            f"kind_{key.replace('.', '__')}": k.default_frequency
            for key, k in kinds.KINDS.items()
            if key not in (kind, digest_kind)
        },
    )

    assert response.status_code == 302 and response["Location"] == PREFERENCES_URL
    assert _messages(response) == ["Vos préférences de notification sont enregistrées."]
    # The comment kind was left at its default: no row, so it keeps following the default.
    assert dict(
        NotificationPreference.objects.filter(user=users["agent"]).values_list("kind", "frequency")
    ) == {kind: "digest"}


def _all_defaults():
    return {f"kind_{key.replace('.', '__')}": k.default_frequency for key, k in kinds.KINDS.items()}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("weekly", "Choisissez « Tout de suite », « Résumé quotidien » ou « Jamais par e-mail »."),
        ("", "Choisissez comment être prévenu·e."),
        (None, "Choisissez comment être prévenu·e."),
    ],
)
def test_a_bad_choice_gets_a_french_error_and_nothing_is_saved(
    value, error, users, client_for, kind, digest_kind
):
    NotificationPreference.objects.create(
        user=users["agent"], kind=digest_kind, frequency=Frequency.IMMEDIATE
    )
    data = _all_defaults() | {"kind_tests__comment_posted": "none"}
    if value is None:
        del data["kind_tests__deliverable_submitted"]
    else:
        data["kind_tests__deliverable_submitted"] = value

    response = client_for("agent").post(PREFERENCES_URL, data)

    assert response.status_code == 400
    text = _plain(response)
    assert error in text
    assert "Vos préférences ne sont pas enregistrées : corrigez les choix signalés." in text
    assert dict(
        NotificationPreference.objects.filter(user=users["agent"]).values_list("kind", "frequency")
    ) == {digest_kind: "immediate"}
    # What the person chose for the other kinds is shown again, not lost.
    assert re.search(r'name="kind_tests__comment_posted" value="none"[^>]*checked', response.content.decode())


def test_without_any_registered_kind_the_page_says_so(users, client_for, monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", {})
    response = client_for("agent").get(PREFERENCES_URL)
    assert response.status_code == 200
    assert "Aucun type de notification n'est encore proposé" in _plain(response)


def test_the_preferences_are_linked_from_my_space_and_from_my_list(users, client_for):
    client = client_for("agent")
    for url in (reverse("dashboards:my_space"), LIST_URL):
        assert f'href="{PREFERENCES_URL}"' in client.get(url).content.decode()


def test_an_empty_post_asks_for_every_choice_and_saves_nothing(users, client_for, kind):
    response = client_for("agent").post(PREFERENCES_URL, {})
    assert response.status_code == 400
    assert "Choisissez comment être prévenu·e." in _plain(response)
    assert not NotificationPreference.objects.exists()
