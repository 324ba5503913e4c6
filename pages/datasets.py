"""The rows of the open data files and of the admins' exports. Field names are part of the files' contract:
they never change, new fields are added at the end."""

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from alliance.models import Charter, Membership, MembershipStatus
from alliance.selectors import filter_by_charter, public_organisations
from territories.models import Territory
from territories.selectors import with_places

from .selectors import public_resources

LICENSE = "Licence Ouverte / Open Licence 2.0 (Etalab)"

ALLY_FIELDS = [
    "id",
    "name",
    "category",
    "category_label",
    "region",
    "region_label",
    "siren",
    "website",
    "description",
    "member_since",
    "url",
]


def allies(absolute):
    """The organisations of the public directory. Persons listed there are left out: their consent covers
    the directory page, not a bulk file of names."""
    accepted_at = (
        Membership.objects.filter(organisation=OuterRef("pk"), status=MembershipStatus.ACCEPTED)
        .order_by("decided_at")
        .values("decided_at")[:1]
    )
    organisations = public_organisations().annotate(member_since=Subquery(accepted_at)).order_by("name", "pk")
    for org in organisations:
        yield {
            "id": org.pk,
            "name": org.name,
            "category": org.category,
            "category_label": str(org.get_category_display()),
            "region": org.region,
            "region_label": str(org.get_region_display()) if org.region else "",
            "siren": org.siren,
            "website": org.website,
            "description": org.description,
            "member_since": org.member_since.date() if org.member_since else None,
            "url": absolute(org.get_absolute_url()),
        }


TERRITORY_FIELDS = [
    "id",
    "name",
    "kind",
    "kind_label",
    "grouping_kind",
    "is_pilot",
    "pilot_since",
    "population",
    "commune_count",
    "area_km2",
    "departments",
    "regions",
    "website",
    "url",
]


def public_territories():
    return Territory.objects.filter(is_published=True)


def territories(absolute):
    """The published territories, with the départements and régions they lie in."""
    rows = with_places(public_territories()).order_by("name", "pk")
    for territory in rows:
        yield {
            "id": territory.pk,
            "name": territory.name,
            "kind": territory.kind,
            "kind_label": str(territory.get_kind_display()),
            "grouping_kind": territory.grouping_kind,
            "is_pilot": territory.is_pilot,
            "pilot_since": territory.pilot_since,
            "population": territory.population,
            "commune_count": territory.commune_count,
            "area_km2": territory.area_km2,
            "departments": list(territory.department_names),
            "regions": list(territory.region_names),
            "website": territory.website,
            "url": absolute(territory.get_absolute_url()),
        }


MEMBERSHIP_FIELDS = [
    "id",
    "kind",
    "member_name",
    "organisation_id",
    "category",
    "region",
    "signatory_name",
    "signatory_email",
    "mandate",
    "status",
    "status_label",
    "charter_version",
    "to_resign",
    "renewal_due",
    "signed_at",
    "created_at",
    "decided_at",
    "ended_at",
    "listed_in_directory",
    "url",
]


def memberships(filters, absolute):
    """Every membership matching the admins' filters (`forms.MembershipExportForm`)."""
    rows = Membership.objects.select_related("organisation", "signatory", "charter").order_by(
        "-created_at", "-pk"
    )
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    rows = filter_by_charter(
        rows, charter_version=filters.get("charter_version"), renewal=filters.get("renewal") or ""
    )
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("category"):
        rows = rows.filter(organisation__category=filters["category"])
    if filters.get("region"):
        rows = rows.filter(organisation__region=filters["region"])
    if filters.get("since"):
        rows = rows.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        rows = rows.filter(created_at__date__lte=filters["until"])
    if filters.get("q"):
        query = filters["q"]
        rows = rows.filter(
            Q(organisation__name__unaccent__icontains=query)
            | Q(signatory__full_name__unaccent__icontains=query)
        )
    current = Charter.objects.filter(is_current=True).first()
    lapsed = current is not None and current.deadline_passed()
    for membership in rows:
        organisation = membership.organisation
        to_resign = (
            current is not None
            and membership.status == MembershipStatus.ACCEPTED
            and membership.charter_id != current.pk
        )
        yield {
            "id": membership.pk,
            "kind": membership.kind,
            "member_name": membership.member_name,
            "organisation_id": membership.organisation_id,
            "category": organisation.category if organisation else "",
            "region": organisation.region if organisation else "",
            "signatory_name": membership.signatory.get_full_name(),
            "signatory_email": membership.signatory.email,
            "mandate": membership.mandate,
            "status": membership.status,
            "status_label": str(membership.get_status_display()),
            "charter_version": membership.charter.version,
            "to_resign": to_resign,
            "renewal_due": to_resign and lapsed,
            "signed_at": membership.signed_at,
            "created_at": membership.created_at,
            "decided_at": membership.decided_at,
            "ended_at": membership.ended_at,
            "listed_in_directory": membership.listed_in_directory,
            "url": absolute(reverse("alliance:membership", args=[membership.pk])),
        }


RESOURCE_FIELDS = [
    "id",
    "title",
    "kind",
    "kind_label",
    "summary",
    "link",
    "starts_on",
    "ends_on",
    "place",
    "themes",
    "territories",
    "credits",
    "published_at",
    "url",
]


def resources(absolute):
    """The published resources open to all. Authors with an account are left out, as the persons of the
    directory are; the credits the resource names stay."""
    # A resource may name a territory whose profile is not public: only published territories are listed.
    rows = (
        public_resources()
        .prefetch_related(
            "themes", Prefetch("territories", queryset=Territory.objects.filter(is_published=True))
        )
        .order_by("-published_at", "-pk")
    )
    for resource in rows:
        yield {
            "id": resource.pk,
            "title": resource.title,
            "kind": resource.kind,
            "kind_label": str(resource.get_kind_display()),
            "summary": resource.summary,
            "link": resource.url,
            "starts_on": resource.starts_on,
            "ends_on": resource.ends_on,
            "place": resource.place,
            "themes": [theme.name for theme in resource.themes.all()],
            "territories": [territory.name for territory in resource.territories.all()],
            "credits": resource.credits,
            "published_at": resource.published_at,
            "url": absolute(resource.get_absolute_url()),
        }


PROJECT_FIELDS = [
    "id",
    "title",
    "territory_id",
    "territory",
    "stage",
    "stage_label",
    "lead_name",
    "themes",
    "intention_status",
    "cadrage_status",
    "faisabilite_status",
    "abandon_reason",
    "created_at",
    "updated_at",
    "url",
]


def projects(filters, absolute):
    """Every project matching the admins' filters (`forms.ProjectExportForm`), with the status of each of its
    three deliverables."""
    from projects.models import DeliverableKind, Project

    rows = (
        Project.objects.select_related("territory", "lead")
        .prefetch_related("themes", "deliverables")
        .order_by("-created_at", "-pk")
    )
    if filters.get("stage"):
        rows = rows.filter(stage=filters["stage"])
    if filters.get("theme"):
        rows = rows.filter(themes=filters["theme"])
    if filters.get("since"):
        rows = rows.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        rows = rows.filter(created_at__date__lte=filters["until"])
    if filters.get("q"):
        query = filters["q"]
        rows = rows.filter(
            Q(title__unaccent__icontains=query) | Q(territory__name__unaccent__icontains=query)
        )
    for project in rows:
        # The latest revision of each kind of deliverable tells where it stands.
        statuses = {}
        for deliverable in sorted(project.deliverables.all(), key=lambda d: (d.kind, d.revision, d.pk)):
            statuses[deliverable.kind] = deliverable.status
        yield {
            "id": project.pk,
            "title": project.title,
            "territory_id": project.territory_id,
            "territory": project.territory.name,
            "stage": project.stage,
            "stage_label": str(project.get_stage_display()),
            "lead_name": project.lead.get_full_name() if project.lead_id else "",
            "themes": [theme.name for theme in project.themes.all()],
            "intention_status": statuses.get(DeliverableKind.INTENTION, ""),
            "cadrage_status": statuses.get(DeliverableKind.CADRAGE, ""),
            "faisabilite_status": statuses.get(DeliverableKind.FAISABILITE, ""),
            "abandon_reason": project.abandon_reason,
            "created_at": project.created_at,
            "updated_at": project.updated_at,
            "url": absolute(project.get_absolute_url()),
        }
