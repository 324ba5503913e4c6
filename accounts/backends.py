"""The authentication backends (settings.AUTHENTICATION_BACKENDS): Django's and allauth's, unchanged but for
how the signed-in person is read on each request.

`get_user` runs on every signed-in request (django.contrib.auth.get_user, through the request's lazy
`user`). The ORM spent several times longer composing `User.objects.get(pk=…)` than PostgreSQL took to
answer it; here the statement is composed once per process and the row becomes a User as the ORM would make
it. Django's own `get_user` still calls it and still verifies the session's hash against the password, so a
password change ends the other sessions exactly as before.
"""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connections, router

from .models import User


@cache
def _statement():
    """The SELECT of every concrete column of one person by id, and the names to build the instance from."""
    meta = User._meta
    fields = meta.concrete_fields
    columns = ", ".join(f'"{field.column}"' for field in fields)
    sql = f'SELECT {columns} FROM "{meta.db_table}" WHERE "{meta.pk.column}" = %s'  # noqa: S608 - no input
    return sql, [field.attname for field in fields]


@cache
def _converters(alias: str):
    """(position, field, converters) of the columns whose value the ORM converts after reading it (none
    today: a field that gains a converter keeps working)."""
    connection = connections[alias]
    found = []
    for index, field in enumerate(User._meta.concrete_fields):
        if converters := field.get_db_converters(connection):
            found.append((index, field, converters))
    return found


def user_by_id(user_id) -> User | None:
    """The person of this id, as `User.objects.get(pk=user_id)` returns it, or None."""
    sql, names = _statement()
    alias = router.db_for_read(User)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, field, converters in _converters(alias):
        for converter in converters:
            values[index] = converter(values[index], field, connection)
    return User.from_db(alias, names, values)


class FastUserMixin:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(FastUserMixin, AllauthBackend):
    pass
