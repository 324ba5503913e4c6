import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Session
from accounts.sessions import SessionStore
from accounts.tasks import clear_expired_sessions


def _session(ends_in: datetime.timedelta) -> str:
    store = SessionStore()
    store["seen"] = True
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + ends_in)
    return store.session_key


@pytest.mark.django_db
def test_the_nightly_task_removes_the_sessions_past_their_end_and_keeps_the_live_ones():
    ended = _session(datetime.timedelta(seconds=-1))
    live = _session(datetime.timedelta(days=1))

    assert clear_expired_sessions.delay().get() == 1

    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert not SessionStore(session_key=ended).exists(ended)


def test_beat_runs_it_each_night():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-clear-expired-sessions"]
    assert entry["task"] == clear_expired_sessions.name
    assert entry["schedule"].hour == {4}
