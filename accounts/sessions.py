"""The session engine (settings.SESSION_ENGINE): Django's database sessions, each row naming its person, so
that a person's sessions are found, and ended, with one query (accounts.privacy)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


def user_id_of(data) -> int | None:
    """The signed-in person's id in session data, None for an anonymous session."""
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        # Called on every save: the column follows a login, a logout or a change of person.
        instance = super().create_model_instance(data)
        instance.user_id = user_id_of(data)
        return instance
