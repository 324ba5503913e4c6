"""The structured parts of the notes: stakeholders, objectives, success criteria, means with their totals,
steps with their chart, the roles matrix; each with its validation and French messages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEntry
from projects import services
from projects.models import (
    DeliverableKind,
    Means,
    MeansOrigin,
    Objective,
    ObjectiveKind,
    Responsibility,
    Stakeholder,
    Step,
    SuccessCriterion,
)
from projects.views.deliverables import _means_totals
from tests.worlds.projects import answer_all

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def open_cadrage(world):
    """A new project of the pilot whose note de cadrage is the draft being written."""
    agent = world.users["agent"]
    project = services.project_create(actor=agent, territory=world.territory, title="Coopérer entre EPCI")
    intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
    answer_all(agent, intention)
    services.deliverable_submit(actor=agent, deliverable=intention)
    services.deliverable_validate(actor=world.users["facilitator"], deliverable=intention)
    return project.deliverables.get(kind=DeliverableKind.CADRAGE)


def add_url(deliverable, part):
    return reverse("projects:part_add", args=[deliverable.project_id, deliverable.kind, part])


def edit_url(deliverable, part, item):
    return reverse("projects:part_edit", args=[deliverable.project_id, deliverable.kind, part, item.pk])


def delete_url(deliverable, part, item):
    return reverse("projects:part_delete", args=[deliverable.project_id, deliverable.kind, part, item.pk])


def roles_url(deliverable):
    return reverse("projects:roles", args=[deliverable.project_id, deliverable.kind])


def spaced(text):
    """French numbers are grouped with non-breaking spaces: read them as plain ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def cadrage(world):
    return open_cadrage(world)


def test_a_stakeholder_is_added_in_place_and_listed(world, client_for, cadrage):
    response = client_for("agent").post(
        add_url(cadrage, "parties-prenantes"),
        {
            "parties-prenantes-name": "Groupe des DGS",
            "parties-prenantes-organisation": "5 EPCI",
            "parties-prenantes-involvement": "indirect",
            "parties-prenantes-family": "agent",
        },
        **HTMX,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="partie-parties-prenantes"' in content and "« Groupe des DGS (5 EPCI) » est ajouté." in content
    assert "Indirecte" in content and "Agent de collectivité" in content
    stakeholder = cadrage.stakeholders.get()
    assert (stakeholder.name, stakeholder.involvement) == ("Groupe des DGS", "indirect")
    assert AuditEntry.objects.filter(action="part.add", target_id=str(cadrage.pk)).exists()


def test_without_javascript_a_row_is_added_and_the_page_comes_back_to_its_part(world, client_for, cadrage):
    response = client_for("agent").post(
        add_url(cadrage, "parties-prenantes"),
        {
            "parties-prenantes-name": "Élus",
            "parties-prenantes-involvement": "direct",
            "parties-prenantes-family": "elu",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#partie-parties-prenantes")


def test_a_quantitative_objective_needs_an_indicator_a_target_and_a_date(world, client_for, cadrage):
    response = client_for("agent").post(
        add_url(cadrage, "objectifs"),
        {"objectifs-kind": "quantitative", "objectifs-title": "Former les managers"},
        **HTMX,
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Un objectif quantitatif a un indicateur." in content
    assert "Un objectif quantitatif a une valeur cible." in content
    assert "Un objectif quantitatif a une échéance." in content
    assert 'value="Former les managers"' in content  # what was typed stays in the form
    assert not cadrage.objectives.exists()


def test_a_measurable_objective_and_a_qualitative_one_are_saved(world, client_for, cadrage):
    client = client_for("agent")
    client.post(
        add_url(cadrage, "objectifs"),
        {
            "objectifs-kind": "quantitative",
            "objectifs-title": "Former les managers",
            "objectifs-indicator": "Managers formés",
            "objectifs-baseline": "0",
            "objectifs-target": "40",
            "objectifs-unit": "personnes",
            "objectifs-due_date": "2027-06-30",
        },
        **HTMX,
    )
    response = client.post(
        add_url(cadrage, "objectifs"),
        {"objectifs-kind": "qualitative", "objectifs-title": "Coopérer entre pairs"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "0 → 40 personnes" in response.content.decode()
    assert list(cadrage.objectives.values_list("kind", flat=True)) == ["quantitative", "qualitative"]


def test_a_success_criterion_links_objectives_of_the_same_note_only(world, client_for, cadrage):
    objective = Objective.objects.create(
        deliverable=cadrage, kind=ObjectiveKind.QUALITATIVE, title="Coopérer"
    )
    client = client_for("agent")
    response = client.post(
        add_url(cadrage, "criteres"),
        {"criteres-text": "Les DGS se réunissent", "criteres-objectives": [world.objective.pk]},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(
        add_url(cadrage, "criteres"),
        {"criteres-text": "Les DGS se réunissent", "criteres-objectives": [objective.pk]},
        **HTMX,
    )
    assert response.status_code == 200
    criterion = cadrage.success_criteria.get()
    assert list(criterion.objectives.all()) == [objective]


def test_the_service_refuses_an_objective_of_another_note(world, cadrage):
    criterion = SuccessCriterion(text="Critère")
    with pytest.raises(services.DomainError):
        services.part_save(
            actor=world.users["agent"],
            deliverable=cadrage,
            item=criterion,
            related={"objectives": [world.objective]},
        )
    assert not SuccessCriterion.objects.filter(text="Critère").exists()


def test_means_show_their_totals_by_kind_and_origin(world, client_for):
    client = client_for("agent")
    rows = [
        ("moyens-internes", {"kind": "human", "description": "Chargée de mission", "fte": "1.5"}),
        ("moyens-internes", {"kind": "financial", "description": "Budget animation", "amount": "2500"}),
        (
            "moyens-externes",
            {"kind": "financial", "description": "Formation", "amount": "12000.50", "funder": "CNFPT"},
        ),
        (
            "moyens-externes",
            {"kind": "human", "description": "Consultant", "fte": "0.25", "funder": "Région"},
        ),
    ]
    for part, fields in rows:
        response = client.post(
            add_url(world.draft, part), {f"{part}-{k}": v for k, v in fields.items()}, **HTMX
        )
        assert response.status_code == 200, response.content.decode()
    content = spaced(response.content.decode())
    assert "Total humain" in content and "0,25" in content and "12 000,50" in content
    internal = client.get(reverse("projects:deliverable", args=[world.draft_project.pk, "faisabilite"]))
    content = spaced(internal.content.decode())
    # Internal: the world's 0.5 FTE plus 1.5, and 2 500 €.
    internal_total = (
        '<th scope="row" colspan="2">Total</th>\n      <td class="number">2</td><td class="number">2 500</td>'
    )
    assert internal_total in content
    assert Means.objects.filter(deliverable=world.draft, origin=MeansOrigin.EXTERNAL).count() == 2


def test_means_need_their_quantity_and_external_ones_their_funder(world, client_for):
    response = client_for("agent").post(
        add_url(world.draft, "moyens-externes"),
        {
            "moyens-externes-kind": "financial",
            "moyens-externes-description": "Subvention",
            "moyens-externes-amount": "-5",
        },
        **HTMX,
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "supérieure ou égale à 0" in content
    assert "Ce champ est obligatoire." in content
    response = client_for("agent").post(
        add_url(world.draft, "moyens-internes"),
        {"moyens-internes-kind": "human", "moyens-internes-description": "Temps agent"},
        **HTMX,
    )
    assert "Indiquez le nombre d&#x27;ETP de ce moyen humain." in response.content.decode()


def test_a_step_cannot_end_before_it_starts(world, client_for):
    response = client_for("agent").post(
        add_url(world.draft, "etapes"),
        {"etapes-title": "Bilan", "etapes-start": "2026-06-01", "etapes-end": "2026-05-01"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "La fin de l&#x27;étape ne peut pas précéder son début." in response.content.decode()
    assert world.draft.steps.count() == 1


def test_a_step_is_added_to_the_table_and_the_chart(world, client_for):
    response = client_for("agent").post(
        add_url(world.draft, "etapes"),
        {
            "etapes-title": "Cycle de formation",
            "etapes-start": "2026-03-02",
            "etapes-end": "2026-06-26",
            "etapes-outputs": "40 managers formés",
        },
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content and "Cycle de formation : du 02/03/2026 au 26/06/2026" in content
    assert "40 managers formés" in content and "2 étapes" in content


def test_a_row_is_edited_and_deleted(world, client_for):
    client = client_for("dgs")
    form = client.get(edit_url(world.draft, "etapes", world.step), **HTMX)
    assert form.status_code == 200 and 'value="Première rencontre"' in form.content.decode()
    response = client.post(
        edit_url(world.draft, "etapes", world.step),
        {"etapes-title": "Rencontre de lancement", "etapes-start": "2026-01-12", "etapes-end": "2026-01-13"},
        **HTMX,
    )
    assert response.status_code == 200
    world.step.refresh_from_db()
    assert world.step.title == "Rencontre de lancement"
    response = client.post(delete_url(world.draft, "etapes", world.step), **HTMX)
    assert (
        response.status_code == 200
        and "« Rencontre de lancement » est supprimé." in response.content.decode()
    )
    assert not Step.objects.filter(pk=world.step.pk).exists()


def test_a_row_of_another_note_or_part_is_not_found(world, client_for):
    client = client_for("agent")
    # Steps and means count their keys apart: keep no step under the means' key, so only the means has it.
    Step.objects.filter(pk=world.means.pk).delete()
    assert client.get(edit_url(world.draft, "etapes", world.means)).status_code == 404
    assert client.get(add_url(world.draft, "objectifs")).status_code == 404
    assert client.get(add_url(world.draft, "inconnue")).status_code == 404


def test_a_submitted_note_s_rows_do_not_change(world, client_for):
    client = client_for("agent")
    response = client.post(
        add_url(world.cadrage, "parties-prenantes"),
        {
            "parties-prenantes-name": "Trop tard",
            "parties-prenantes-involvement": "direct",
            "parties-prenantes-family": "elu",
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert "ne peut plus être modifié" in response.content.decode()
    response = client.post(delete_url(world.cadrage, "parties-prenantes", world.stakeholder), **HTMX)
    assert response.status_code == 422
    assert Stakeholder.objects.filter(pk=world.stakeholder.pk).exists()
    assert world.cadrage.stakeholders.count() == 1


def test_readers_do_not_change_rows(world, client_for):
    for role in ("elu", "facilitator", "admin"):
        response = client_for(role).post(delete_url(world.draft, "etapes", world.step))
        assert response.status_code == 403
    assert Step.objects.filter(pk=world.step.pk).exists()


def test_the_roles_matrix_crosses_the_cadrage_s_stakeholders_with_the_steps(world, client_for):
    stakeholder = Stakeholder.objects.get(deliverable__project=world.draft_project)
    client = client_for("agent")
    page = client.get(reverse("projects:deliverable", args=[world.draft_project.pk, "faisabilite"]))
    cell = f"cell_{stakeholder.pk}_{world.step.pk}"
    assert f'name="{cell}"' in page.content.decode()
    response = client.post(roles_url(world.draft), {cell: "R"}, **HTMX)
    assert response.status_code == 200
    assert "Les rôles et responsabilités sont enregistrés." in response.content.decode()
    assert Responsibility.objects.get(step=world.step, stakeholder=stakeholder).level == "R"
    client.post(roles_url(world.draft), {cell: "I"}, **HTMX)
    assert Responsibility.objects.get(step=world.step, stakeholder=stakeholder).level == "I"
    client.post(roles_url(world.draft), {cell: ""}, **HTMX)
    assert not Responsibility.objects.filter(step=world.step).exists()


def test_the_roles_matrix_refuses_an_unknown_role(world, client_for):
    stakeholder = Stakeholder.objects.get(deliverable__project=world.draft_project)
    response = client_for("agent").post(
        roles_url(world.draft), {f"cell_{stakeholder.pk}_{world.step.pk}": "X"}
    )
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Responsibility.objects.exists()


def test_the_roles_service_refuses_a_stakeholder_of_another_project(world):
    with pytest.raises(services.DomainError):
        services.roles_save(
            actor=world.users["agent"],
            deliverable=world.draft,
            cells={(world.stakeholder.pk, world.step.pk): "R"},
        )


def test_totals_add_decimals_exactly(world):
    means = [
        Means(kind="human", fte=Decimal("0.1")),
        Means(kind="human", fte=Decimal("0.2")),
        Means(kind="financial", amount=Decimal("0.10")),
        Means(kind="technical", amount=None),
    ]
    totals = _means_totals(means)
    assert totals["fte"] == Decimal("0.3") and totals["amount"] == Decimal("0.10")
    assert [row["count"] for row in totals["rows"]] == [2, 1, 1]
