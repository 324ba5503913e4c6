"""Reads of the territories: their places in the reference data, their team's figures, and what other pages
compose (« Mon espace » and its « À faire »)."""

import functools
import json

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections
from django.db.models import Case, CharField, Count, F, Min, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import ActorFamily
from core import french
from core.french import Noun
from core.todo import TodoItem, TodoList
from reference.models import Commune, Department, Region

from .models import (
    ROLE_FAMILIES,
    Assessment,
    AssessmentScore,
    Diagnostic,
    Invitation,
    InvitationStatus,
    Milestone,
    Recommendation,
    TeamMember,
    TeamRole,
    Territory,
    TerritoryKind,
    roles_in_family_order,
)
from .services import open_invitations_for


def team_roles_of(user) -> list[TeamMember]:
    """The person's place in each territory's team, territories by name."""
    return list(TeamMember.objects.filter(user=user).select_related("territory").order_by("territory__name"))


def pending_invitations_by_territory(territory_ids) -> list[dict]:
    """For each territory, its invitations still waiting for an answer (expired ones included, as on the team
    page, where they are renewed or cancelled), the oldest sent first. One query."""
    return list(
        Invitation.objects.filter(territory_id__in=territory_ids, status=InvitationStatus.PENDING)
        .order_by()
        .values("territory_id", "territory__name", "territory__article")
        .annotate(
            n=Count("pk"),
            expired=Count("pk", filter=Q(expires_at__lte=timezone.now())),
            since=Min("created_at"),
        )
        .order_by("since", "territory_id")
    )


# The territory's (%(territory)s) team counted by role, and its invitations waiting for an answer that have
# not expired (the row whose role is NULL): one statement for the dashboard.
_TEAM_FIGURES_SQL = """
SELECT role, COUNT(*) FROM territories_teammember WHERE territory_id = %(territory)s GROUP BY role
UNION ALL
SELECT NULL, COUNT(*) FROM territories_invitation
    WHERE territory_id = %(territory)s AND status = %(pending)s AND expires_at > %(now)s
"""


def team_figures(territory) -> tuple[dict[str, int], int]:
    """The number of team members per role (roles held only) and of pending invitations, in one statement."""
    params = {"territory": territory.pk, "pending": InvitationStatus.PENDING.value, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(_TEAM_FIGURES_SQL, params)
        rows = cursor.fetchall()
    by_role = {role: count for role, count in rows if role is not None}
    pending = next(count for role, count in rows if role is None)
    return by_role, pending


def todo_for(user, *, team_roles=()) -> list[TodoList]:
    """The invitations to join a territory's team that wait for the person; for the territories' managers,
    the invitations they sent that wait for an answer. `team_roles` is `team_roles_of(user)`."""
    lists = []
    mine = list(open_invitations_for(user))
    if mine:
        lists.append(
            TodoList(
                key="invitations",
                title=_("Invitations"),
                empty=_("Aucune invitation ne vous attend."),
                items=[
                    TodoItem(
                        label=_("Rejoindre l'équipe %(of_territory)s (%(role)s)")
                        % {
                            "of_territory": french.of(invitation.territory),
                            "role": invitation.get_role_display(),
                        },
                        url=reverse("territories:invitation", args=[invitation.token]),
                        since=invitation.created_at,
                        age=_("reçue il y a %(duration)s"),
                        detail=invitation.invited_by.get_full_name() if invitation.invited_by else "",
                    )
                    for invitation in mine
                ],
                count=len(mine),
                order=30,
            )
        )
    managed = [role.territory_id for role in team_roles if role.is_manager]
    if managed:
        rows = pending_invitations_by_territory(managed)
        lists.append(
            TodoList(
                key="territories.invitations",
                title=_("Invitations envoyées sans réponse"),
                empty=_("Toutes les invitations envoyées à vos équipes ont eu leur réponse."),
                items=[_sent_invitations_item(row) for row in rows],
                count=sum(row["n"] for row in rows),
                order=50,
            )
        )
    return lists


def _sent_invitations_item(row) -> TodoItem:
    detail = ngettext(
        "%(n)s invitation attend une réponse", "%(n)s invitations attendent une réponse", row["n"]
    ) % {"n": row["n"]}
    if row["expired"]:
        expired = ngettext("%(n)s a expiré", "%(n)s ont expiré", row["expired"]) % {"n": row["expired"]}
        detail = f"{detail} — {expired}"
    return TodoItem(
        label=_("L'équipe %(of_territory)s")
        % {"of_territory": french.of(Noun(row["territory__name"], row["territory__article"]))},
        url=reverse("territories:team", args=[row["territory_id"]]) + "#invitations",
        since=row["since"],
        age=_("la plus ancienne envoyée il y a %(duration)s"),
        detail=detail,
    )


# --- Places, team ----------------------------------------------------------------------------------------


def _names(model, label, condition):
    return ArraySubquery(
        model.objects.filter(condition).annotate(label=label).order_by("label").values("label").distinct()
    )


def with_places(territories):
    """The départements and régions each territory lies in, read from the reference data in the same query
    (one subquery per row, on the page's rows only)."""
    array = ArrayField(CharField())
    department_label = Concat(F("name"), Value(" ("), F("code"), Value(")"), output_field=CharField())
    in_epci = Q(communes__epci=OuterRef("epci_id"), communes__is_active=True)
    in_grouping = Q(communes__epci__groupings=OuterRef("pk"), communes__is_active=True)
    return territories.annotate(
        department_names=Case(
            When(
                kind=TerritoryKind.COMMUNE,
                then=_names(Department, department_label, Q(pk=OuterRef("commune__department_id"))),
            ),
            When(kind=TerritoryKind.EPCI, then=_names(Department, department_label, in_epci)),
            When(kind=TerritoryKind.GROUPING, then=_names(Department, department_label, in_grouping)),
            When(
                kind=TerritoryKind.DEPARTMENT,
                then=_names(Department, department_label, Q(pk=OuterRef("department_id"))),
            ),
            default=Value([], output_field=array),
            output_field=array,
        ),
        region_names=Case(
            When(
                kind=TerritoryKind.COMMUNE,
                then=_names(Region, F("name"), Q(pk=OuterRef("commune__region_id"))),
            ),
            When(kind=TerritoryKind.EPCI, then=_names(Region, F("name"), in_epci)),
            When(kind=TerritoryKind.GROUPING, then=_names(Region, F("name"), in_grouping)),
            When(
                kind=TerritoryKind.DEPARTMENT,
                then=_names(Region, F("name"), Q(pk=OuterRef("department__region_id"))),
            ),
            When(kind=TerritoryKind.REGION, then=_names(Region, F("name"), Q(pk=OuterRef("region_id")))),
            default=Value([], output_field=array),
            output_field=array,
        ),
    )


def in_division(**division):
    """Territories that lie in a département or a région (`department=` or `region=`)."""
    epcis = Commune.objects.filter(is_active=True, **division).values("epci_id")
    groupings = Territory.epcis.through.objects.filter(epci_id__in=epcis).values("territory_id")
    ((field, value),) = division.items()
    condition = (
        Q(**{f"commune__{field}": value}) | Q(epci_id__in=epcis) | Q(pk__in=groupings) | Q(**{field: value})
    )
    if field == "region":
        condition |= Q(department__region=value)
    return condition


def team_size_label(territory) -> str:
    low, high = territory.technical_team_min, territory.technical_team_max
    if low is not None and high is not None and low != high:
        return _("%(low)s à %(high)s agents") % {"low": low, "high": high}
    if low is not None or high is not None:
        if high is None:
            return ngettext("au moins %(n)s agent", "au moins %(n)s agents", low) % {"n": low}
        if low is None:
            return ngettext("jusqu'à %(n)s agent", "jusqu'à %(n)s agents", high) % {"n": high}
        return ngettext("%(n)s agent", "%(n)s agents", high) % {"n": high}
    return ""


# The families of the "4 Fantastiques", in the method's order.
FANTASTIQUES = [ActorFamily.ELU, ActorFamily.AGENT, ActorFamily.ETAT, ActorFamily.SOCIO_ECO]


def team_context(territory) -> dict:
    """The dashboard's team: how many hold each role, by family of the « 4 Fantastiques », in all, and the
    invitations still pending."""
    by_role, pending_invitations = team_figures(territory)
    by_family = dict.fromkeys(FANTASTIQUES, 0)
    for role, count in by_role.items():
        family = ROLE_FAMILIES[TeamRole(role)]
        by_family[family] = by_family.get(family, 0) + count
    return {
        # The roles someone holds, grouped by family: ten rows of zeros would hide the few that count.
        "team_by_role": [
            (role.label, by_role[role.value]) for role in roles_in_family_order() if by_role.get(role.value)
        ],
        "team_by_family": [(ActorFamily(family).label, count) for family, count in by_family.items()],
        "team_count": sum(by_role.values()),
        "pending_invitations": pending_invitations,
    }


def team_members_of(territory) -> list[TeamMember]:
    """The team page's members, with their person, by name."""
    return list(
        TeamMember.objects.filter(territory=territory)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def pending_invitations_of(territory) -> list[Invitation]:
    """The invitations waiting for an answer (expired ones included: the managers renew or cancel them),
    the first to expire first."""
    return list(
        Invitation.objects.filter(territory=territory, status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .order_by("expires_at")
    )


def milestones_of(territory):
    """The milestones of the territory's trajectory."""
    return Milestone.objects.filter(territory=territory)


def diagnostic_of(territory) -> Diagnostic | None:
    """The territory's diagnostic, if it has one yet."""
    return Diagnostic.objects.filter(territory=territory).first()


def recommendations_of(territory):
    """The recommendations of the territory's diagnostic, each with its diagnostic."""
    return Recommendation.objects.select_related("diagnostic").filter(diagnostic__territory=territory)


def assessments_of(territory):
    """The territory's self-assessments, most recent first (the model's order), with who recorded them and
    their scores in the order of the fundamentals."""
    return territory.assessments.select_related("recorded_by", "discussed_with").prefetch_related(
        Prefetch("scores", queryset=AssessmentScore.objects.order_by("fundamental"))
    )


# --- The territory's own records, in the statement that reads its places ----------------------------------


def _json_sql(model, alias: str) -> str:
    """`jsonb_build_object` of every concrete field of `model` (by attname) on the table aliased `alias`."""
    pairs = ", ".join(f"'{field.attname}', {alias}.{field.column}" for field in model._meta.concrete_fields)
    return f"jsonb_build_object({pairs})"


# The territory's own records as columns of the statement that reads it (its table named
# "territories_territory"), each row a JSON object of its fields: written once as SQL from the models'
# metadata, as composing the same subqueries with the ORM costs more than the database takes to answer them.
_LATEST_ASSESSMENTS = (
    "SELECT a.id FROM territories_assessment a WHERE a.territory_id = territories_territory.id"
    " ORDER BY a.date DESC, a.id DESC LIMIT 2"
)
_RECORDS_SQL = {
    "milestone_rows": (
        f"ARRAY(SELECT {_json_sql(Milestone, 'm')} FROM territories_milestone m"  # noqa: S608 - no input
        " WHERE m.territory_id = territories_territory.id ORDER BY m.start_year, m.id)"
    ),
    "diagnostic_row": (
        f"(SELECT {_json_sql(Diagnostic, 'd')} FROM territories_diagnostic d"  # noqa: S608 - no input
        " WHERE d.territory_id = territories_territory.id LIMIT 1)"
    ),
    "recommendation_rows": (
        f"ARRAY(SELECT {_json_sql(Recommendation, 'r')} FROM territories_recommendation r"  # noqa: S608
        " JOIN territories_diagnostic d ON d.id = r.diagnostic_id"
        " WHERE d.territory_id = territories_territory.id ORDER BY r.number, r.id)"
    ),
    "assessment_rows": (
        f"ARRAY(SELECT {_json_sql(Assessment, 'a')} FROM territories_assessment a"  # noqa: S608 - no input
        " WHERE a.territory_id = territories_territory.id ORDER BY a.date DESC, a.id DESC LIMIT 2)"
    ),
    "score_rows": (
        f"ARRAY(SELECT {_json_sql(AssessmentScore, 's')} FROM territories_assessmentscore s"  # noqa: S608
        f" WHERE s.assessment_id IN ({_LATEST_ASSESSMENTS}) ORDER BY s.fundamental, s.id)"
    ),
}
# The départements and régions a territory lies in, for each kind of territory, as the list reads them
# (`with_places`): the same rows, labels and order, written for the one kind the profile knows already, so
# that its statement carries no CASE over every kind. Selects of a label, correlated to the territory's row.
_DEPARTMENTS = "SELECT DISTINCT d.name || ' (' || d.code || ')' FROM reference_department d "
_REGIONS = "SELECT DISTINCT r.name FROM reference_region r "
_OF_COMMUNE = "(SELECT c.{column} FROM reference_commune c WHERE c.id = territories_territory.commune_id)"
_ACTIVE_COMMUNES = "JOIN reference_commune c ON c.{column} = {alias}.id AND c.is_active WHERE c.epci_id "
_OF_EPCI = "= territories_territory.epci_id"
_OF_GROUPING = (
    "IN (SELECT g.epci_id FROM territories_territory_epcis g WHERE g.territory_id = territories_territory.id)"
)
_PLACES_SQL = {
    TerritoryKind.COMMUNE: (
        _DEPARTMENTS + "WHERE d.id = " + _OF_COMMUNE.format(column="department_id"),
        _REGIONS + "WHERE r.id = " + _OF_COMMUNE.format(column="region_id"),
    ),
    TerritoryKind.EPCI: (
        _DEPARTMENTS + _ACTIVE_COMMUNES.format(column="department_id", alias="d") + _OF_EPCI,
        _REGIONS + _ACTIVE_COMMUNES.format(column="region_id", alias="r") + _OF_EPCI,
    ),
    TerritoryKind.GROUPING: (
        _DEPARTMENTS + _ACTIVE_COMMUNES.format(column="department_id", alias="d") + _OF_GROUPING,
        _REGIONS + _ACTIVE_COMMUNES.format(column="region_id", alias="r") + _OF_GROUPING,
    ),
    TerritoryKind.DEPARTMENT: (
        _DEPARTMENTS + "WHERE d.id = territories_territory.department_id",
        _REGIONS + "WHERE r.id = (SELECT d.region_id FROM reference_department d"  # noqa: S608 - no input
        " WHERE d.id = territories_territory.department_id)",
    ),
    TerritoryKind.REGION: (None, _REGIONS + "WHERE r.id = territories_territory.region_id"),
}
_PLACES = ("department_names", "region_names")
_RECORDS = ("milestone_rows",)
_DASHBOARD_RECORDS = ("diagnostic_row", "recommendation_rows", "assessment_rows", "score_rows")


@functools.cache
def _profile_records_sql(kind, dashboard: bool) -> tuple[str, tuple[str, ...]]:
    """The statement of `profile_records` for a territory of this kind (%s: its id), composed once, and the
    names of its columns."""
    places = [
        f"ARRAY({sql} ORDER BY 1)" if sql else "'{}'::varchar[]"
        for sql in _PLACES_SQL.get(kind, (None, None))
    ]
    names = _RECORDS + (_DASHBOARD_RECORDS if dashboard else ())
    # jsonb arrays rather than arrays of jsonb: one JSON document to decode per column.
    records = [_RECORDS_SQL[n] if n == "diagnostic_row" else f"to_jsonb({_RECORDS_SQL[n]})" for n in names]
    columns = ", ".join(places + records)
    sql = f"SELECT {columns} FROM territories_territory WHERE territories_territory.id = %s"  # noqa: S608
    return sql, _PLACES + names


def _instances(model, rows, db) -> list:
    """The model instances of JSON rows (`_RECORDS_SQL`), each value back to its field's type (dates)."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    return [
        model.from_db(db, names, [field.to_python(row[field.attname]) for field in fields]) for row in rows
    ]


def _json(value):
    """A jsonb column: Django has psycopg hand jsonb over as text (JSONField decodes it itself)."""
    return json.loads(value) if isinstance(value, str) else value


def profile_records(territory, *, dashboard: bool = False) -> dict:
    """The places of the territory and its trajectory's milestones; for its dashboard also its diagnostic
    with its recommendations (`diagnostic.recommendation_list`) and its two latest assessments with their
    scores (`assessment.score_list`). One statement whatever there is: each list is a column, rather than
    a query (and a prefetch) each. In SQL composed once per kind of territory: composing it with the ORM
    (a CASE over the kinds, a subquery per list) took longer than the database takes to answer."""
    db = territory._state.db
    sql, names = _profile_records_sql(territory.kind, dashboard)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [territory.pk])
        row = cursor.fetchone()
    if row is None:
        raise Territory.DoesNotExist
    found = dict(zip(names, row, strict=True))
    records = {
        "places": {"department_names": found["department_names"], "region_names": found["region_names"]},
        "milestones": _instances(Milestone, _json(found["milestone_rows"]), db),
    }
    if dashboard:
        diagnostic = None
        if found["diagnostic_row"] is not None:
            diagnostic = _instances(Diagnostic, [_json(found["diagnostic_row"])], db)[0]
            diagnostic.recommendation_list = _instances(
                Recommendation, _json(found["recommendation_rows"]), db
            )
        assessments = _instances(Assessment, _json(found["assessment_rows"]), db)
        scores = _instances(AssessmentScore, _json(found["score_rows"]), db)
        for assessment in assessments:
            assessment.score_list = [score for score in scores if score.assessment_id == assessment.pk]
        records["diagnostic"] = diagnostic
        records["assessments"] = assessments
    return records
