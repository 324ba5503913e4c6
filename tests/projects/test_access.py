"""Which projects a person sees: those of the territories they belong to or follow, those they lead, work on
or are assigned to; every one for an admin; none for a visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import PlatformRole
from projects.access import projects_visible_to
from projects.models import Project
from territories.models import TeamMember, TeamRole
from tests.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Three territories of two projects each, and people linked to them each in one way."""
    territories = [TerritoryFactory() for _ in range(3)]
    projects = {
        (n, k): Project.objects.create(territory=territory, title=f"Projet {n}.{k}")
        for n, territory in enumerate(territories)
        for k in range(2)
    }
    return territories, projects


def _visible(user):
    return set(projects_visible_to(user))


def test_a_team_member_sees_every_project_of_their_territory_and_no_other(places):
    territories, projects = places
    agent = UserFactory()
    TeamMember.objects.create(territory=territories[0], user=agent, role=TeamRole.AGENT)
    assert _visible(agent) == {projects[0, 0], projects[0, 1]}


def test_a_facilitator_of_a_territory_sees_its_projects(places):
    territories, projects = places
    facilitator = UserFactory(role=PlatformRole.FACILITATOR)
    territories[1].facilitators.add(facilitator)
    assert _visible(facilitator) == {projects[1, 0], projects[1, 1]}


def test_the_lead_the_members_and_the_assigned_facilitators_see_their_project_only(places):
    _territories, projects = places
    lead, member, facilitator = UserFactory(), UserFactory(), UserFactory(role=PlatformRole.FACILITATOR)
    project = projects[2, 1]
    project.lead = lead
    project.save()
    project.members.add(member)
    project.facilitators.add(facilitator)
    for person in (lead, member, facilitator):
        assert _visible(person) == {project}


def test_links_of_several_kinds_add_up_without_repeating_a_project(places):
    territories, projects = places
    person = UserFactory(role=PlatformRole.FACILITATOR)
    TeamMember.objects.create(territory=territories[0], user=person, role=TeamRole.AGENT)
    territories[0].facilitators.add(person)
    projects[0, 0].members.add(person)
    projects[0, 0].facilitators.add(person)
    projects[1, 0].facilitators.add(person)
    found = list(projects_visible_to(person).filter(pk__in=[p.pk for p in projects.values()]))
    assert sorted(p.pk for p in found) == sorted([projects[0, 0].pk, projects[0, 1].pk, projects[1, 0].pk])


def test_an_admin_sees_every_project_and_a_visitor_or_a_stranger_none(places):
    _territories, projects = places
    admin = UserFactory(role=PlatformRole.ADMIN)
    assert set(projects.values()) <= _visible(admin)
    assert not _visible(AnonymousUser())
    assert not _visible(UserFactory())
