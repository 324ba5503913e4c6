"""Reads of the alliance: the current charter, a person's memberships, the public directory; for the admins,
memberships by charter version and by what they still have to sign, with the counts their pages show; and
the admins' « À faire » that « Mon espace » composes."""

import hashlib
import time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.todo import TODO_LIMIT, TodoItem, TodoList

from .models import (
    Category,
    Charter,
    LapsedListing,
    Membership,
    MembershipKind,
    MembershipStatus,
    Organisation,
    OrganisationPerson,
)

TO_RESIGN = "a-resigner"
LAPSED = "a-renouveler"
RENEWAL_CHOICES = [
    (TO_RESIGN, _("À re-signer (version précédente de la charte)")),
    (LAPSED, _("Adhésion à renouveler (échéance passée)")),
]


def filter_by_charter(memberships, *, charter_version=None, renewal=""):
    """Memberships signed on `charter_version`, and/or still to re-sign (`TO_RESIGN`) or past the deadline
    (`LAPSED`): accepted memberships on a version that is no longer current."""
    if charter_version:
        memberships = memberships.filter(charter__version=charter_version)
    if renewal in (TO_RESIGN, LAPSED):
        memberships = memberships.filter(status=MembershipStatus.ACCEPTED, charter__is_current=False)
    if renewal == LAPSED:
        current = Charter.objects.filter(is_current=True).first()
        if current is None or not current.deadline_passed():
            memberships = memberships.none()
    return memberships


def charter_counts() -> dict:
    """For each version, the accepted memberships signed on it; and how many are still to re-sign."""
    rows = (
        Charter.objects.annotate(
            members=Count("membership", filter=Q(membership__status=MembershipStatus.ACCEPTED))
        )
        .order_by("-version")
        .values("version", "is_current", "resign_deadline", "members")
    )
    versions = list(rows)
    current = next((v for v in versions if v["is_current"]), None)
    to_resign = sum(v["members"] for v in versions if not v["is_current"])
    deadline = current["resign_deadline"] if current else None
    lapsed = to_resign if deadline and timezone.localdate() > deadline else 0
    return {"versions": versions, "to_resign": to_resign, "lapsed": lapsed, "current": current}


def lapsed_ids(memberships) -> set:
    """Among these memberships (a page of a list), those « à renouveler »."""
    current = Charter.objects.filter(is_current=True).first()
    if current is None or not current.deadline_passed():
        return set()
    return {m.pk for m in memberships if m.status == MembershipStatus.ACCEPTED and m.charter_id != current.pk}


def current_charter() -> Charter | None:
    return Charter.objects.filter(is_current=True).first()


def memberships_of(user):
    """The memberships a person signed, and those of the organisations they belong to."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(Q(signatory=user) | Q(organisation__memberships_people__person=user))
        .select_related("organisation", "charter", "signatory")
        .distinct()
        .order_by("-created_at")
    )


# The directory's counts are the same for every visitor and shown on the home page too: kept this long, or
# until an organisation, a membership or a charter version is saved or deleted (`forget_directory_counts`).
COUNTS_CACHE_SECONDS = 300


def _counts_key() -> str:
    # Per database: platforms (or test processes) sharing one Redis keep their counts apart.
    return f"alliance:directory-counts:{connection.settings_dict['NAME']}"


def directory_counts() -> dict:
    """How many allies of each category appear in the public directory."""
    kept = cache.get(_counts_key())
    if kept is None:
        rows = public_organisations().values("category").annotate(n=Count("id")).order_by()
        kept = ({row["category"]: row["n"] for row in rows}, public_persons().count())
        cache.set(_counts_key(), kept, COUNTS_CACHE_SECONDS)
    by_category, persons = kept
    return {
        "categories": [(value, label, by_category.get(value, 0)) for value, label in Category.choices],
        "organisations": sum(by_category.values()),
        "persons": persons,
    }


def forget_directory_counts(*, again_on_commit: bool = True) -> None:
    """The directory changed: its counts and its kept listings are computed again by the next page. A page
    counting between the change and its commit keeps the counts of before, for COUNTS_CACHE_SECONDS at most;
    the listings are forgotten again once the change is committed."""
    cache.delete(_counts_key())
    _new_listing_generation()
    if again_on_commit:
        transaction.on_commit(_new_listing_generation)


# The directory's plain listings (a category, a region, a page; no words searched) are the same for every
# visitor: kept rendered this long, or until the directory changes (`forget_directory_counts`).
LISTING_CACHE_SECONDS = COUNTS_CACHE_SECONDS


def _listing_generation_key() -> str:
    return f"alliance:directory-listing:{connection.settings_dict['NAME']}:generation"


def _new_listing_generation() -> None:
    cache.set(_listing_generation_key(), time.time_ns(), None)


def directory_listing_key(*, query: str, language: str) -> str:
    """The cache key of a rendered listing of the directory: its generation, today's date (a charter's
    deadline passing changes who is listed), the language and the query string as given (the pagination's
    links repeat it)."""
    generation = cache.get(_listing_generation_key())
    if generation is None:
        generation = time.time_ns()
        cache.set(_listing_generation_key(), generation, None)
    digest = hashlib.sha256(query.encode()).hexdigest()
    database = connection.settings_dict["NAME"]
    today = timezone.localdate().isoformat()
    return f"alliance:directory-listing:{database}:{generation}:{today}:{language}:{digest}"


def _past_deadline(listing: str) -> Exists:
    """True in SQL when the current version's deadline is past and the directory `listing` applies to those
    still to re-sign: read in the directory's own query, without a query of its own."""
    return Exists(
        Charter.objects.filter(
            is_current=True, resign_deadline__lt=timezone.localdate(), lapsed_listing=listing
        )
    )


def public_organisations():
    """The member organisations of the public directory. Past the current version's deadline, those whose
    membership is « à renouveler » are left out or marked (`renewal_due`), as the version says."""
    shown = Membership.objects.filter(
        Q(charter__is_current=True) | ~_past_deadline(LapsedListing.HIDE),
        organisation=OuterRef("pk"),
        status=MembershipStatus.ACCEPTED,
        listed_in_directory=True,
    )
    due = Membership.objects.filter(
        organisation=OuterRef("pk"), status=MembershipStatus.ACCEPTED, charter__is_current=False
    )
    return Organisation.objects.filter(Exists(shown), listed_in_directory=True).annotate(
        renewal_due=ExpressionWrapper(
            Q(Exists(due)) & Q(_past_deadline(LapsedListing.MARK)), output_field=BooleanField()
        )
    )


def public_persons():
    return (
        Membership.objects.filter(
            Q(charter__is_current=True) | ~_past_deadline(LapsedListing.HIDE),
            kind=MembershipKind.PERSON,
            status=MembershipStatus.ACCEPTED,
            listed_in_directory=True,
        )
        .select_related("signatory")
        .annotate(
            renewal_due=ExpressionWrapper(
                Q(charter__is_current=False) & Q(_past_deadline(LapsedListing.MARK)),
                output_field=BooleanField(),
            )
        )
    )


def memberships_to_resign():
    """Accepted memberships signed against a version that is no longer current (« à re-signer »)."""
    return Membership.objects.filter(status=MembershipStatus.ACCEPTED, charter__is_current=False)


def lapsed_memberships(today=None):
    """« Adhésion à renouveler »: those still to re-sign once the current version's deadline is past."""
    current = current_charter()
    if current is None or not current.deadline_passed(today):
        return Membership.objects.none()
    return memberships_to_resign()


def charters_to_resign(user):
    """The accepted memberships the person signed against a charter version that is no longer current."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return memberships_to_resign().filter(signatory=user).select_related("organisation", "charter")


# --- « À faire » (composed by « Mon espace ») ---------------------------------------------------------------


def applications_to_review(*, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The applications waiting for a decision, the oldest first (the review queue's first page)."""
    rows = list(
        Membership.objects.filter(status=MembershipStatus.CANDIDATE)
        .select_related("organisation", "signatory")
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "pk")[:limit]
    )
    return rows, (rows[0].total if rows else 0)


def members_to_resign(*, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The members who signed a version of the charter that is no longer in force (the review queue's
    « À re-signer »), the oldest signature first."""
    rows = list(
        memberships_to_resign()
        .select_related("organisation", "signatory", "charter")
        .annotate(total=Window(Count("pk")))
        .order_by("signed_at", "pk")[:limit]
    )
    return rows, (rows[0].total if rows else 0)


def todo_for(user) -> list[TodoList]:
    """For the alliance's admins: the applications to review and the members who have not signed the charter
    in force. Two queries; none for anyone else."""
    if not user.is_alliance_admin:
        return []
    applications, applications_count = applications_to_review()
    to_resign, to_resign_count = members_to_resign()
    queue = reverse("alliance:review_queue")
    return [
        TodoList(
            key="alliance.applications",
            title=gettext("Candidatures à examiner"),
            empty=gettext("Aucune candidature n'attend de décision."),
            items=[
                TodoItem(
                    label=membership.member_name,
                    url=membership.get_absolute_url(),
                    since=membership.created_at,
                    age=gettext("déposée il y a %(duration)s"),
                    detail=membership.get_kind_display(),
                )
                for membership in applications
            ],
            count=applications_count,
            more_url=queue,
            more_label=gettext("Toutes les candidatures"),
            order=6,
        ),
        TodoList(
            key="alliance.resign",
            title=gettext("Membres qui n'ont pas signé la charte en vigueur"),
            empty=gettext("Tous les membres ont signé la charte en vigueur."),
            items=[
                TodoItem(
                    label=membership.member_name,
                    url=membership.get_absolute_url(),
                    since=membership.signed_at,
                    age=gettext("signée il y a %(duration)s"),
                    detail=gettext("Charte signée : version %(version)s")
                    % {"version": membership.charter.version},
                )
                for membership in to_resign
            ],
            count=to_resign_count,
            more_url=f"{queue}?renouvellement={TO_RESIGN}",
            more_label=gettext("Tous les membres à re-signer"),
            order=7,
        ),
    ]


def organisation_people(organisation):
    """The organisation's people, its referents first."""
    return (
        OrganisationPerson.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("-is_referent", "person__full_name")
    )


def memberships_with_status(status):
    return Membership.objects.filter(status=status)


def charter_versions():
    """Every version of the charter, with who published it (in the model's order)."""
    return Charter.objects.select_related("published_by")
