"""Who may see or change what in a project.

A project is private to its territory: the territory's team and facilitators see it, as do the facilitators
assigned to the project and the admins; everyone else gets 404. Within it, the project team (and the
territory's managers) write the deliverables; an élu or agent of the territory outside the project team reads
only, unless the team adds them; the assigned facilitators (or an admin) review.
"""

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import JSONField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.dateparse import parse_datetime

from territories.access import (
    TerritoryRights,
    get_territory_for_private_view,
    rights_columns,
    rights_from_columns,
    rights_of,
)
from territories.models import TeamMember

from .models import (
    Comment,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    Project,
    Question,
    QuestionSet,
    Stage,
)


@dataclass(frozen=True)
class ProjectRights:
    territory: TerritoryRights
    is_member: bool
    is_assigned_facilitator: bool

    @property
    def is_admin(self) -> bool:
        return self.territory.is_admin

    @property
    def can_view(self) -> bool:
        return self.territory.can_view_private or self.is_assigned_facilitator

    @property
    def can_edit(self) -> bool:
        """Write answers and structured parts, submit: the project team and the territory's managers."""
        member = self.territory.member
        return self.is_member or (member is not None and member.is_manager)

    @property
    def can_manage(self) -> bool:
        """Title, summary, themes, team, abandon: the project team, the territory's managers, admins."""
        return self.can_edit or self.is_admin

    @property
    def can_review(self) -> bool:
        return self.is_assigned_facilitator or self.is_admin

    @property
    def can_assign_facilitators(self) -> bool:
        return self.is_admin or self.territory.is_facilitator

    @property
    def can_comment(self) -> bool:
        return self.can_edit or self.can_review or self.territory.is_facilitator

    @property
    def can_read_private_notes(self) -> bool:
        """Facilitators' private notes: never the territory's team."""
        return self.is_assigned_facilitator or self.territory.is_facilitator or self.is_admin

    # The rules below also read the state of what they are asked about: templates cannot pass it, so the
    # views ask them and hand the answer to the page.

    def can_abandon(self, project) -> bool:
        return self.can_manage and project.stage != Stage.ABANDONED

    def can_write(self, deliverable) -> bool:
        """Write the note now: its editors, while it is open to writing and the project is not abandoned."""
        return self.can_edit and deliverable.is_editable and deliverable.project.stage != Stage.ABANDONED

    def can_review_now(self, deliverable) -> bool:
        """Review the note now: its reviewers, once it is submitted."""
        return self.can_review and deliverable.status == DeliverableStatus.SUBMITTED

    def way_into(self, deliverable) -> str:
        """What the link to the note offers the person: to write it, review it, or read it."""
        if self.can_write(deliverable):
            return WRITE
        if self.can_review_now(deliverable):
            return REVIEW
        return READ

    def can_restore(self, deliverable, answer, revision) -> bool:
        """Bring back a saved text of an answer: those who may write the note, for a text other than the
        current one (a text that lost a conflict was never applied, so it is never the current one)."""
        return self.can_write(deliverable) and (
            revision.is_conflict or answer is None or revision.version != answer.version
        )


# What the link to a note offers (ProjectRights.way_into).
WRITE, REVIEW, READ = "write", "review", "read"


def project_rights_of(user, project: Project) -> ProjectRights:
    territory_rights = rights_of(user, project.territory)
    if not user.is_authenticated:
        return ProjectRights(territory=territory_rights, is_member=False, is_assigned_facilitator=False)
    return ProjectRights(
        territory=territory_rights,
        is_member=project.lead_id == user.pk or project.members.filter(pk=user.pk).exists(),
        is_assigned_facilitator=project.facilitators.filter(pk=user.pk).exists(),
    )


# The ids of the projects a person (each %s: their id) sees without being an admin: those of the territories
# whose team they are on or which they follow, and those they lead, write or are assigned to. A union of the
# person's own links (each read through its index), not an OR over joins: PostgreSQL then looks up the
# projects of those few territories and projects instead of testing every project of the platform. In SQL:
# composing this union with the ORM cost more than PostgreSQL takes to answer it.
_VISIBLE_PROJECTS_SQL = """
SELECT p.id FROM projects_project p WHERE p.territory_id IN (
    SELECT territory_id FROM territories_teammember WHERE user_id = %s
    UNION SELECT territory_id FROM territories_territory_facilitators WHERE user_id = %s
)
UNION SELECT id FROM projects_project WHERE lead_id = %s
UNION SELECT project_id FROM projects_project_members WHERE user_id = %s
UNION SELECT project_id FROM projects_project_facilitators WHERE user_id = %s
"""


def projects_visible_to(user):
    """Every project for admins; otherwise those of the territories one belongs to or follows, and those one
    works on or is assigned to (`_VISIBLE_PROJECTS_SQL`)."""
    projects = Project.objects.all()
    if not user.is_authenticated:
        return projects.none()
    if user.is_alliance_admin:
        return projects
    return projects.filter(pk__in=RawSQL(_VISIBLE_PROJECTS_SQL, [user.pk] * 5))  # noqa: S611 - constant SQL


# Whether the person (%s) is on the project's team, or assigned to it, as columns of the project's statement
# (in SQL: see territories.access.rights_columns).
_IS_MEMBER_SQL = (
    "EXISTS(SELECT 1 FROM projects_project_members m"
    " WHERE m.project_id = projects_project.id AND m.user_id = %s)"
)
_IS_FACILITATOR_SQL = (
    "EXISTS(SELECT 1 FROM projects_project_facilitators f"
    " WHERE f.project_id = projects_project.id AND f.user_id = %s)"
)


def get_project_for_user(user, pk) -> tuple[Project, ProjectRights]:
    """The project, its territory and lead, and the person's rights on it, in one statement."""
    if not user.is_authenticated:
        raise Http404
    found = (
        Project.objects.select_related("territory", "lead")
        .annotate(
            **rights_columns(user, reading="project"),
            rights_project_member=RawSQL(_IS_MEMBER_SQL, [user.pk]),  # noqa: S611 - constant SQL
            rights_project_facilitator=RawSQL(_IS_FACILITATOR_SQL, [user.pk]),  # noqa: S611 - constant SQL
        )
        .filter(pk=pk)[:1]
    )
    if not found:
        raise Http404
    project = found[0]
    rights = ProjectRights(
        territory=rights_from_columns(user, project.territory, project),
        is_member=project.lead_id == user.pk or project.rights_project_member,
        is_assigned_facilitator=project.rights_project_facilitator,
    )
    if not rights.can_view:
        raise Http404
    return project, rights


def get_project_for_managing(user, pk) -> tuple[Project, ProjectRights]:
    project, rights = get_project_for_user(user, pk)
    if not rights.can_manage:
        raise PermissionDenied
    return project, rights


def get_project_for_assigning(user, pk) -> tuple[Project, ProjectRights]:
    project, rights = get_project_for_user(user, pk)
    if not rights.can_assign_facilitators:
        raise PermissionDenied
    return project, rights


def get_territory_for_creating_project(user, territory_pk):
    """Projects are started by the territory's team, or by an admin for it; its facilitators review them."""
    territory, rights = get_territory_for_private_view(user, territory_pk)
    if not rights.can_start_projects:
        raise PermissionDenied
    return territory, rights


def _rights_columns(user) -> dict:
    """The person's rights on a deliverable's project, read as columns of the deliverable's own statement
    (which joins its project): the same facts as `project_rights_of`, without a round trip for each. In SQL,
    as `territories.access.rights_columns`: the autosave and the page build them on every request, and the
    ORM's subqueries cost more to compose than the database takes to answer them."""
    return {
        **rights_columns(user, reading="project"),
        "rights_project_member": RawSQL(_IS_MEMBER_SQL, [user.pk]),  # noqa: S611 - constant SQL
        "rights_project_facilitator": RawSQL(_IS_FACILITATOR_SQL, [user.pk]),  # noqa: S611 - constant SQL
    }


def _rights_from_columns(user, deliverable) -> ProjectRights:
    project = deliverable.project
    row = deliverable.rights_team_row
    member = None
    if row is not None:
        member = TeamMember(
            id=row["id"],
            territory_id=project.territory_id,
            user=user,
            role=row["role"],
            is_manager=row["is_manager"],
            joined_at=parse_datetime(row["joined_at"]),
        )
        member._state.adding = False
        member._state.db = deliverable._state.db
    return ProjectRights(
        territory=TerritoryRights(
            member=member,
            is_facilitator=deliverable.rights_follows_territory,
            is_admin=user.is_alliance_admin,
        ),
        is_member=project.lead_id == user.pk or deliverable.rights_project_member,
        is_assigned_facilitator=deliverable.rights_project_facilitator,
    )


# What the deliverable's pages show of it; the autosave needs its project only.
_PAGE_RELATED = ("project__territory", "project__lead", "question_set", "reopened_by")


def _deliverable_with_rights(user, project_pk, kind, *, related=_PAGE_RELATED, **columns):
    """The deliverable, its project, the person's rights on it (and any other `columns`) in a single
    statement; 404 when it does not exist or may not be seen."""
    if kind not in DeliverableKind.values or not user.is_authenticated:
        raise Http404
    found = list(
        Deliverable.objects.select_related(*related)
        .filter(project_id=project_pk, kind=kind)
        .annotate(**_rights_columns(user), **columns)[:1]
    )
    if not found:
        raise Http404
    deliverable = found[0]
    rights = _rights_from_columns(user, deliverable)
    if not rights.can_view:
        raise Http404
    return deliverable, rights


def get_deliverable_for_user(user, project_pk, kind) -> tuple[Deliverable, ProjectRights]:
    """A deliverable opens when the previous one is validated: before that it does not exist (404)."""
    return _deliverable_with_rights(user, project_pk, kind)


_JSON_ARRAY = ArrayField(JSONField())


# The deliverable's questions, in order, each as a JSON object of its concrete fields by attname: a column
# of the deliverable's statement, written once as SQL from the model's metadata rather than composed with the
# ORM on each request.
_QUESTION_FIELDS = [field.attname for field in Question._meta.concrete_fields]
_QUESTION_ROWS_SQL = (
    "ARRAY(SELECT jsonb_build_object("  # noqa: S608 - the model's own column names, no input
    + ", ".join(f"'{field.attname}', q.{field.column}" for field in Question._meta.concrete_fields)
    + ") FROM projects_question q"
    " WHERE q.question_set_id = projects_deliverable.question_set_id ORDER BY q.number)"
)
# The project's deliverables, for the tabs (their order is the tabs' own, set by `DeliverableKind`).
_TAB_ROWS_SQL = (
    "ARRAY(SELECT jsonb_build_object('id', t.id, 'kind', t.kind, 'status', t.status)"
    " FROM projects_deliverable t WHERE t.project_id = projects_deliverable.project_id)"
)


def get_deliverable_page_for_user(user, project_pk, kind) -> tuple[Deliverable, ProjectRights]:
    """The deliverable as its page shows it: with its questions (`deliverable.question_list`) and the
    project's deliverables for its tabs (`deliverable.tab_list`), read in the same statement."""
    question_fields = _QUESTION_FIELDS
    deliverable, rights = _deliverable_with_rights(
        user,
        project_pk,
        kind,
        question_rows=RawSQL(_QUESTION_ROWS_SQL, [], output_field=_JSON_ARRAY),  # noqa: S611 - constant SQL
        tab_rows=RawSQL(_TAB_ROWS_SQL, [], output_field=_JSON_ARRAY),  # noqa: S611 - constant SQL
    )
    db = deliverable._state.db
    # Every field of a question survives JSON as it is (text, integers, booleans).
    deliverable.question_list = [
        Question.from_db(db, question_fields, [row[name] for name in question_fields])
        for row in deliverable.question_rows
    ]
    for question in deliverable.question_list:
        question.question_set = deliverable.question_set
    deliverable.tab_list = []
    for row in deliverable.tab_rows:
        tab = Deliverable.from_db(db, ["id", "kind", "status"], [row["id"], row["kind"], row["status"]])
        tab.project_id = deliverable.project_id
        deliverable.tab_list.append(tab)
    return deliverable, rights


# The id of the deliverable's question of that number (%s), as a column of the deliverable's statement.
_QUESTION_PK_SQL = (
    "(SELECT q.id FROM projects_question q"
    " WHERE q.question_set_id = projects_deliverable.question_set_id AND q.number = %s LIMIT 1)"
)


def get_question_for_editing(user, project_pk, kind, number) -> tuple[Deliverable, Question, ProjectRights]:
    """A question of a deliverable one may write (the autosave), read with the deliverable and the rights.
    The question holds its pk and number (its other fields load if asked for)."""
    deliverable, rights = _deliverable_with_rights(
        user,
        project_pk,
        kind,
        related=("project",),
        question_pk=RawSQL(_QUESTION_PK_SQL, [number]),  # noqa: S611
    )
    if not rights.can_edit:
        raise PermissionDenied
    if deliverable.question_pk is None:
        raise Http404
    question = Question.from_db(
        deliverable._state.db,
        ["id", "question_set_id", "number"],
        [deliverable.question_pk, deliverable.question_set_id, number],
    )
    return deliverable, question, rights


def get_deliverable_for_editing(user, project_pk, kind) -> tuple[Deliverable, ProjectRights]:
    deliverable, rights = get_deliverable_for_user(user, project_pk, kind)
    if not rights.can_edit:
        raise PermissionDenied
    return deliverable, rights


def get_deliverable_for_reviewing(user, project_pk, kind) -> tuple[Deliverable, ProjectRights]:
    deliverable, rights = get_deliverable_for_user(user, project_pk, kind)
    if not rights.can_review:
        raise PermissionDenied
    return deliverable, rights


def get_deliverable_for_commenting(user, project_pk, kind) -> tuple[Deliverable, ProjectRights]:
    deliverable, rights = get_deliverable_for_user(user, project_pk, kind)
    if not rights.can_comment:
        raise PermissionDenied
    return deliverable, rights


def get_comment_for_commenting(user, project_pk, kind, comment_pk) -> tuple[Comment, ProjectRights]:
    """A comment of the deliverable, for those who may comment on it (resolve or reopen its thread)."""
    deliverable, rights = get_deliverable_for_commenting(user, project_pk, kind)
    comment = Comment.objects.filter(deliverable=deliverable, pk=comment_pk).first()
    if comment is None:
        raise Http404
    comment.deliverable = deliverable
    return comment, rights


def get_version_for_user(user, project_pk, kind, number) -> tuple[DeliverableVersion, ProjectRights]:
    deliverable, rights = get_deliverable_for_user(user, project_pk, kind)
    version = (
        DeliverableVersion.objects.select_related("submitted_by", "decided_by")
        .filter(deliverable=deliverable, number=number)
        .first()
    )
    if version is None:
        raise Http404
    version.deliverable = deliverable
    return version, rights


def get_project_for_private_notes(user, pk) -> tuple[Project, ProjectRights]:
    """The facilitators' private notes: the project's team sees the project, never these notes."""
    project, rights = get_project_for_user(user, pk)
    if not rights.can_read_private_notes:
        raise PermissionDenied
    return project, rights


def can_open_review_queue(user) -> bool:
    """The queue of notes to review: the facilitators' (their territories' notes) and the admins' (every
    note). The menu and the site map offer it to the same people as the view admits."""
    return user.is_authenticated and (user.is_facilitator or user.is_alliance_admin)


def can_manage_question_sets(user) -> bool:
    """The questions of the deliverables are drafted and published by the admins, and by the facilitators
    given the right (the permission projects.manage_question_sets, granted in the Django admin)."""
    if not user.is_authenticated:
        return False
    return user.is_alliance_admin or (user.is_facilitator and _has_permission(user, "manage_question_sets"))


# Whether a person (%(user)s) holds a permission of the projects app (%(codename)s), given to them or to one
# of their groups. In SQL: the ORM's statement (two joins through the permissions of users and of groups)
# took longer to compose than to answer, on every page that offers the link.
_HAS_PERMISSION_SQL = """
SELECT EXISTS(
    SELECT 1 FROM auth_permission p JOIN django_content_type t ON t.id = p.content_type_id
    WHERE t.app_label = 'projects' AND p.codename = %(codename)s AND p.id IN (
        SELECT permission_id FROM accounts_user_user_permissions WHERE user_id = %(user)s
        UNION SELECT g.permission_id FROM auth_group_permissions g
            JOIN accounts_user_groups u ON u.group_id = g.group_id WHERE u.user_id = %(user)s
    )
)
"""


def _has_permission(user, codename: str) -> bool:
    """`user.has_perm("projects.<codename>")` as the model backend answers it (active; a superuser has every
    permission; otherwise granted to the person or to one of their groups), in one statement rather than the
    backend's two, which read all the person's permissions on every page that offers the link."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    with connection.cursor() as cursor:
        cursor.execute(_HAS_PERMISSION_SQL, {"codename": codename, "user": user.pk})
        return cursor.fetchone()[0]


def get_question_sets_for_managing(user):
    if not can_manage_question_sets(user):
        raise PermissionDenied
    return QuestionSet.objects.all()


def get_question_set_for_managing(user, pk) -> QuestionSet:
    question_set = get_question_sets_for_managing(user).filter(pk=pk).first()
    if question_set is None:
        raise Http404
    return question_set
