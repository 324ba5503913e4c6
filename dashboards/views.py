from django.shortcuts import render

from alliance.selectors import memberships_of
from core.decorators import login_required
from territories.selectors import team_roles_of
from territories.services import open_invitations_for


@login_required
def my_space(request):
    """« Mon espace »: what the person has to do, then their profile, memberships and territories."""
    return render(
        request,
        "dashboards/my_space.html",
        {
            "memberships": memberships_of(request.user),
            "invitations": list(open_invitations_for(request.user)),
            "team_roles": team_roles_of(request.user),
        },
    )
