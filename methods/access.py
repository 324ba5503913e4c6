"""Who may see or change the method's tools.

The actor map and the actantial schema belong to a project: whoever sees the project sees them; the project
team (and the territory's managers) edit them, and so do the facilitators assigned to the project, who often
hold the pen in the workshops where a map is drawn.

The cooperation journal and the evaluations belong to a territory, or to one of its projects (a "scope").
Journal entries are written by the team; an entry kept to the team is read by the team only, an entry shared
with the accompaniment also by the facilitators and the admins. Evaluation sessions are opened by the team or
the facilitators; each participant rates for themselves; participants and facilitators record the
deliberation.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from projects.access import ProjectRights, get_project_for_user
from projects.models import Project
from territories.access import TerritoryRights, get_territory_for_private_view
from territories.models import Territory


def can_edit_tools(rights: ProjectRights) -> bool:
    return rights.can_edit or rights.is_assigned_facilitator


def get_project_for_tools(user, pk) -> tuple[Project, ProjectRights]:
    """The project whose tools are read: 404 to those who cannot see the project."""
    return get_project_for_user(user, pk)


def get_project_for_editing_tools(user, pk) -> tuple[Project, ProjectRights]:
    project, rights = get_project_for_user(user, pk)
    if not can_edit_tools(rights):
        raise PermissionDenied
    return project, rights


@dataclass(frozen=True)
class Scope:
    """A territory, or one of its projects, whose journal or evaluations are read."""

    territory: Territory
    project: Project | None
    territory_rights: TerritoryRights
    project_rights: ProjectRights | None

    @property
    def is_admin(self) -> bool:
        return self.territory_rights.is_admin

    @property
    def is_team(self) -> bool:
        """The territory's team; for a project, also the project's members."""
        if self.territory_rights.member is not None:
            return True
        return self.project_rights is not None and self.project_rights.is_member

    @property
    def is_facilitator(self) -> bool:
        if self.territory_rights.is_facilitator:
            return True
        return self.project_rights is not None and self.project_rights.is_assigned_facilitator

    @property
    def can_write_journal(self) -> bool:
        return self.is_team

    @property
    def can_read_team_entries(self) -> bool:
        return self.is_team

    @property
    def can_open_evaluation(self) -> bool:
        return self.is_team or self.is_facilitator

    def filter_kwargs(self) -> dict:
        """The rows of this scope: a territory's own (project=None), or one project's."""
        return {"territory": self.territory, "project": self.project}


def get_scope_for_user(user, *, territory_pk=None, project_pk=None) -> Scope:
    """Exactly one of territory_pk and project_pk. A project answers 404 to those who cannot see it; a
    published territory refuses its private pages (403), a private one hides them (404)."""
    if (territory_pk is None) == (project_pk is None):
        raise ValueError("a scope is a territory or a project")
    if project_pk is not None:
        project, rights = get_project_for_user(user, project_pk)
        return Scope(
            territory=project.territory,
            project=project,
            territory_rights=rights.territory,
            project_rights=rights,
        )
    if not user.is_authenticated:
        raise Http404
    territory, rights = get_territory_for_private_view(user, territory_pk)
    return Scope(territory=territory, project=None, territory_rights=rights, project_rights=None)
