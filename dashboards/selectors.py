"""The « À faire » of « Mon espace », composed from the selector that each capability offers."""

from alliance import selectors as alliance
from cooperation import selectors as cooperation
from core.todo import TodoList, merge
from projects import selectors as projects
from territories import selectors as territories
from territories.models import TeamRole


def todo_for(user, *, team_roles) -> list[TodoList]:
    """What the person has to do, list by list, in the order of urgency for their roles. `team_roles` is
    `territories.selectors.team_roles_of(user)`, read once for the page and shared by the capabilities.
    Each capability's selector costs a fixed number of queries, so the block does too."""
    managed = [role.territory_id for role in team_roles if role.is_manager]
    elected = [role.territory_id for role in team_roles if role.role == TeamRole.ELU]
    return merge(
        [
            *alliance.todo_for(user),
            *projects.todo_for(user, managed_territory_ids=managed),
            *cooperation.todo_for(user, elu_territory_ids=elected),
            *territories.todo_for(user, team_roles=team_roles),
        ]
    )
