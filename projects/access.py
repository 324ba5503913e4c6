"""Who may see or change what in a project.

A project is private to its territory: the territory's team and facilitators see it, as do the facilitators
assigned to the project and the admins; everyone else gets 404. Within it, the project team (and the
territory's managers) write the deliverables; an élu or agent of the territory outside the project team reads
only, unless the team adds them; the assigned facilitators (or an admin) review.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from territories.access import TerritoryRights, get_territory_for_private_view, rights_of
from territories.models import TeamMember, Territory

from .models import Comment, Deliverable, DeliverableKind, DeliverableVersion, Project, QuestionSet


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


def project_rights_of(user, project: Project) -> ProjectRights:
    territory_rights = rights_of(user, project.territory)
    if not user.is_authenticated:
        return ProjectRights(territory=territory_rights, is_member=False, is_assigned_facilitator=False)
    return ProjectRights(
        territory=territory_rights,
        is_member=project.lead_id == user.pk or project.members.filter(pk=user.pk).exists(),
        is_assigned_facilitator=project.facilitators.filter(pk=user.pk).exists(),
    )


def projects_visible_to(user):
    """Every project for admins; otherwise those of the territories one belongs to or follows, and those one
    works on or is assigned to.

    Written as a union of the person's own links (each read through its index), not as an OR over joins:
    PostgreSQL then looks up the projects of those few territories and projects instead of testing every
    project of the platform, so the cost follows the person's territories and projects."""
    projects = Project.objects.all()
    if not user.is_authenticated:
        return projects.none()
    if user.is_alliance_admin:
        return projects
    territories = TeamMember.objects.filter(user=user).values("territory_id")
    territories = territories.union(
        Territory.facilitators.through.objects.filter(user=user).values("territory_id")
    )
    visible = (
        Project.objects.filter(territory_id__in=territories)
        .values("pk")
        .union(
            Project.objects.filter(lead=user).values("pk"),
            Project.members.through.objects.filter(user=user).values("project_id"),
            Project.facilitators.through.objects.filter(user=user).values("project_id"),
        )
    )
    return projects.filter(pk__in=visible)


def get_project_for_user(user, pk) -> tuple[Project, ProjectRights]:
    project = Project.objects.select_related("territory", "lead").filter(pk=pk).first()
    if project is None or not user.is_authenticated:
        raise Http404
    rights = project_rights_of(user, project)
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


def get_deliverable_for_user(user, project_pk, kind) -> tuple[Deliverable, ProjectRights]:
    """A deliverable opens when the previous one is validated: before that it does not exist (404)."""
    if kind not in DeliverableKind.values:
        raise Http404
    project, rights = get_project_for_user(user, project_pk)
    deliverable = (
        Deliverable.objects.select_related("question_set", "reopened_by")
        .filter(project=project, kind=kind)
        .first()
    )
    if deliverable is None:
        raise Http404
    deliverable.project = project
    return deliverable, rights


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


def can_manage_question_sets(user) -> bool:
    """The questions of the deliverables are drafted and published by the admins, and by the facilitators
    given the right (the permission projects.manage_question_sets, granted in the Django admin)."""
    if not user.is_authenticated:
        return False
    return user.is_alliance_admin or (user.is_facilitator and user.has_perm("projects.manage_question_sets"))


def get_question_sets_for_managing(user):
    if not can_manage_question_sets(user):
        raise PermissionDenied
    return QuestionSet.objects.all()


def get_question_set_for_managing(user, pk) -> QuestionSet:
    question_set = get_question_sets_for_managing(user).filter(pk=pk).first()
    if question_set is None:
        raise Http404
    return question_set
