"""Reads of the alliance for the admins: memberships by charter version and by what they still have to sign,
with the counts the admin pages show."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Charter, MembershipStatus

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
    return {
        m.pk for m in memberships if m.status == MembershipStatus.ACCEPTED and m.charter_id != current.pk
    }
