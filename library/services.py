"""Workflows of the library: writing a resource, its review and publication, attachments, bookmarks.

The search vector of a resource is rewritten by `resource_reindex` in the transaction of each service that
changes what it is made of. Not a database trigger: the vector holds the names of the resource's themes,
territories and authors, which live in other tables (a trigger on the resource row would not see them
change), and one UPDATE statement reindexes any number of resources for bulk loads.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PlatformRole, User
from core.audit import audit
from core.errors import DomainError
from notifications.services import notify

from .access import is_publisher
from .models import SEARCH_CONFIG, Attachment, Bookmark, Resource, ResourceStatus
from .selectors import forget_searches
from .uploads import download_name

# The fields a resource's form writes; status, dates of the workflow and authors are the services' own.
EDITABLE_FIELDS = (
    "title",
    "kind",
    "summary",
    "body",
    "url",
    "starts_on",
    "ends_on",
    "place",
    "credits",
    "members_only",
)


def _names(through, resource_field, name_path, **only):
    """The space-separated names of the related rows of each resource (those matching `only`), as a
    subquery of the UPDATE."""
    return Coalesce(
        Subquery(
            through.objects.filter(**{resource_field: OuterRef("pk")}, **only)
            .order_by()
            .values(resource_field)
            .annotate(names=StringAgg(name_path, " "))
            .values("names")
        ),
        Value(""),
        output_field=TextField(),
    )


def search_document():
    """Title first (A), then the summary and themes (B), then the rest (C).

    A theme counts by its French and its English name: an English reader searches by the name they read.
    Both go through the French configuration, as the query does, so a word is stemmed alike on both sides."""
    themes = _names(Resource.themes.through, "resource_id", "theme__name")
    themes_en = _names(Resource.themes.through, "resource_id", "theme__name_en")
    # Only published territories: a search must not find resources by the name of a territory whose profile
    # is private (resource_reindex runs again when a territory is published or unpublished).
    territories = _names(
        Resource.territories.through, "resource_id", "territory__name", territory__is_published=True
    )
    authors = _names(Resource.authors.through, "resource_id", "user__full_name")
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", themes, themes_en, weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", "credits", "place", territories, authors, weight="C", config=SEARCH_CONFIG)
    )


def resource_reindex(resources) -> int:
    """Rewrite the search vector of the given resources (a queryset) in one statement; the searches kept
    are forgotten (an UPDATE sends no signal to library.receivers)."""
    count = Resource.objects.filter(pk__in=resources.values("pk")).update(search_vector=search_document())
    forget_searches()
    return count


def resources_reindex_for_territory(*, territory) -> int:
    """A territory was published or unpublished: its name enters or leaves the search vectors of the
    resources linked to it."""
    return resource_reindex(Resource.objects.filter(territories=territory))


def resources_reindex_for_theme(*, theme) -> int:
    """A theme was renamed (in French or English): its resources are found by its new names."""
    return resource_reindex(Resource.objects.filter(themes=theme))


def _publishers():
    return User.objects.filter(is_active=True, role__in=[PlatformRole.ADMIN, PlatformRole.FACILITATOR])


def _notify_authors(resource, *, kind, actor, message, excerpt=""):
    notify(
        kind=kind,
        recipients=list(resource.authors.all()),
        actor=actor,
        message=message,
        params={"title": resource.title},
        url=resource.get_absolute_url(),
        excerpt=excerpt,
    )


def _write(resource, fields, themes, territories):
    """Save the given fields; `themes` and `territories` replace the resource's when they are not None."""
    for name in EDITABLE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(resource, name, value.strip() if isinstance(value, str) else value)
    resource.full_clean(exclude=["search_vector"], validate_unique=False)
    resource.save()
    if themes is not None:
        resource.themes.set(themes)
    if territories is not None:
        resource.territories.set(territories)


def resource_create(*, actor, fields: dict, themes=(), territories=(), authors=()) -> Resource:
    """A new draft, written by `actor` (and the co-authors given)."""
    with transaction.atomic():
        resource = Resource(created_by=actor, status=ResourceStatus.DRAFT)
        _write(resource, fields, themes, territories)
        resource.authors.set({actor, *authors})
        resource_reindex(Resource.objects.filter(pk=resource.pk))
        audit(actor=actor, action="resource.create", target=resource, kind=resource.kind)
    return resource


def _locked(resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _is_author(user, resource) -> bool:
    return resource.authors.filter(pk=user.pk).exists()


def resource_update(*, actor, resource: Resource, fields: dict, themes=None, territories=None) -> Resource:
    with transaction.atomic():
        locked = _locked(resource)
        if not is_publisher(actor):
            if not _is_author(actor, locked):
                raise DomainError(_("Seul·es les auteur·ices et les relecteur·ices modifient une ressource."))
            if locked.status != ResourceStatus.DRAFT:
                raise DomainError(
                    _("Cette ressource est « %(status)s » : seul un brouillon se modifie.")
                    % {"status": locked.get_status_display()}
                )
        _write(locked, fields, themes, territories)
        resource_reindex(Resource.objects.filter(pk=locked.pk))
        audit(actor=actor, action="resource.update", target=locked)
    return locked


def resource_submit(*, actor, resource: Resource) -> Resource:
    """An author asks for the draft to be reviewed; the publishers are told."""
    with transaction.atomic():
        locked = _locked(resource)
        if not _is_author(actor, locked):
            raise DomainError(_("Seul·es les auteur·ices soumettent leur ressource à la relecture."))
        if locked.status != ResourceStatus.DRAFT:
            raise DomainError(_("Cette ressource n'est plus un brouillon : elle est déjà soumise."))
        locked.status = ResourceStatus.REVIEW
        locked.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="resource.submit", target=locked)
        notify(
            kind="library.submitted",
            recipients=list(_publishers()),
            actor=actor,
            message="library.submitted",
            params={"title": locked.title},
            url=locked.get_absolute_url(),
            excerpt=locked.summary,
        )
    return locked


def resource_publish(*, actor, resource: Resource) -> Resource:
    if not is_publisher(actor):
        raise DomainError(_("Seul·es les admins de l'alliance et les accompagnateur·ices publient."))
    with transaction.atomic():
        locked = _locked(resource)
        if locked.status != ResourceStatus.REVIEW:
            raise DomainError(
                _("Cette ressource est « %(status)s » : seule une ressource à relire se publie.")
                % {"status": locked.get_status_display()}
            )
        locked.status = ResourceStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit(actor=actor, action="resource.publish", target=locked)
        _notify_authors(
            locked,
            kind="library.published",
            actor=actor,
            message="library.published",
        )
    return locked


def resource_send_back(*, actor, resource: Resource, message: str) -> Resource:
    """Back to draft, from review or after publication, with what the authors should change."""
    if not is_publisher(actor):
        raise DomainError(_("Seul·es les admins de l'alliance et les accompagnateur·ices renvoient."))
    message = message.strip()
    if not message:
        raise DomainError(_("Dites aux auteur·ices ce qu'il faut reprendre."))
    with transaction.atomic():
        locked = _locked(resource)
        if locked.status == ResourceStatus.DRAFT:
            raise DomainError(_("Cette ressource est déjà un brouillon."))
        previous = locked.status
        locked.status = ResourceStatus.DRAFT
        locked.published_at = None
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit(actor=actor, action="resource.send_back", target=locked, previous=previous, message=message)
        _notify_authors(
            locked,
            kind="library.sent_back",
            actor=actor,
            message="library.sent_back",
            excerpt=message,
        )
    return locked


def attachment_add(*, actor, resource: Resource, file, title: str) -> Attachment:
    """`file` has passed uploads.validate_attachment (the form's field runs it)."""
    with transaction.atomic():
        attachment = Attachment.objects.create(
            resource=resource,
            title=title.strip() or file.name[:200],
            file=file,
            filename=download_name(file.name),
            size=file.size,
            added_by=actor,
        )
        audit(actor=actor, action="resource.attachment_add", target=resource, title=attachment.title)
    return attachment


def attachment_remove(*, actor, attachment: Attachment) -> None:
    with transaction.atomic():
        audit(
            actor=actor,
            action="resource.attachment_remove",
            target=attachment.resource,
            title=attachment.title,
        )
        # The file goes once the row is surely gone (core.files).
        attachment.delete()


def bookmark_toggle(*, user, resource: Resource) -> bool:
    """Add the resource to the person's bookmarks, or remove it; True when it is now bookmarked.

    Bookmarks are a person's own reading list, not a step of a workflow: they are not audited."""
    if resource.status != ResourceStatus.PUBLISHED:
        raise DomainError(_("Seule une ressource publiée peut être mise en favori."))
    with transaction.atomic():
        deleted, _rows = Bookmark.objects.filter(user=user, resource=resource).delete()
        if deleted:
            return False
        Bookmark.objects.get_or_create(user=user, resource=resource)
    return True
