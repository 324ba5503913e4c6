"""Reads of the territories that other pages compose (« Mon espace »)."""

from .models import TeamMember


def team_roles_of(user) -> list[TeamMember]:
    """The person's place in each territory's team, territories by name."""
    return list(TeamMember.objects.filter(user=user).select_related("territory").order_by("territory__name"))
