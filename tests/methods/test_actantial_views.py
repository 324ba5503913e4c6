"""The actantial schema's pages: readers see the diagram and its text, editors change it in place (htmx) or
by plain forms; errors come back on the form; nothing is created by a reader's visit."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from methods.models import Actant, ActantEntry, ActantialSchema, Actor
from methods.services import actantial

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(project):
    return reverse("methods:actantial", args=[project.pk])


def schema_url(schema):
    return reverse("methods:actantial_schema", args=[schema.project_id, schema.pk])


def add_url(schema):
    return reverse("methods:actantial_entry_add", args=[schema.project_id, schema.pk])


def entry_url(name, entry):
    return reverse(f"methods:actantial_{name}", args=[entry.schema.project_id, entry.schema_id, entry.pk])


def labels(schema, actant):
    return list(schema.entries.filter(actant=actant).order_by("position").values_list("label", flat=True))


# --- Reading -------------------------------------------------------------------------------------------


def test_a_reader_sees_the_diagram_the_text_and_the_definitions_but_no_form(world, client_for):
    response = client_for("elu").get(page_url(world.project))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-actantial"' in html
    assert world.actant_entry.display_name in html
    assert "Qui donne au sujet une mission ou une quête ; une personne, une chose" in html
    assert "Donnée par le destinateur pour obtenir un objet" in html
    assert "entrees/ajouter/" not in html and "/quete/" not in html and "Ajouter un sujet" not in html
    assert reverse("methods:actantial_svg", args=[world.project.pk, world.schema.pk]) in html


def test_a_readers_visit_creates_no_schema_and_shows_the_empty_structure(world, client_for):
    project = world.draft_project
    for role in ("elu", "admin"):
        response = client_for(role).get(page_url(project))
        assert response.status_code == 200
        assert "pas encore commencé" in response.content.decode()
    assert not ActantialSchema.objects.filter(project=project).exists()


def test_an_editors_first_visit_creates_the_project_schema_once(world, client_for):
    project = world.draft_project
    client = client_for("facilitator")
    for _visit in range(2):
        response = client.get(page_url(project))
        assert response.status_code == 200
        assert "Ajouter un destinateur" in response.content.decode()
    assert list(ActantialSchema.objects.filter(project=project).values_list("quest", flat=True)) == [""]


def test_the_schema_page_lists_the_projects_schemas_as_tabs(world, client_for):
    quest = actantial.schema_create(actor=world.users["agent"], project=world.project, quest="Former les DGS")
    response = client_for("dgs").get(schema_url(quest))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{schema_url(world.schema)}"' in html
    assert f'href="{schema_url(quest)}" aria-current="page"' in html
    assert "Le schéma de la quête « Former les DGS »" in html


def test_a_schema_of_another_project_is_not_found(world, client_for):
    client = client_for("agent")
    url = reverse("methods:actantial_schema", args=[world.project.pk, world.other_schema.pk])
    assert client.get(url).status_code == 404
    svg = reverse("methods:actantial_svg", args=[world.project.pk, world.other_schema.pk])
    assert client.get(svg).status_code == 404
    add = reverse("methods:actantial_entry_add", args=[world.project.pk, world.other_schema.pk])
    assert client.post(add, {"actant": "sujet", "label": "X"}).status_code == 404
    assert client_for("outsider").get(page_url(world.project)).status_code == 404


def test_the_svg_downloads_as_a_valid_file(world, client_for):
    response = client_for("elu").get(
        reverse("methods:actantial_svg", args=[world.project.pk, world.schema.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="schema-actantiel-')
    root = ET.fromstring(response.content)
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert title == f"Schéma actantiel du projet « {world.project.title} »"


# --- Editing: who ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["elu", "admin"])
def test_readers_cannot_change_the_schema(world, client_for, role):
    client = client_for(role)
    assert client.post(add_url(world.schema), {"actant": "objet", "label": "Un objet"}).status_code == 403
    assert client.post(entry_url("entry_delete", world.actant_entry)).status_code == 403
    assert ActantEntry.objects.filter(pk=world.actant_entry.pk).exists()
    assert not ActantEntry.objects.filter(label="Un objet").exists()


@pytest.mark.parametrize("role", ["agent", "dgs", "facilitator"])
def test_the_team_and_the_assigned_facilitator_add_entries(world, client_for, role):
    response = client_for(role).post(add_url(world.schema), {"actant": "objet", "label": "Coopérer"})
    assert response.status_code == 302 and response["Location"] == schema_url(world.schema)
    assert labels(world.schema, Actant.OBJET) == ["Coopérer"]


# --- Entries ---------------------------------------------------------------------------------------------


def test_an_entry_added_with_htmx_swaps_the_region_with_its_message(world, client_for):
    response = client_for("agent").post(
        add_url(world.schema), {"actant": "opposant", "label": "Le temps", "note": "Toujours lui"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="actantial-region"') and "<html" not in html
    assert "« Le temps » est ajouté·e au schéma (opposant)." in html
    assert "Toujours lui" in html and "Le temps</text>" in html


def test_an_actor_of_the_project_is_chosen_from_the_list(world, client_for):
    cnfpt = Actor.objects.create(project=world.project, name="CNFPT", family="etat")
    Actor.objects.create(project=world.other_project, name="Un acteur d'ailleurs", family="elu")
    page = client_for("agent").get(page_url(world.project)).content.decode()
    assert f'<option value="{cnfpt.pk}">CNFPT</option>' in page
    assert "Un acteur d&#x27;ailleurs" not in page and "Un acteur d'ailleurs" not in page
    client_for("agent").post(add_url(world.schema), {"actant": "adjuvant", "actor": cnfpt.pk})
    assert world.schema.entries.get(actant="adjuvant").actor == cnfpt


def test_an_empty_entry_comes_back_on_its_form_with_htmx_and_without(world, client_for):
    client = client_for("agent")
    response = client.post(add_url(world.schema), {"actant": "destinateur", "note": "Ma précision"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Choisissez un acteur du projet ou écrivez un intitulé." in html
    assert 'value="Ma précision"' in html
    response = client.post(add_url(world.schema), {"actant": "destinateur", "note": "Ma précision"})
    html = response.content.decode()
    assert response.status_code == 422 and "<html" in html
    assert "Choisissez un acteur du projet ou écrivez un intitulé." in html
    assert 'value="Ma précision"' in html
    # The form with the error is the destinateur's, open.
    start = html.index('id="actant-destinateur-editor"')
    assert '<details class="actant-add" open>' in html[start : start + 400]
    assert not world.schema.entries.filter(actant="destinateur").exists()


def test_an_actor_of_another_project_gets_a_clear_message_on_the_form(world, client_for):
    stranger = Actor.objects.create(project=world.other_project, name="Un acteur d'ailleurs", family="elu")
    response = client_for("agent").post(add_url(world.schema), {"actant": "adjuvant", "actor": stranger.pk})
    assert response.status_code == 422
    assert (
        "Choisissez un acteur de ce projet dans la liste, ou écrivez un intitulé libre."
        in response.content.decode()
    )
    assert not ActantEntry.objects.filter(actor=stranger).exists()


def test_a_forged_actant_is_refused_with_a_message(world, client_for):
    response = client_for("agent").post(add_url(world.schema), {"actant": "heros", "label": "Ulysse"}, **HTMX)
    assert response.status_code == 200
    assert "Choisissez l&#x27;un des six actants." in response.content.decode()
    assert not ActantEntry.objects.filter(label="Ulysse").exists()


def test_an_entry_is_edited_in_place_or_on_its_own_page(world, client_for):
    client = client_for("agent")
    entry = actantial.entry_add(
        actor=world.users["agent"], schema=world.schema, actant=Actant.OPPOSANT, label="Le temps"
    )
    fragment = client.get(entry_url("entry_edit", entry), **HTMX).content.decode()
    assert "<html" not in fragment and "Modifier « Le temps »" in fragment and 'value="Le temps"' in fragment
    page = client.get(entry_url("entry_edit", entry))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(
        entry_url("entry_edit", entry), {"actant": "opposant", "label": "Le manque de temps"}, **HTMX
    )
    assert (
        response.status_code == 200
        and "« Le manque de temps » est enregistré·e." in response.content.decode()
    )
    response = client.post(entry_url("entry_edit", entry), {"actant": "opposant", "label": ""})
    assert response.status_code == 422
    assert "Choisissez un acteur du projet ou écrivez un intitulé." in response.content.decode()
    response = client.post(entry_url("entry_edit", entry), {"actant": "opposant", "label": ""}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="actantial-region"' in html
    assert "Choisissez un acteur du projet ou écrivez un intitulé." in html
    assert labels(world.schema, Actant.OPPOSANT) == ["Le manque de temps"]


def test_entries_are_moved_and_removed(world, client_for):
    client = client_for("dgs")
    agent = world.users["agent"]
    first, second = (
        actantial.entry_add(actor=agent, schema=world.schema, actant=Actant.OPPOSANT, label=label)
        for label in ("A", "B")
    )
    response = client.post(entry_url("entry_move", second), {"direction": "up"}, **HTMX)
    assert response.status_code == 200 and "« B » est déplacé·e." in response.content.decode()
    assert labels(world.schema, Actant.OPPOSANT) == ["B", "A"]
    response = client.post(entry_url("entry_move", second), {"direction": "nowhere"})
    assert response.status_code == 422
    response = client.post(entry_url("entry_delete", first))
    assert response.status_code == 302
    assert labels(world.schema, Actant.OPPOSANT) == ["B"]


# --- Schemas -------------------------------------------------------------------------------------------


def test_a_quest_schema_is_added_then_renamed_then_deleted(world, client_for):
    client = client_for("agent")
    add = reverse("methods:actantial_schema_add", args=[world.project.pk])
    response = client.post(add, {"quest": "Former les managers"})
    quest = ActantialSchema.objects.get(project=world.project, quest="Former les managers")
    assert response.status_code == 302 and response["Location"] == schema_url(quest)
    response = client.post(add, {"quest": "Former les managers"})
    assert response.status_code == 422
    assert "Le projet a déjà un schéma pour la quête « Former les managers »." in response.content.decode()
    response = client.post(add, {"quest": "Réseaux"}, **HTMX)
    assert response["HX-Redirect"] == schema_url(ActantialSchema.objects.get(quest="Réseaux"))

    edit = reverse("methods:actantial_schema_edit", args=[world.project.pk, quest.pk])
    response = client.post(edit, {"quest": "Former 40 managers"}, **HTMX)
    assert response.status_code == 200 and "Quête : Former 40 managers" in response.content.decode()
    response = client.post(edit, {"quest": ""})
    assert response.status_code == 422 and "Donnez la quête de ce schéma." in response.content.decode()

    delete = reverse("methods:actantial_schema_delete", args=[world.project.pk, quest.pk])
    response = client.post(delete, **HTMX)
    assert response["HX-Redirect"] == page_url(world.project)
    assert not ActantialSchema.objects.filter(pk=quest.pk).exists()


def test_the_project_schema_keeps_an_optional_quest_and_is_never_deleted(world, client_for):
    client = client_for("agent")
    edit = reverse("methods:actantial_schema_edit", args=[world.project.pk, world.schema.pk])
    response = client.post(edit, {"quest": "Coopérer"})
    assert response.status_code == 302
    response = client.post(edit, {"quest": ""}, **HTMX)
    assert response.status_code == 200 and "La quête est enregistrée." in response.content.decode()
    delete = reverse("methods:actantial_schema_delete", args=[world.project.pk, world.schema.pk])
    response = client.post(delete, **HTMX)
    assert response.status_code == 200
    assert "Le schéma du projet ne se supprime pas" in response.content.decode()
    response = client.post(delete, follow=True)
    assert "Le schéma du projet ne se supprime pas" in response.content.decode()
    assert ActantialSchema.objects.filter(pk=world.schema.pk).exists()


def test_an_abandoned_project_s_schema_is_shown_without_its_forms(world, client_for):
    from projects import services as project_services

    project_services.project_abandon(
        actor=world.users["agent"], project=world.project, reason="Plus de budget."
    )
    html = client_for("agent").get(schema_url(world.schema)).content.decode()
    assert world.actant_entry.display_name in html
    assert 'class="actant-form"' not in html
    response = client_for("agent").post(add_url(world.schema), {"actant": "opposant", "label": "Le temps"})
    assert response.status_code in (200, 302, 422)
    assert not world.schema.entries.filter(label="Le temps").exists()
