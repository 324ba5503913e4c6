"""The project services of the project pages: the team rules of project_create, project_update and
project_assign_facilitators."""

import pytest

from core.audit import history_of
from core.errors import DomainError
from core.models import Theme
from notifications.models import Notification
from projects import services
from projects.models import Project

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _update(world, **changes):
    project = world.project
    data = {
        "title": project.title,
        "summary": project.summary,
        "themes": list(project.themes.all()),
        "lead": project.lead,
        "members": list(project.members.all()),
        "recommendations": list(project.recommendations.all()),
    }
    data.update(changes)
    return services.project_update(actor=world.users["agent"], project=project, **data)


def test_a_project_s_lead_must_belong_to_the_territory_s_team(world):
    with pytest.raises(DomainError, match="doit faire partie de l'équipe du territoire"):
        services.project_create(
            actor=world.users["agent"], territory=world.territory, title="X", lead=world.users["outsider"]
        )
    assert not Project.objects.filter(title="X").exists()


def test_a_project_s_members_come_from_the_territory_s_team(world):
    with pytest.raises(DomainError, match="parmi l'équipe du territoire"):
        services.project_create(
            actor=world.users["agent"],
            territory=world.territory,
            title="X",
            members=[world.users["facilitator"]],
        )


def test_an_admin_creating_a_project_names_its_lead_and_stays_out_of_its_team(world):
    with pytest.raises(DomainError, match="Choisissez le ou la porteur·se"):
        services.project_create(actor=world.users["admin"], territory=world.territory, title="X")
    project = services.project_create(
        actor=world.users["admin"], territory=world.territory, title="X", lead=world.users["elu"]
    )
    assert project.lead == world.users["elu"]
    assert not project.members.exists()


def test_updating_records_only_what_changed(world):
    theme = Theme.objects.get(slug="gouvernance")
    _update(world, title="Nouveau titre", themes=[theme])
    entry = history_of(world.project).get(action="project.update")
    assert entry.data == {"fields": ["title", "themes"]}
    assert list(world.project.themes.all()) == [theme]
    _update(world)
    assert history_of(world.project).filter(action="project.update").count() == 1


def test_updating_refuses_a_lead_or_member_outside_the_territory_s_team(world):
    with pytest.raises(DomainError):
        _update(world, lead=world.users["outsider"])
    with pytest.raises(DomainError):
        _update(world, members=[world.users["outsider"]])
    world.project.refresh_from_db()
    assert world.project.lead == world.users["agent"]


def test_updating_refuses_a_recommendation_of_another_diagnostic(world):
    from territories.models import Diagnostic, Recommendation

    diagnostic = Diagnostic.objects.create(territory=world.other_territory, date="2022-01-01", findings="Y")
    foreign = Recommendation.objects.create(diagnostic=diagnostic, number=1, text="Ailleurs.")
    with pytest.raises(DomainError, match="ne vient pas du diagnostic de ce territoire"):
        _update(world, recommendations=[foreign])
    assert list(world.project.recommendations.all()) == [world.recommendation]


def test_assigning_facilitators_tells_the_newcomers_and_records_the_change(world):
    newcomer = UserFactory(email="nouvelle.accompagnatrice@exemple.fr", role="facilitator")
    services.project_assign_facilitators(
        actor=world.users["admin"], project=world.project, facilitators=[newcomer]
    )
    assert list(world.project.facilitators.all()) == [newcomer]
    assert Notification.objects.filter(recipient=newcomer, kind="projects.assigned").count() == 1
    entry = history_of(world.project).get(action="project.assign")
    assert entry.data == {"added": [newcomer.pk], "removed": [world.users["facilitator"].pk]}


def test_assigning_the_same_facilitators_changes_nothing(world):
    services.project_assign_facilitators(
        actor=world.users["admin"], project=world.project, facilitators=[world.users["facilitator"]]
    )
    assert not history_of(world.project).filter(action="project.assign").exists()


def test_only_platform_facilitators_follow_a_project(world):
    with pytest.raises(DomainError, match="accompagnateur·ices de La Fabrique"):
        services.project_assign_facilitators(
            actor=world.users["admin"], project=world.project, facilitators=[world.users["agent"]]
        )
    assert list(world.project.facilitators.all()) == [world.users["facilitator"]]
