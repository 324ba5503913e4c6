"""The authentication backends (settings.AUTHENTICATION_BACKENDS): Django's and allauth's, unchanged but for
how the signed-in person is read on each request.

`get_user` runs on every signed-in request (django.contrib.auth.get_user, through the request's lazy
`user`). The ORM spent several times longer composing `User.objects.get(pk=…)` than PostgreSQL took to
answer it; here the statement is written once per process and read through `User.objects.raw` (the same
way projects.review reads its constant statements). Django's own `get_user` still calls it and still
verifies the session's hash against the password, so a password change ends the other sessions exactly as
before.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User

# Every concrete column of one person by id, written once from the model (the table and column names are
# its own); the ORM's raw query turns the row into a User as `User.objects.get` would, converters included.
_PERSON_SQL = "SELECT {columns} FROM {table} WHERE {pk} = %s".format(  # noqa: S608 - the model's own names
    columns=", ".join(f'"{field.column}"' for field in User._meta.concrete_fields),
    table=f'"{User._meta.db_table}"',
    pk=f'"{User._meta.pk.column}"',
)


def user_by_id(user_id) -> User | None:
    """The person of this id, as `User.objects.get(pk=user_id)` returns it, or None."""
    return next(iter(User.objects.raw(_PERSON_SQL, [user_id])), None)


class FastUserMixin:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(FastUserMixin, AllauthBackend):
    pass
