"""The project pages: lists, the project page, creating, editing, assigning, abandoning and resuming."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import history_of
from core.models import Theme
from notifications.models import Notification
from projects import services
from projects.models import Deliverable, DeliverableKind, DeliverableStatus, Project, Stage
from territories.models import Diagnostic, Recommendation, TeamMember, TeamRole

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _form(world, **changes):
    users = world.users
    data = {
        "title": "Des groupes de pairs inter-EPCI",
        "summary": "Réunir les chargé·es de communication des cinq EPCI.",
        "lead": users["dgs"].pk,
        "members": [users["agent"].pk, users["elu"].pk],
        "themes": [Theme.objects.get(slug="cooperation-management").pk],
        "recommendations": [world.recommendation.pk],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _text(response):
    return unescape(response.content.decode())


def _create_url(world):
    return reverse("projects:create", args=[world.territory.pk])


# --- Creating ---------------------------------------------------------------------------------------


def test_a_team_member_creates_a_project_with_its_team_themes_and_recommendation(world, client_for):
    response = client_for("elu").post(_create_url(world), _form(world))
    project = Project.objects.get(title="Des groupes de pairs inter-EPCI")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.territory == world.territory
    assert project.lead == world.users["dgs"]
    # The creator joins the team they chose.
    assert set(project.members.all()) == {world.users["agent"], world.users["elu"]}
    assert list(project.themes.values_list("slug", flat=True)) == ["cooperation-management"]
    assert list(project.recommendations.all()) == [world.recommendation]
    assert set(project.facilitators.all()) == {world.users["facilitator"]}
    assert list(project.deliverables.values_list("kind", flat=True)) == [DeliverableKind.INTENTION]
    assert history_of(project).get().action == "project.create"


def test_an_admin_creates_a_project_for_the_territory_without_joining_its_team(world, client_for):
    client_for("admin").post(_create_url(world), _form(world, members=[world.users["agent"].pk]))
    project = Project.objects.get(title="Des groupes de pairs inter-EPCI")
    assert set(project.members.all()) == {world.users["agent"]}
    assert project.created_by == world.users["admin"]


def test_the_create_form_offers_only_the_territory_s_team_and_active_themes(world, client_for):
    Theme.objects.filter(slug="mobilite").update(is_active=False)
    response = client_for("agent").get(_create_url(world))
    assert response.status_code == 200
    fields = response.context["form"].fields
    assert set(fields["lead"].queryset) == {world.users["agent"], world.users["dgs"], world.users["elu"]}
    assert "mobilite" not in set(fields["themes"].queryset.values_list("slug", flat=True))
    assert list(fields["recommendations"].queryset) == [world.recommendation]
    assert response.context["form"].initial["lead"] == world.users["agent"]


@pytest.mark.parametrize(
    ("field", "value_of", "message"),
    [
        (
            "lead",
            lambda w: w.users["outsider"].pk,
            "Le ou la porteur·se se choisit dans l'équipe du territoire.",
        ),
        ("members", lambda w: [w.users["facilitator"].pk], "Un des choix n'est pas proposé"),
        ("themes", lambda w: ["999999"], "Un des choix n'est pas proposé"),
        ("title", lambda w: "   ", "Donnez un titre au projet."),
        ("title", lambda w: "x" * 201, "200 caractères"),
        ("lead", lambda w: None, "Choisissez le ou la porteur·se du projet."),
    ],
)
def test_bad_input_gives_a_french_error_and_creates_nothing(world, client_for, field, value_of, message):
    before = Project.objects.count()
    response = client_for("agent").post(_create_url(world), _form(world, **{field: value_of(world)}))
    assert response.status_code == 200
    assert message in _text(response)
    assert Project.objects.count() == before
    # What was typed is still in the form.
    assert "Réunir les chargé·es de communication des cinq EPCI." in _text(response)


def test_a_recommendation_of_another_territory_is_refused(world, client_for):
    diagnostic = Diagnostic.objects.create(
        territory=world.other_territory, date="2022-01-01", authors="X", findings="Y"
    )
    foreign = Recommendation.objects.create(diagnostic=diagnostic, number=1, text="Ailleurs.")
    response = client_for("agent").post(_create_url(world), _form(world, recommendations=[foreign.pk]))
    assert response.status_code == 200
    assert "Un des choix n'est pas proposé" in _text(response)
    assert not Project.objects.filter(title="Des groupes de pairs inter-EPCI").exists()


@pytest.mark.parametrize(("role", "status"), [("facilitator", 403), ("outsider", 403), ("anonymous", 302)])
def test_only_the_territory_s_team_and_admins_create_projects(world, client_for, role, status):
    response = client_for(role).post(_create_url(world), _form(world))
    assert response.status_code == status
    assert not Project.objects.filter(title="Des groupes de pairs inter-EPCI").exists()


def test_a_private_territory_hides_its_project_creation_from_others(world, client_for):
    url = reverse("projects:create", args=[world.other_territory.pk])
    assert client_for("agent").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 200


# --- Editing --------------------------------------------------------------------------------------


def test_a_project_member_edits_the_project_and_the_change_is_in_its_history(world, client_for):
    url = reverse("projects:edit", args=[world.project.pk])
    response = client_for("dgs").post(
        url, _form(world, title="Management par la coopération", lead=world.users["agent"].pk)
    )
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert world.project.title == "Management par la coopération"
    assert set(world.project.members.all()) == {world.users["agent"], world.users["elu"]}
    entry = history_of(world.project).filter(action="project.update").get()
    assert entry.actor == world.users["dgs"]
    assert set(entry.data["fields"]) == {"title", "summary", "members", "themes"}


def test_editing_shows_the_current_values(world, client_for):
    response = client_for("agent").get(reverse("projects:edit", args=[world.project.pk]))
    form = response.context["form"]
    assert form.initial["title"] == world.project.title
    assert set(form.initial["members"]) == {world.users["agent"], world.users["dgs"]}
    assert form.initial["lead"] == world.users["agent"]


def test_a_theme_taken_off_the_list_stays_on_the_project_that_has_it(world, client_for):
    theme = Theme.objects.get(slug="energie")
    world.project.themes.add(theme)
    theme.is_active = False
    theme.save()
    response = client_for("agent").get(reverse("projects:edit", args=[world.project.pk]))
    assert theme in response.context["form"].fields["themes"].queryset


def test_bad_input_on_edit_keeps_the_project_unchanged(world, client_for):
    url = reverse("projects:edit", args=[world.project.pk])
    response = client_for("agent").post(url, _form(world, title="", lead=world.users["outsider"].pk))
    assert response.status_code == 200
    world.project.refresh_from_db()
    assert world.project.title == "Management des organisations par la coopération"


@pytest.mark.parametrize(("role", "status"), [("elu", 403), ("facilitator", 403), ("outsider", 404)])
def test_an_elu_outside_the_project_team_a_facilitator_and_an_outsider_cannot_edit(
    world, client_for, role, status
):
    url = reverse("projects:edit", args=[world.project.pk])
    assert client_for(role).post(url, _form(world, title="Piraté")).status_code == status
    world.project.refresh_from_db()
    assert world.project.title != "Piraté"


# --- Facilitators ----------------------------------------------------------------------------------


def test_an_admin_assigns_another_facilitator_who_is_told(world, client_for):
    other = UserFactory(email="autre.accompagnatrice@exemple.fr", role="facilitator")
    url = reverse("projects:facilitators", args=[world.project.pk])
    response = client_for("admin").post(url, {"facilitators": [world.users["facilitator"].pk, other.pk]})
    assert response.status_code == 302
    assert set(world.project.facilitators.all()) == {world.users["facilitator"], other}
    assert Notification.objects.filter(recipient=other, kind="projects.assigned").count() == 1
    assert not Notification.objects.filter(recipient=world.users["facilitator"], kind="projects.assigned")
    entry = history_of(world.project).get(action="project.assign")
    assert entry.data == {"added": [other.pk], "removed": []}


def test_the_territory_s_facilitator_can_leave_the_project_to_nobody(world, client_for):
    url = reverse("projects:facilitators", args=[world.project.pk])
    assert client_for("facilitator").post(url, {}).status_code == 302
    assert not world.project.facilitators.exists()


def test_only_platform_facilitators_can_be_assigned(world, client_for):
    url = reverse("projects:facilitators", args=[world.project.pk])
    response = client_for("admin").post(url, {"facilitators": [world.users["agent"].pk]})
    assert response.status_code == 200
    assert "Un des choix n'est pas proposé" in _text(response)
    assert set(world.project.facilitators.all()) == {world.users["facilitator"]}


def test_a_facilitator_not_assigned_to_the_territory_cannot_see_nor_assign(world, client_for):
    stranger = UserFactory(email="ailleurs@exemple.fr", role="facilitator")
    client = client_for("anonymous")
    client.force_login(stranger)
    assert client.get(reverse("projects:detail", args=[world.project.pk])).status_code == 404
    url = reverse("projects:facilitators", args=[world.project.pk])
    assert client.post(url, {"facilitators": [stranger.pk]}).status_code == 404
    assert not world.project.facilitators.filter(pk=stranger.pk).exists()


def test_an_assigned_facilitator_outside_the_territory_reads_the_project_but_cannot_assign(world, client_for):
    assigned = UserFactory(email="assignee@exemple.fr", role="facilitator")
    world.project.facilitators.add(assigned)
    client = client_for("anonymous")
    client.force_login(assigned)
    assert client.get(reverse("projects:detail", args=[world.project.pk])).status_code == 200
    assert client.get(reverse("projects:facilitators", args=[world.project.pk])).status_code == 403


# --- Abandon and resume ----------------------------------------------------------------------------


def test_the_team_abandons_with_a_reason_then_resumes_at_the_same_stage(world, client_for):
    client = client_for("agent")
    response = client.post(
        reverse("projects:abandon", args=[world.project.pk]), {"reason": "Plus de budget."}
    )
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert (world.project.stage, world.project.abandon_reason) == (Stage.ABANDONED, "Plus de budget.")
    page = client.get(world.project.get_absolute_url()).content.decode()
    assert "Ce projet est abandonné" in page and "Plus de budget." in page
    assert reverse("projects:resume", args=[world.project.pk]) in page

    client.post(reverse("projects:resume", args=[world.project.pk]))
    world.project.refresh_from_db()
    assert (world.project.stage, world.project.abandon_reason) == (Stage.CADRAGE, "")
    actions = list(history_of(world.project).values_list("action", flat=True))
    assert actions[:2] == ["project.resume", "project.abandon"]


def test_abandoning_without_a_reason_is_refused_in_french(world, client_for):
    response = client_for("agent").post(
        reverse("projects:abandon", args=[world.project.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "Dites pourquoi le projet est abandonné." in _text(response)
    world.project.refresh_from_db()
    assert world.project.stage == Stage.CADRAGE


def test_resuming_a_project_that_is_not_abandoned_says_so(world, client_for):
    response = client_for("agent").post(reverse("projects:resume", args=[world.project.pk]), follow=True)
    assert "Ce projet n'est pas abandonné." in _text(response)


@pytest.mark.parametrize(("role", "status"), [("elu", 403), ("facilitator", 403), ("outsider", 404)])
def test_readers_cannot_abandon_the_project(world, client_for, role, status):
    url = reverse("projects:abandon", args=[world.project.pk])
    assert client_for(role).post(url, {"reason": "Non."}).status_code == status
    world.project.refresh_from_db()
    assert world.project.stage == Stage.CADRAGE


def test_the_script_in_an_abandon_reason_is_shown_inert(world, client_for):
    services.project_abandon(
        actor=world.users["agent"], project=world.project, reason="<script>alert(1)</script>Fin."
    )
    page = client_for("elu").get(world.project.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Fin." in page


# --- The project page ------------------------------------------------------------------------------


def test_the_project_page_shows_stage_deliverables_team_and_history(world, client_for):
    response = client_for("elu").get(world.project.get_absolute_url())
    assert response.status_code == 200
    page = _text(response)
    assert "Étape : Cadrage" in page
    kinds = [(kind, d.status if d else None) for kind, _label, d in response.context["deliverables"]]
    assert kinds == [("intention", "validated"), ("cadrage", "submitted"), ("faisabilite", None)]
    cadrage = response.context["deliverables"][1][2]
    assert (cadrage.open_threads, cadrage.comment_count, cadrage.version_count) == (1, 1, 1)
    assert "En attente depuis" in page
    team = response.context["team"]
    assert [p["user"] for p in team] == [world.users["agent"], world.users["dgs"]]
    assert team[0]["is_lead"] and team[0]["role"] == "Agent / chargé·e de mission"
    assert "Organiser des groupes de pairs." in page
    actions = [entry.action for entry in response.context["history"]]
    assert {"project.create", "deliverable.validate", "deliverable.submit", "comment.add"} <= set(actions)
    # An élu outside the project team reads only.
    assert response.context["rights"].can_manage is False
    assert reverse("projects:edit", args=[world.project.pk]) not in page


def test_the_project_page_lists_the_lead_first_then_the_members_and_the_facilitators_apart(world, client_for):
    project = world.project
    outsider = world.users["outsider"]  # on the project's team without a role in the territory's team
    project.members.add(outsider)
    response = client_for("elu").get(project.get_absolute_url())
    team = response.context["team"]
    assert team[0] == {"user": world.users["agent"], "is_lead": True, "role": "Agent / chargé·e de mission"}
    others = team[1:]
    assert [p["user"] for p in others] == sorted(
        [world.users["dgs"], outsider], key=lambda user: (user.full_name, user.email)
    )
    assert {p["user"].pk: p["role"] for p in others} == {world.users["dgs"].pk: "DGS", outsider.pk: ""}
    assert response.context["facilitators"] == list(project.facilitators.order_by("full_name", "email"))
    assert response.context["facilitators"], "the world's project has a facilitator"
    assert world.users["facilitator"].get_full_name() in _text(response)


def test_the_team_does_not_see_the_private_notes_nor_their_history_entries(world, client_for):
    services.private_note_add(actor=world.users["facilitator"], project=world.project, body="Entre nous.")
    for role in ("agent", "elu"):
        response = client_for(role).get(world.project.get_absolute_url())
        assert "private_note.add" not in [e.action for e in response.context["history"]]
        assert "Entre nous." not in _text(response)
        assert "Notes privées" not in _text(response)
    response = client_for("facilitator").get(world.project.get_absolute_url())
    assert "private_note.add" in [e.action for e in response.context["history"]]
    # The reviewers' panel of private notes, with its form.
    assert "Entre nous." in _text(response)
    assert reverse("projects:private_note_add", args=[world.project.pk]) in _text(response)


def test_the_project_page_tells_each_role_what_it_may_do(world, client_for):
    agent_page = client_for("agent").get(world.project.get_absolute_url()).content.decode()
    assert reverse("projects:edit", args=[world.project.pk]) in agent_page
    assert reverse("projects:facilitators", args=[world.project.pk]) not in agent_page
    facilitator_page = client_for("facilitator").get(world.project.get_absolute_url()).content.decode()
    assert reverse("projects:facilitators", args=[world.project.pk]) in facilitator_page
    assert reverse("projects:edit", args=[world.project.pk]) not in facilitator_page


def test_the_project_of_another_territory_is_hidden(world, client_for):
    assert client_for("agent").get(world.other_project.get_absolute_url()).status_code == 404
    assert client_for("outsider").get(world.project.get_absolute_url()).status_code == 404


# --- Lists ---------------------------------------------------------------------------------------------


def _titles(response):
    return [p.title for p in response.context["page"]]


def test_my_projects_lists_those_i_lead_write_or_follow(world, client_for):
    pilot = {world.project.title, world.draft_project.title}
    assert set(_titles(client_for("agent").get(reverse("projects:mine")))) == pilot
    assert set(_titles(client_for("dgs").get(reverse("projects:mine")))) == pilot
    world.draft_project.facilitators.clear()
    assert _titles(client_for("facilitator").get(reverse("projects:mine"))) == [world.project.title]
    assert _titles(client_for("elu").get(reverse("projects:mine"))) == []
    assert _titles(client_for("outsider").get(reverse("projects:mine"))) == ["Projet d'un autre territoire"]


def test_my_projects_offers_to_start_a_project_in_my_territories(world, client_for):
    page = client_for("elu").get(reverse("projects:mine")).content.decode()
    assert reverse("projects:create", args=[world.territory.pk]) in page
    assert reverse("projects:review_queue") not in page


def test_a_territory_s_projects_are_listed_for_its_team_and_facilitators(world, client_for):
    url = reverse("projects:territory_list", args=[world.territory.pk])
    assert set(_titles(client_for("elu").get(url))) == {world.project.title, world.draft_project.title}
    assert client_for("outsider").get(url).status_code == 403
    hidden = reverse("projects:territory_list", args=[world.other_territory.pk])
    assert client_for("agent").get(hidden).status_code == 404


def test_the_admin_sees_every_project_and_filters_them(world, client_for):
    client = client_for("admin")
    url = reverse("projects:all")
    everything = {world.project.title, world.draft_project.title, "Projet d'un autre territoire"}
    assert set(_titles(client.get(url))) == everything
    assert _titles(client.get(url, {"stage": "cadrage"})) == [world.project.title]
    response = client.get(url, {"territory": world.other_territory.pk})
    assert _titles(response) == ["Projet d'un autre territoire"]
    # The territory's option stays chosen, the select named by its label.
    assert f'<option value="{world.other_territory.pk}" selected>Autre territoire</option>' in _text(response)
    assert '<label for="filter_territory">' in _text(response) and 'id="filter_territory"' in _text(response)
    world.draft_project.facilitators.clear()
    assert _titles(client.get(url, {"facilitator": world.users["facilitator"].pk})) == [world.project.title]
    world.project.themes.add(Theme.objects.get(slug="gouvernance"))
    assert _titles(client.get(url, {"theme": "gouvernance"})) == [world.project.title]
    # Search ignores accents and case, word by word.
    assert _titles(client.get(url, {"q": "COOPERATION organisations"})) == [world.project.title]
    assert _titles(client.get(url, {"q": "inexistant"})) == []


def test_a_bad_filter_is_reported_and_the_others_still_apply(world, client_for):
    response = client_for("admin").get(reverse("projects:all"), {"stage": "nope", "q": "autre"})
    assert response.status_code == 200
    assert response.context["form"].errors["stage"]
    assert _titles(response) == ["Projet d'un autre territoire"]


def test_the_lists_are_paginated_keeping_the_filters(world, client_for):
    for number in range(25):
        services.project_create(
            actor=world.users["agent"], territory=world.territory, title=f"Projet n°{number}"
        )
    client = client_for("agent")
    first = client.get(reverse("projects:mine"), {"q": "Projet n°"})
    assert len(first.context["page"]) == 20 and first.context["page"].paginator.count == 25
    assert "?q=Projet+n%C2%B0&amp;page=2" in first.content.decode()
    second = client.get(reverse("projects:mine"), {"q": "Projet n°", "page": "2"})
    assert len(second.context["page"]) == 5


def test_the_admin_list_refuses_everyone_else(world, client_for):
    assert client_for("facilitator").get(reverse("projects:all")).status_code == 403


# --- The review queue ----------------------------------------------------------------------------------


def _submitted(world, title, days_ago):
    project = services.project_create(actor=world.users["agent"], territory=world.territory, title=title)
    deliverable = project.deliverables.get()
    Deliverable.objects.filter(pk=deliverable.pk).update(
        status=DeliverableStatus.SUBMITTED, submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    return deliverable


def test_the_review_queue_lists_the_oldest_waiting_first_with_the_waiting_time(world, client_for):
    _submitted(world, "Récent", days_ago=1)
    _submitted(world, "Ancien", days_ago=20)
    response = client_for("facilitator").get(reverse("projects:review_queue"))
    rows = [(row.project__title, row.kind) for row in response.context["page"]]
    assert rows == [("Ancien", "intention"), ("Récent", "intention"), (world.project.title, "cadrage")]
    page = _text(response)
    # The wait in its largest unit (core.dates.duration): 20 days are « 2 semaines ».
    assert "2 semaines" in page and "1 jour" in page
    assert response.context["page"][2].open_threads == 1
    # Each row links its note and its project (URLs written from one reverse each, projects.queue).
    content = response.content.decode()
    assert f'<a href="{world.cadrage.get_absolute_url()}">' in content
    assert f'<a href="{world.project.get_absolute_url()}">{world.project.title}</a>' in content


def test_a_facilitator_s_queue_holds_only_the_projects_assigned_to_them(world, client_for):
    stranger = UserFactory(email="autre@exemple.fr", role="facilitator")
    client = client_for("anonymous")
    client.force_login(stranger)
    assert list(client.get(reverse("projects:review_queue")).context["page"]) == []
    world.project.facilitators.add(stranger)
    assert [d.pk for d in client.get(reverse("projects:review_queue")).context["page"]] == [world.cadrage.pk]


def test_the_admin_s_queue_holds_every_submitted_deliverable(world, client_for):
    other = world.other_project.deliverables.get()
    Deliverable.objects.filter(pk=other.pk).update(
        status=DeliverableStatus.SUBMITTED, submitted_at=timezone.now()
    )
    queue = client_for("admin").get(reverse("projects:review_queue"))
    assert [d.pk for d in queue.context["page"]] == [world.cadrage.pk, other.pk]
    filtered = client_for("admin").get(
        reverse("projects:review_queue"), {"territory": world.other_territory.pk}
    )
    assert [d.pk for d in filtered.context["page"]] == [other.pk]


@pytest.mark.parametrize("role", ["agent", "elu", "dgs", "outsider"])
def test_the_review_queue_is_for_facilitators_and_admins(world, client_for, role):
    assert client_for(role).get(reverse("projects:review_queue")).status_code == 403


@pytest.mark.parametrize(("role", "offered"), [("facilitator", True), ("admin", True), ("elu", False)])
def test_the_menu_and_the_site_map_offer_the_review_queue_to_whoever_may_open_it(
    users, client_for, role, offered
):
    queue = reverse("projects:review_queue")
    for page in (reverse("dashboards:my_space"), reverse("pages:site_map")):
        assert (f'href="{queue}"' in client_for(role).get(page).content.decode()) is offered, page


# --- The territory's dashboard -----------------------------------------------------------------------


def test_the_territory_dashboard_counts_projects_by_stage(world, client_for):
    services.project_create(actor=world.users["agent"], territory=world.territory, title="Autre")
    response = client_for("dgs").get(reverse("territories:dashboard", args=[world.territory.pk]))
    counts = {stage: count for stage, _label, count in response.context["projects_by_stage"]}
    assert counts == {"intention": 1, "cadrage": 1, "faisabilite": 1, "launched": 0, "abandoned": 0}
    assert f"{reverse('projects:territory_list', args=[world.territory.pk])}?stage=cadrage" in (
        _text(response)
    )


def test_the_navigation_links_projects_and_the_review_queue_for_facilitators(world, client_for):
    facilitator_page = client_for("facilitator").get(reverse("projects:mine")).content.decode()
    assert reverse("projects:review_queue") in facilitator_page
    agent_page = client_for("agent").get(reverse("projects:mine")).content.decode()
    assert f'href="{reverse("projects:mine")}"' in agent_page
    assert reverse("projects:review_queue") not in agent_page


def test_a_new_team_member_can_lead_a_new_project(world, client_for):
    newcomer = UserFactory(email="nouvelle@exemple.fr", full_name="Nora Nouvelle")
    TeamMember.objects.create(territory=world.territory, user=newcomer, role=TeamRole.TECHNICIEN)
    client_for("agent").post(_create_url(world), _form(world, lead=newcomer.pk))
    assert Project.objects.get(title="Des groupes de pairs inter-EPCI").lead == newcomer
