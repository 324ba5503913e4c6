"""The session engine (settings.SESSION_ENGINE): Django's database sessions, each row naming its person, so
that a person's sessions are found, and ended, with one query (accounts.privacy)."""

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

# Sessions opened before accounts.backends name the backends it replaced: read as naming their replacements,
# so that deploying it signs nobody out (Django's get_user ignores a session whose backend is not configured).
REPLACED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}


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

    def load(self):
        """As Django's database sessions load (the data of the live session of this key, or nothing, the key
        then forgotten), in one plain statement: on every signed-in request the ORM spent several times
        longer composing the query than PostgreSQL answering it."""
        table = self.model._meta.db_table
        with connections[router.db_for_read(self.model)].cursor() as cursor:
            cursor.execute(
                f'SELECT session_data FROM "{table}" WHERE session_key = %s AND expire_date > %s',  # noqa: S608
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data = self.decode(row[0])
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in REPLACED_BACKENDS:
            data[BACKEND_SESSION_KEY] = REPLACED_BACKENDS[backend]
        return data

    def create_model_instance(self, data):
        # Called on every save: the column follows a login, a logout or a change of person.
        instance = super().create_model_instance(data)
        instance.user_id = user_id_of(data)
        return instance
