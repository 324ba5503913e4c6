"""What the library holds about a person, for their export and the deletion of their account
(accounts.privacy)."""

from django.db import transaction

from accounts.privacy import register, register_erasure

from .models import Bookmark, Resource
from .services import resource_reindex


@register
def export(user):
    return {
        "library_resources_authored": [
            {"title": title, "kind": kind, "status": status, "created_at": created_at}
            for title, kind, status, created_at in Resource.objects.filter(authors=user)
            .order_by("created_at", "pk")
            .values_list("title", "kind", "status", "created_at")
        ],
        "library_bookmarks": [
            {"resource": title, "date": created_at}
            for title, created_at in Bookmark.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("resource__title", "created_at")
        ],
    }


@register_erasure
def erase(user):
    """Bookmarks are the person's own reading list and go; the resources they wrote stay the alliance's,
    signed by the anonymised account."""
    Bookmark.objects.filter(user=user).delete()
    authored = list(Resource.objects.filter(authors=user).values_list("pk", flat=True))
    # The search vector holds the authors' names: rewrite it once the account is renamed, at commit.
    transaction.on_commit(lambda: resource_reindex(Resource.objects.filter(pk__in=authored)))
