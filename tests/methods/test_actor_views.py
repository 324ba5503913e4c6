import random
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from methods.models import Action, Actor, Influence
from methods.services import actors as services

HTMX = {"HX-Request": "true"}


def _url(name, world, **kwargs):
    return reverse(f"methods:{name}", kwargs={"pk": world.project.pk, **kwargs})


def _actor_post(**fields):
    data = {"name": "CNFPT Occitanie", "kind": "organisation", "family": "autre", "role": "Formation"}
    data.update(fields)
    return {f"acteur-{key}": value for key, value in data.items()}


# --- The page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "dgs", "facilitator"])
def test_editors_see_the_map_the_tables_and_the_forms(world, client_for, role):
    response = client_for(role).get(_url("actor_map", world))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-labelledby="actor-map-title actor-map-desc"' in html
    for text in ("Élus du syndicat", "Interpellation tripartite", "Croisement des points de vue"):
        assert text in html
    assert "Ajouter un acteur" in html and "Ajouter une influence" in html
    assert "Ajouter une action à la chaîne" in html
    assert "Reprendre 1 partie prenante de la note de cadrage" in html


@pytest.mark.parametrize("role", ["elu", "admin"])
def test_readers_see_the_map_and_tables_without_forms(world, client_for, role):
    response = client_for(role).get(_url("actor_map", world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groupe des DGS" in html and "<svg" in html
    assert "Ajouter un acteur" not in html and "Supprimer" not in html
    assert reverse("methods:actor_select", args=[world.project.pk, world.actor.pk]) not in html


def test_the_map_does_not_exist_for_another_territory(world, client_for):
    assert client_for("outsider").get(_url("actor_map", world)).status_code == 404


def test_an_empty_map_invites_to_add_actors(world, client_for):
    response = client_for("outsider").get(reverse("methods:actor_map", args=[world.other_project.pk]))
    assert response.status_code == 200
    Actor.objects.filter(project=world.other_project).delete()
    response = client_for("outsider").get(reverse("methods:actor_map", args=[world.other_project.pk]))
    assert "La carte est vide" in response.content.decode()
    svg = client_for("outsider").get(reverse("methods:actor_map_svg", args=[world.other_project.pk]))
    assert svg.status_code == 404


def test_the_svg_is_downloaded_as_a_file(world, client_for):
    response = client_for("elu").get(_url("actor_map_svg", world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"].startswith("attachment;")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


# --- Writing, with and without htmx --------------------------------------------------------------------


def test_adding_an_actor_with_htmx_swaps_the_region(world, client_for):
    response = client_for("agent").post(_url("actor_add", world), _actor_post(), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="actor-map-region"')
    assert "« CNFPT Occitanie » est ajouté à la carte." in html
    assert html.count("CNFPT Occitanie") >= 2  # the table and the diagram
    assert Actor.objects.filter(project=world.project, name="CNFPT Occitanie", family="autre").exists()


def test_adding_an_actor_without_javascript_redirects_to_the_map(world, client_for):
    client = client_for("facilitator")
    response = client.post(_url("actor_add", world), _actor_post())
    assert response.status_code == 302
    assert response["Location"] == _url("actor_map", world) + "#acteurs"
    page = client.get(response["Location"]).content.decode()
    assert "« CNFPT Occitanie » est ajouté à la carte." in page


def test_a_refused_actor_comes_back_on_its_form_with_what_was_typed(world, client_for):
    data = _actor_post(name="Groupe des DGS", role="Un rôle soigneusement écrit")
    for headers in (HTMX, {}):
        response = client_for("agent").post(_url("actor_add", world), data, headers=headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Un acteur s&#x27;appelle déjà « Groupe des DGS » dans ce projet." in html
        assert 'value="Un rôle soigneusement écrit"' in html
        assert ("<html" in html) is not bool(headers)
    assert Actor.objects.filter(project=world.project).count() == 3


def test_a_missing_field_is_shown_on_the_form(world, client_for):
    response = client_for("agent").post(_url("actor_add", world), _actor_post(name=""), headers=HTMX)
    assert response.status_code == 200
    assert "Corrigez les champs signalés" in response.content.decode()


@pytest.mark.parametrize("role", ["elu", "admin"])
def test_readers_cannot_change_the_map(world, client_for, role):
    client = client_for(role)
    assert client.post(_url("actor_add", world), _actor_post()).status_code == 403
    assert client.post(_url("actor_delete", world, actor_pk=world.actor_c.pk)).status_code == 403
    assert client.get(_url("actor_edit", world, actor_pk=world.actor.pk)).status_code == 403
    assert Actor.objects.filter(project=world.project).count() == 3


def test_an_actor_of_another_project_answers_404(world, client_for):
    url = _url("actor_edit", world, actor_pk=world.other_actor.pk)
    assert client_for("agent").get(url).status_code == 404


def test_the_edit_form_opens_in_place_and_saves(world, client_for):
    client = client_for("dgs")
    url = _url("actor_edit", world, actor_pk=world.actor.pk)
    html = client.get(url, headers=HTMX).content.decode()
    assert "Modifier l'acteur « Élus du syndicat »" in html
    assert 'value="Élus du syndicat"' in html
    data = _actor_post(name="Élus du Pôle", family="elu", kind="collective", role="")
    response = client.post(url, data, headers=HTMX)
    assert "« Élus du Pôle » est enregistré." in response.content.decode()
    world.actor.refresh_from_db()
    assert (world.actor.name, world.actor.is_selected) == ("Élus du Pôle", False)


def test_the_selection_toggle_flips_an_actor(world, client_for):
    url = _url("actor_select", world, actor_pk=world.actor_c.pk)
    response = client_for("agent").post(url, {}, headers=HTMX)
    assert "n&#x27;est plus retenu pour le projet" in response.content.decode()
    world.actor_c.refresh_from_db()
    assert world.actor_c.is_selected is False
    client_for("agent").post(url, {"is_selected": "on"})
    world.actor_c.refresh_from_db()
    assert world.actor_c.is_selected is True


def test_deleting_an_actor_who_carries_an_action_alone_is_refused_in_place(world, client_for):
    url = _url("actor_delete", world, actor_pk=world.actor_b.pk)
    response = client_for("agent").post(url, headers=HTMX)
    assert response.status_code == 200
    assert "porte seul l&#x27;action" in response.content.decode()
    assert Actor.objects.filter(pk=world.actor_b.pk).exists()
    response = client_for("agent").post(url)
    assert response.status_code == 302


def test_deleting_an_actor(world, client_for):
    response = client_for("agent").post(_url("actor_delete", world, actor_pk=world.actor_c.pk), headers=HTMX)
    assert "« Sous-préfecture » est retiré de la carte." in response.content.decode()
    assert not Actor.objects.filter(pk=world.actor_c.pk).exists()


def test_importing_the_stakeholders_hides_the_import_afterwards(world, client_for):
    data = {"import-stakeholders": [world.stakeholder.pk]}
    response = client_for("agent").post(_url("actor_import", world), data, headers=HTMX)
    html = response.content.decode()
    assert "1 partie(s) prenante(s) reprise(s) de la note de cadrage." in html
    assert "Reprendre sur la carte" not in html
    assert Actor.objects.get(stakeholder=world.stakeholder).name == "Groupe des agents"
    again = client_for("agent").post(_url("actor_import", world), data, headers=HTMX)
    assert "Cette partie prenante est déjà sur la carte." in again.content.decode()
    assert Actor.objects.filter(stakeholder=world.stakeholder).count() == 1


def test_an_influence_to_an_actor_of_another_project_gets_a_clear_message(world, client_for):
    data = {
        "influence-source": world.actor.pk,
        "influence-target": world.other_actor.pk,
        "influence-strength": "weak",
        "influence-sign": "negative",
        "influence-comment": "Un commentaire à garder",
    }
    response = client_for("agent").post(_url("actor_influence_add", world), data, headers=HTMX)
    html = response.content.decode()
    assert "Choisissez un acteur de ce projet." in html
    assert 'value="Un commentaire à garder"' in html
    assert not Influence.objects.filter(target=world.other_actor).exists()


def test_a_duplicate_influence_gets_a_message_on_the_form(world, client_for):
    data = {
        "influence-source": world.actor_b.pk,
        "influence-target": world.actor.pk,
        "influence-strength": "weak",
        "influence-sign": "positive",
    }
    response = client_for("agent").post(_url("actor_influence_add", world), data, headers=HTMX)
    assert "est déjà sur la carte : modifiez-la plutôt." in response.content.decode()
    data["influence-target"] = world.actor_c.pk
    response = client_for("agent").post(_url("actor_influence_add", world), data)
    assert response.status_code == 302
    assert Influence.objects.filter(source=world.actor_b, target=world.actor_c).exists()


def test_editing_and_deleting_an_influence(world, client_for):
    client = client_for("facilitator")
    url = _url("actor_influence_edit", world, influence_pk=world.influence.pk)
    assert "Modifier l'influence" in client.get(url, headers=HTMX).content.decode()
    data = {
        "influence-source": world.actor_b.pk,
        "influence-target": world.actor.pk,
        "influence-strength": "weak",
        "influence-sign": "negative",
        "influence-comment": "Méfiance",
    }
    client.post(url, data, headers=HTMX)
    world.influence.refresh_from_db()
    assert (world.influence.sign, world.influence.comment) == ("negative", "Méfiance")
    client.post(_url("actor_influence_delete", world, influence_pk=world.influence.pk), headers=HTMX)
    assert not Influence.objects.filter(pk=world.influence.pk).exists()


def test_a_loop_in_the_chain_is_shown_on_the_action_form(world, client_for):
    url = _url("actor_action_edit", world, action_pk=world.action_b.pk)
    data = {
        "action-order": 1,
        "action-title": "Croisement des points de vue, revu",
        "action-carriers": [world.actor_b.pk],
        "action-leads_to": [world.action.pk],
    }
    response = client_for("agent").post(url, data, headers=HTMX)
    html = response.content.decode()
    assert "Cette suite d&#x27;actions ferait une boucle : 0 → 1 → 0." in html
    assert 'value="Croisement des points de vue, revu"' in html
    world.action_b.refresh_from_db()
    assert world.action_b.title == "Croisement des points de vue"


def test_the_action_form_never_offers_the_action_as_its_own_successor_on_the_page_or_when_posted(
    world, client_for
):
    url = _url("actor_action_edit", world, action_pk=world.action_b.pk)
    own = f'name="action-leads_to" value="{world.action_b.pk}"'
    other = f'name="action-leads_to" value="{world.action.pk}"'
    page = client_for("agent").get(url, headers=HTMX).content.decode()
    assert other in page and own not in page
    data = {
        "action-order": 1,
        "action-title": "Croisement des points de vue",
        "action-carriers": [world.actor_b.pk],
        "action-leads_to": [world.action_b.pk],
    }
    refused = client_for("agent").post(url, data, headers=HTMX).content.decode()
    assert "Choisissez une action de ce projet." in refused and own not in refused
    assert not world.action_b.leads_to.filter(pk=world.action_b.pk).exists()


def test_adding_an_action_to_the_chain(world, client_for):
    data = {
        "action-order": 2,
        "action-title": "Interpellation tripartite des élus",
        "action-carriers": [world.actor.pk, world.actor_c.pk],
    }
    response = client_for("agent").post(_url("actor_action_add", world), data, headers=HTMX)
    assert "L&#x27;action « 2. Interpellation tripartite des élus » est ajoutée à la chaîne." in (
        response.content.decode()
    )
    added = Action.objects.get(project=world.project, order=2)
    assert set(added.carriers.all()) == {world.actor, world.actor_c}


def test_an_action_carried_by_an_actor_of_another_project_is_refused(world, client_for):
    data = {"action-order": 2, "action-title": "Ailleurs", "action-carriers": [world.other_actor.pk]}
    response = client_for("agent").post(_url("actor_action_add", world), data)
    assert response.status_code == 200
    assert "Choisissez un acteur de ce projet." in response.content.decode()
    assert not Action.objects.filter(title="Ailleurs").exists()


def test_deleting_an_action(world, client_for):
    response = client_for("agent").post(_url("actor_action_delete", world, action_pk=world.action_b.pk))
    assert response.status_code == 302
    assert not Action.objects.filter(pk=world.action_b.pk).exists()


# --- Query counts --------------------------------------------------------------------------------------


def _grow(world, count):
    agent = world.users["agent"]
    rnd = random.Random(count)
    actors = [world.actor, world.actor_b, world.actor_c]
    for index in range(count - len(actors)):
        actors.append(
            services.actor_add(
                actor=agent, project=world.project, name=f"Acteur {index}", family=rnd.choice(["elu", "etat"])
            )
        )
    pairs = {(world.actor_b.pk, world.actor.pk)}
    while len(pairs) < count * 3 // 2:
        source, target = rnd.sample(actors, 2)
        if (source.pk, target.pk) not in pairs:
            pairs.add((source.pk, target.pk))
            Influence.objects.create(project=world.project, source=source, target=target)
    for order in range(2, 2 + count // 5):
        action = Action.objects.create(project=world.project, order=order, title=f"Action {order}")
        action.carriers.set(rnd.sample(actors, 2))


@pytest.mark.parametrize("count", [5, 40])
def test_the_map_page_reads_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries, count
):
    _grow(world, count)
    client = client_for("agent")
    with django_assert_max_num_queries(24):
        response = client.get(_url("actor_map", world))
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="acteur-') == count
