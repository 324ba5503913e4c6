from django.shortcuts import render

from alliance.selectors import memberships_of
from core.decorators import login_required
from territories.selectors import team_roles_of

from .selectors import todo_for


@login_required
def my_space(request):
    """« Mon espace »: what the person has to do first, then their profile, memberships and territories."""
    team_roles = team_roles_of(request.user)
    return render(
        request,
        "dashboards/my_space.html",
        {
            "todo": todo_for(request.user, team_roles=team_roles),
            "memberships": memberships_of(request.user),
            "team_roles": team_roles,
        },
    )
