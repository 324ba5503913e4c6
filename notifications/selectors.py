"""Reads of notifications: a person's list, unread ones first; their unread count of every page's header."""

from functools import cache

from django.db import connections, router
from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Notification


def notifications_for(user):
    """The person's notifications, unread ones first, then the newest."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created_at", "-id")
    )


# Stands for the person in the statement composed once; no account has this id.
_SOMEONE = -1


@cache
def _unread_count_statement() -> tuple[str, list, list[int]]:
    """The count of `Notification.objects.filter(recipient=…).unread()` as SQL, composed by the ORM once
    per process (the rule of what is unread stays the queryset's), with where the person's id goes."""
    queryset = Notification.objects.filter(recipient_id=_SOMEONE).unread().order_by().values("pk")
    sql, params = queryset.query.sql_with_params()
    slots = [index for index, value in enumerate(params) if value == _SOMEONE]
    return f"SELECT COUNT(*) FROM ({sql}) AS unread", list(params), slots  # noqa: S608 - the ORM's own SQL


def unread_count(user_id: int) -> int:
    """How many notifications the person has not read: the header of every page shows it, and the ORM spent
    longer composing `.unread().count()` than PostgreSQL answering it (from the partial index)."""
    sql, params, slots = _unread_count_statement()
    params = list(params)
    for index in slots:
        params[index] = user_id
    with connections[router.db_for_read(Notification)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
