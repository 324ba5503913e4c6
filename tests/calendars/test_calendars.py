"""Agendas: an .ics file for each meeting, training session and public event, a personal feed behind a
secret, revocable address, a public events feed. Every file is parsed back by `ical`, an RFC 5545 parser
independent of the `icalendar` library that writes them: a file it refuses fails the test."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream

from calendars.models import CalendarSubscription
from cooperation import services as cooperation_services
from core.ical import uid_for
from core.models import AuditEntry
from trainings import services as training_services

pytestmark = pytest.mark.django_db

HOST = urlsplit(settings.SITE_URL).hostname


def _parse(response):
    """The calendar of an .ics response, validated by the `ical` parser (it raises on invalid input)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "lines are folded at 75 octets"
    return IcsCalendarStream.calendar_from_ics(text), text


def _meeting_url(world, name="meeting_ics"):
    return reverse(f"cooperation:{name}", args=[world.agents_group.pk, world.group_meeting.pk])


def test_a_meeting_downloads_as_an_ics_file_in_europe_paris_with_its_vtimezone(world, client_for):
    response = client_for("agent").get(_meeting_url(world))
    assert response["Content-Disposition"] == f'attachment; filename="reunion-{world.group_meeting.pk}.ics"'
    calendar, text = _parse(response)

    (event,) = calendar.events
    assert event.summary == "Séance de lancement — Espace des agents du Pôle"
    # 2 March 2026, 14:00 in Paris (winter time, UTC+1), written with the zone's name, not in UTC.
    assert "DTSTART;TZID=Europe/Paris:20260302T140000" in text
    assert event.dtstart == datetime.datetime(2026, 3, 2, 13, 0, tzinfo=datetime.UTC)
    assert event.dtend - event.dtstart == datetime.timedelta(hours=2)
    assert [tz.tz_id for tz in calendar.timezones] == ["Europe/Paris"]
    assert event.location == "Salle du Pôle, Carmaux"
    assert event.description == "Tour de table."
    assert event.status.value == "CONFIRMED"
    assert (
        event.uid == uid_for("reunion", world.group_meeting.pk) == f"reunion-{world.group_meeting.pk}@{HOST}"
    )


def test_a_summer_meeting_keeps_its_local_hour(world, client_for):
    cooperation_services.meeting_save(
        actor=world.users["agent"],
        group=world.agents_group,
        meeting=world.group_meeting,
        starts_at=datetime.datetime(2026, 7, 2, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
    )
    calendar, text = _parse(client_for("agent").get(_meeting_url(world)))
    assert "DTSTART;TZID=Europe/Paris:20260702T093000" in text
    assert calendar.events[0].dtstart.utcoffset() == datetime.timedelta(hours=2)


def test_the_uid_of_a_meeting_stays_the_same_across_downloads_and_changes(world, client_for):
    client = client_for("agent")
    first, _text = _parse(client.get(_meeting_url(world)))
    cooperation_services.meeting_save(
        actor=world.users["agent"], group=world.agents_group, meeting=world.group_meeting, title="Renommée"
    )
    second, _text = _parse(client.get(_meeting_url(world)))
    assert first.events[0].uid == second.events[0].uid
    assert second.events[0].summary.startswith("Renommée")


def test_a_cancelled_meeting_is_marked_cancelled_and_can_be_restored(world, client_for):
    client = client_for("agent")
    response = client.post(_meeting_url(world, "meeting_cancel"))
    assert response.status_code == 302
    world.group_meeting.refresh_from_db()
    assert world.group_meeting.cancelled_at is not None
    calendar, text = _parse(client.get(_meeting_url(world)))
    assert calendar.events[0].status.value == "CANCELLED"
    assert "STATUS:CANCELLED" in text
    page = client.get(reverse("cooperation:meetings", args=[world.agents_group.pk])).content.decode()
    assert "Annulée" in page and "Rétablir la réunion" in page

    client.post(_meeting_url(world, "meeting_cancel"), {"restore": "1"})
    world.group_meeting.refresh_from_db()
    assert world.group_meeting.cancelled_at is None
    assert AuditEntry.objects.filter(action__in=["meeting.cancel", "meeting.restore"]).count() == 2


def test_only_the_groups_members_download_its_meetings(world, client_for):
    assert client_for("dgs").get(_meeting_url(world)).status_code == 404
    assert client_for("anonymous").get(_meeting_url(world)).status_code == 302
    assert client_for("dgs").post(_meeting_url(world, "meeting_cancel")).status_code == 404


def test_a_training_session_is_a_whole_day_event(world, client_for):
    url = reverse("trainings:session_ics", args=[world.training_cycle.pk, world.training_session.pk])
    calendar, text = _parse(client_for("elu").get(url))
    (event,) = calendar.events
    assert "DTSTART;VALUE=DATE:20220922" in text and "DTEND;VALUE=DATE:20220923" in text
    assert event.summary == "Le management par la coopération — Ouverture"
    assert event.uid == f"seance-{world.training_session.pk}@{HOST}"
    assert client_for("outsider").get(url).status_code == 403


def test_a_public_event_and_the_public_feed(world):
    client = Client()
    calendar, text = _parse(client.get(reverse("calendars:event_ics", args=[world.public_event.pk])))
    (event,) = calendar.events
    assert event.summary == "Festival Explore Demain"
    # From 17 to 25 May: DTEND is the day after the last day.
    assert "DTSTART;VALUE=DATE:20270517" in text and "DTEND;VALUE=DATE:20270526" in text

    feed, _text = _parse(client.get(reverse("calendars:public_feed")))
    assert [e.summary for e in feed.events] == ["Festival Explore Demain"]
    # A resource that is not an event, or not public, has no .ics.
    assert client.get(reverse("calendars:event_ics", args=[world.resource.pk])).status_code == 404
    assert client.get(reverse("calendars:event_ics", args=[world.members_resource.pk])).status_code == 404


def test_the_personal_feed_gathers_the_persons_meetings_and_sessions(world, client_for):
    training_services.participants_register(
        actor=world.users["agent"],
        cycle=world.training_cycle,
        people=[{"name": "Antoine Agent", "organisation": "Pôle", "function": ""}],
    )
    participant = world.training_cycle.participants.get(name="Antoine Agent")
    participant.user = world.users["agent"]
    participant.save(update_fields=["user"])
    recent = training_services.session_add(
        actor=world.users["agent"],
        cycle=world.training_cycle,
        date=world.training_cycle.start_date + datetime.timedelta(days=40),
        topic="Deuxième jour",
    )
    world.training_cycle.__class__.objects.filter(pk=world.training_cycle.pk).update(
        start_date=datetime.date.today() - datetime.timedelta(days=30),
        end_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    recent.__class__.objects.filter(pk=recent.pk).update(
        date=datetime.date.today() + datetime.timedelta(days=3)
    )

    soon = timezone.now() + datetime.timedelta(days=10)
    world.group_meeting.__class__.objects.filter(pk=world.group_meeting.pk).update(starts_at=soon)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    cooperation_services.meeting_save(
        actor=world.users["agent"],
        group=world.agents_group,
        title="Très ancienne",
        starts_at=long_ago,
        place="Carmaux",
    )

    url = reverse("calendars:personal_feed", args=[world.calendar_subscription.token])
    calendar, _text = _parse(Client().get(url))  # no session: the address is the key
    summaries = {e.summary for e in calendar.events}
    assert "Séance de lancement — Espace des agents du Pôle" in summaries
    assert "Le management par la coopération — Deuxième jour" in summaries
    # The DGS group's meetings are not the agent's; a meeting of more than six months ago has left the feed.
    assert all("DGS" not in s for s in summaries)
    assert not any(s.startswith("Très ancienne") for s in summaries)
    world.calendar_subscription.refresh_from_db()
    assert world.calendar_subscription.last_read_at is not None


def test_a_renewed_or_revoked_address_stops_working(world, client_for):
    old = reverse("calendars:personal_feed", args=[world.calendar_subscription.token])
    client = client_for("agent")
    assert client.post(reverse("calendars:subscribe")).status_code == 302
    new_token = CalendarSubscription.objects.get(user=world.users["agent"]).token
    assert new_token != world.calendar_subscription.token
    assert Client().get(old).status_code == 404
    new = reverse("calendars:personal_feed", args=[new_token])
    assert Client().get(new).status_code == 200
    page = client.get(reverse("calendars:agenda")).content.decode()
    assert new_token in page

    client.post(reverse("calendars:revoke"))
    assert Client().get(new).status_code == 404
    assert not CalendarSubscription.objects.filter(user=world.users["agent"]).exists()
    assert "Créer mon adresse d'abonnement" in client.get(reverse("calendars:agenda")).content.decode()


def test_an_unknown_address_or_a_deactivated_account_reads_nothing(world):
    assert Client().get(reverse("calendars:personal_feed", args=["nimportequoi"])).status_code == 404
    agent = world.users["agent"]
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    url = reverse("calendars:personal_feed", args=[world.calendar_subscription.token])
    assert Client().get(url).status_code == 404


def test_the_agenda_page_lists_whats_next_and_is_for_signed_in_people(world, client_for):
    assert client_for("anonymous").get(reverse("calendars:agenda")).status_code == 302
    response = client_for("facilitator").get(reverse("calendars:agenda"))
    assert response.status_code == 200
    assert "Créer mon adresse d'abonnement" in response.content.decode()


def test_the_feed_costs_the_same_queries_whatever_the_number_of_meetings(
    world, django_assert_max_num_queries
):
    url = reverse("calendars:personal_feed", args=[world.calendar_subscription.token])
    client = Client()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for i in range(30):
        cooperation_services.meeting_save(
            actor=world.users["agent"],
            group=world.agents_group,
            title=f"Réunion {i}",
            starts_at=datetime.datetime(2026, 4, 1 + i % 28, 10, tzinfo=datetime.UTC),
            place="Carmaux",
        )
    with django_assert_max_num_queries(len(queries)):
        _parse(client.get(url))
    assert len(queries) <= 12
