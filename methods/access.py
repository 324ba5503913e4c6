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

from .models import EvaluationSession, EvaluationStatus, JournalEntry, JournalVisibility


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


# --- The cooperation journal --------------------------------------------------------------------------------


def can_read_entry(scope: Scope, entry: JournalEntry) -> bool:
    return entry.visibility == JournalVisibility.SHARED or scope.can_read_team_entries


def can_change_entry(scope: Scope, user, entry: JournalEntry) -> bool:
    """Its author, or a manager of the territory, as long as they write in the scope's journal."""
    if not scope.can_write_journal:
        return False
    member = scope.territory_rights.member
    return entry.author_id == user.pk or (member is not None and member.is_manager)


def get_entry_for_user(user, entry_pk) -> tuple[JournalEntry, Scope]:
    """A récit and the scope of its journal. Others' récits, and those kept to a team one is not on, answer
    404: a récit's address says nothing of its existence."""
    entry = JournalEntry.objects.select_related("territory", "project", "author").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    try:
        if entry.project_id is not None:
            scope = get_scope_for_user(user, project_pk=entry.project_id)
        else:
            scope = get_scope_for_user(user, territory_pk=entry.territory_id)
    except PermissionDenied as denied:
        raise Http404 from denied
    if not can_read_entry(scope, entry):
        raise Http404
    return entry, scope


def get_entry_for_changing(user, entry_pk) -> tuple[JournalEntry, Scope]:
    entry, scope = get_entry_for_user(user, entry_pk)
    if not can_change_entry(scope, user, entry):
        raise PermissionDenied
    return entry, scope


def get_scope_for_writing_journal(user, **scope_kwargs) -> Scope:
    scope = get_scope_for_user(user, **scope_kwargs)
    if not scope.can_write_journal:
        raise PermissionDenied
    return scope


# --- Evaluation sessions ------------------------------------------------------------------------------------


def is_participant(session: EvaluationSession, user) -> bool:
    return user.is_authenticated and session.participants.filter(pk=user.pk).exists()


def is_scope_facilitator(session: EvaluationSession, user) -> bool:
    if not user.is_authenticated:
        return False
    if session.territory.facilitators.filter(pk=user.pk).exists():
        return True
    return session.project is not None and session.project.facilitators.filter(pk=user.pk).exists()


def can_deliberate(session: EvaluationSession, user) -> bool:
    """The deliberation is recorded by the participants, and by the scope's facilitators who often lead it."""
    return is_participant(session, user) or is_scope_facilitator(session, user)


def can_rate_now(session: EvaluationSession, *, is_participant: bool) -> bool:
    """Each participant gives their own ratings while the session is at its rating step."""
    return is_participant and session.status == EvaluationStatus.RATING


def get_session_for_user(user, session_pk) -> tuple[EvaluationSession, Scope]:
    """The session and its scope, for whoever sees the scope (404 or 403 as the scope answers)."""
    session = EvaluationSession.objects.select_related("territory", "project").filter(pk=session_pk).first()
    if session is None or not user.is_authenticated:
        raise Http404
    if session.project_id is not None:
        scope = get_scope_for_user(user, project_pk=session.project_id)
    else:
        scope = get_scope_for_user(user, territory_pk=session.territory_id)
    return session, scope


def get_session_for_rating(user, session_pk) -> tuple[EvaluationSession, Scope]:
    session, scope = get_session_for_user(user, session_pk)
    if not is_participant(session, user):
        raise PermissionDenied
    return session, scope


def get_session_for_deliberating(user, session_pk) -> tuple[EvaluationSession, Scope]:
    session, scope = get_session_for_user(user, session_pk)
    if not can_deliberate(session, user):
        raise PermissionDenied
    return session, scope
