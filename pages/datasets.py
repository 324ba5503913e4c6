"""The rows of the open data files and of the admins' exports. Field names are part of the files' contract:
they never change, new fields are added at the end.

Each file's columns are written once, in order: a name alone is the row's attribute of that name; a pair
names the column and says how to read it; `Link` gives a page's path, written absolute in the file."""

from operator import attrgetter

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from alliance.models import Charter, Membership, MembershipStatus
from alliance.selectors import filter_by_charter, public_organisations
from projects.models import DeliverableKind, Project
from territories.models import Territory
from territories.selectors import with_places

from .selectors import public_resources

LICENSE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


class Link:
    """A column holding a page's address: the path `path(row)` made absolute for the file."""

    def __init__(self, path):
        self.path = path


def _columns(*specs) -> dict:
    return {
        spec if isinstance(spec, str) else spec[0]: attrgetter(spec) if isinstance(spec, str) else spec[1]
        for spec in specs
    }


def _rows(columns: dict, objects, absolute):
    for row in objects:
        yield {
            name: absolute(read.path(row)) if isinstance(read, Link) else read(row)
            for name, read in columns.items()
        }


def _label(field):
    """The shown value of a field with choices, empty when the field is."""
    return lambda row: str(getattr(row, f"get_{field}_display")()) if getattr(row, field) else ""


ALLY_COLUMNS = _columns(
    "id",
    "name",
    "category",
    ("category_label", _label("category")),
    "region",
    ("region_label", _label("region")),
    "siren",
    "website",
    "description",
    ("member_since", lambda org: org.member_since.date() if org.member_since else None),
    ("url", Link(lambda org: org.get_absolute_url())),
)
ALLY_FIELDS = list(ALLY_COLUMNS)


def allies(absolute):
    """The organisations of the public directory. Persons listed there are left out: their consent covers
    the directory page, not a bulk file of names."""
    accepted_at = (
        Membership.objects.filter(organisation=OuterRef("pk"), status=MembershipStatus.ACCEPTED)
        .order_by("decided_at")
        .values("decided_at")[:1]
    )
    organisations = public_organisations().annotate(member_since=Subquery(accepted_at)).order_by("name", "pk")
    return _rows(ALLY_COLUMNS, organisations, absolute)


TERRITORY_COLUMNS = _columns(
    "id",
    "name",
    "kind",
    ("kind_label", _label("kind")),
    "grouping_kind",
    "is_pilot",
    "pilot_since",
    "population",
    "commune_count",
    "area_km2",
    ("departments", lambda territory: list(territory.department_names)),
    ("regions", lambda territory: list(territory.region_names)),
    "website",
    ("url", Link(lambda territory: territory.get_absolute_url())),
)
TERRITORY_FIELDS = list(TERRITORY_COLUMNS)


def public_territories():
    return Territory.objects.filter(is_published=True)


def territories(absolute):
    """The published territories, with the départements and régions they lie in."""
    return _rows(TERRITORY_COLUMNS, with_places(public_territories()).order_by("name", "pk"), absolute)


def _organisation(field):
    return lambda membership: getattr(membership.organisation, field) if membership.organisation else ""


MEMBERSHIP_COLUMNS = _columns(
    "id",
    "kind",
    "member_name",
    "organisation_id",
    ("category", _organisation("category")),
    ("region", _organisation("region")),
    ("signatory_name", lambda membership: membership.signatory.get_full_name()),
    ("signatory_email", attrgetter("signatory.email")),
    "mandate",
    "status",
    ("status_label", _label("status")),
    ("charter_version", attrgetter("charter.version")),
    "to_resign",
    "renewal_due",
    "signed_at",
    "created_at",
    "decided_at",
    "ended_at",
    "listed_in_directory",
    ("url", Link(lambda membership: reverse("alliance:membership", args=[membership.pk]))),
)
MEMBERSHIP_FIELDS = list(MEMBERSHIP_COLUMNS)


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

    def with_renewal(rows):
        for membership in rows:
            membership.to_resign = (
                current is not None
                and membership.status == MembershipStatus.ACCEPTED
                and membership.charter_id != current.pk
            )
            membership.renewal_due = membership.to_resign and lapsed
            yield membership

    return _rows(MEMBERSHIP_COLUMNS, with_renewal(rows), absolute)


RESOURCE_COLUMNS = _columns(
    "id",
    "title",
    "kind",
    ("kind_label", _label("kind")),
    "summary",
    ("link", attrgetter("url")),
    "starts_on",
    "ends_on",
    "place",
    ("themes", lambda resource: [theme.name for theme in resource.themes.all()]),
    ("territories", lambda resource: [territory.name for territory in resource.territories.all()]),
    "credits",
    "published_at",
    ("url", Link(lambda resource: resource.get_absolute_url())),
)
RESOURCE_FIELDS = list(RESOURCE_COLUMNS)


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
    return _rows(RESOURCE_COLUMNS, rows, absolute)


def _deliverable_status(kind):
    # The latest revision of each kind of deliverable tells where it stands.
    def status(project):
        latest = max(
            (d for d in project.deliverables.all() if d.kind == kind),
            key=lambda d: (d.revision, d.pk),
            default=None,
        )
        return latest.status if latest else ""

    return status


PROJECT_COLUMNS = _columns(
    "id",
    "title",
    "territory_id",
    ("territory", attrgetter("territory.name")),
    "stage",
    ("stage_label", _label("stage")),
    ("lead_name", lambda project: project.lead.get_full_name() if project.lead_id else ""),
    ("themes", lambda project: [theme.name for theme in project.themes.all()]),
    ("intention_status", _deliverable_status(DeliverableKind.INTENTION)),
    ("cadrage_status", _deliverable_status(DeliverableKind.CADRAGE)),
    ("faisabilite_status", _deliverable_status(DeliverableKind.FAISABILITE)),
    "abandon_reason",
    "created_at",
    "updated_at",
    ("url", Link(lambda project: project.get_absolute_url())),
)
PROJECT_FIELDS = list(PROJECT_COLUMNS)


def projects(filters, absolute):
    """Every project matching the admins' filters (`forms.ProjectExportForm`), with the status of each of its
    three deliverables."""
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
    return _rows(PROJECT_COLUMNS, rows, absolute)
