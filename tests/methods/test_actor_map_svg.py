import itertools
import random
import re
import xml.etree.ElementTree as ET

import pytest

from methods.actor_map import actor_map_svg
from methods.models import Action, Actor, Influence
from methods.services import actors as services

NS = {"svg": "http://www.w3.org/2000/svg"}
FAMILIES = ["elu", "agent", "etat", "socio_eco", "autre"]


def _parse(svg):
    return ET.fromstring(str(svg))


def _actor_boxes(root, prefix="actor-map"):
    boxes = []
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if group.get("id", "").startswith(f"{prefix}-actor-"):
            rect = group.find("svg:rect", NS)
            x, y = float(rect.get("x")), float(rect.get("y"))
            boxes.append((x, y, x + float(rect.get("width")), y + float(rect.get("height"))))
    return boxes


def _overlapping(boxes):
    return [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def _map_of(project, actors_count, influences_count, *, actions_count=0, seed=1):
    rnd = random.Random(seed)
    names = [
        "Élus du syndicat mixte",
        "Président du Pôle territorial",
        "Présidents des 5 communautés de communes",
        "Groupe des agents",
        "Services de l'État (sous-préfecture, DDT)",
    ]
    actors = Actor.objects.bulk_create(
        Actor(
            project=project,
            name=names[i] if i < len(names) else f"Acteur numéro {i} du territoire",
            family=FAMILIES[i % 5],
            is_selected=i % 6 != 5,
            position=i,
        )
        for i in range(actors_count)
    )
    pairs = set()
    while len(pairs) < influences_count:
        pairs.add(tuple(rnd.sample(range(actors_count), 2)))
    Influence.objects.bulk_create(
        Influence(
            project=project,
            source=actors[a],
            target=actors[b],
            strength=rnd.choice(["weak", "medium", "strong"]),
            sign=rnd.choice(["positive", "negative"]),
        )
        for a, b in sorted(pairs)
    )
    previous = None
    for order in range(actions_count):
        action = Action.objects.create(project=project, order=order, title=f"Étape {order}")
        action.carriers.set(rnd.sample(actors, 2))
        if previous is not None:
            previous.leads_to.add(action)
        previous = action
    return actors


@pytest.fixture
def empty_project(world):
    Actor.objects.filter(project=world.other_project).delete()
    return world.other_project


def test_the_map_is_valid_xml_with_a_title_and_a_description(world):
    svg = actor_map_svg(world.project)
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "actor-map-title actor-map-desc"
    assert root.find("svg:title", NS).get("id") == "actor-map-title"
    assert "Management des organisations par la coopération" in root.find("svg:title", NS).text
    assert root.find("svg:desc", NS).get("id") == "actor-map-desc"
    assert root.find("svg:desc", NS).text == (
        "3 acteurs (3 retenus), 1 influence, 2 actions dans la chaîne des actions."
    )
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 ")


def test_the_map_draws_each_actor_influence_and_action(world):
    root = _parse(actor_map_svg(world.project))
    assert len(_actor_boxes(root)) == 3
    ids = {g.get("id") for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert f"actor-map-influence-{world.influence.pk}" in ids
    assert {f"actor-map-action-{world.action.pk}", f"actor-map-action-{world.action_b.pk}"} <= ids
    arrow = root.find(f".//svg:g[@id='actor-map-influence-{world.influence.pk}']/svg:path", NS)
    assert arrow.get("marker-end") == "url(#actor-map-positive)"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"0", "1", "Élus du syndicat", "Groupe des DGS"} <= set(texts)


def test_every_text_is_escaped(world, agent):
    services.actor_add(actor=agent, project=world.project, name="<script>&", family="autre")
    services.actor_update(
        actor=agent,
        target=world.actor_c,
        name='Préfecture "du Tarn" & co',
        family="etat",
        kind="organisation",
        role="<b>rôle</b>",
        is_selected=False,
    )
    world.project.title = "Projet <i>&</i>"
    svg = str(actor_map_svg(world.project))
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = _parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>&" in texts
    assert "Projet <i>&</i>" in root.find("svg:title", NS).text


def test_the_legend_names_the_families_the_signs_the_strengths_and_the_chain(world):
    texts = {t.text for t in _parse(actor_map_svg(world.project)).iter("{http://www.w3.org/2000/svg}text")}
    assert {
        "Légende",
        "Élu·e",
        "Agent de collectivité",
        "État territorial",
        "Acteur socio-économique",
        "influence positive",
        "influence négative",
        "intensité faible",
        "intensité forte",
        "acteur non retenu",
        "chaîne des actions, dans l'ordre 0, 1…",
        "porte l'action",
    } <= texts


def test_the_sign_of_an_influence_is_not_told_by_colour_alone(world, agent):
    negative = services.influence_add(
        actor=agent, project=world.project, source=world.actor, target=world.actor_c, sign="negative"
    )
    root = _parse(actor_map_svg(world.project))
    positive_path = root.find(f".//svg:g[@id='actor-map-influence-{world.influence.pk}']/svg:path", NS)
    negative_path = root.find(f".//svg:g[@id='actor-map-influence-{negative.pk}']/svg:path", NS)
    assert positive_path.get("stroke-dasharray") is None
    assert negative_path.get("stroke-dasharray")
    assert negative_path.get("marker-end") == "url(#actor-map-negative)"
    # Strong is drawn wider than medium.
    assert float(positive_path.get("stroke-width")) > float(negative_path.get("stroke-width"))


def test_an_actor_not_selected_is_drawn_dashed(world, agent):
    services.actor_select(actor=agent, target=world.actor_c, is_selected=False)
    root = _parse(actor_map_svg(world.project))
    rect = root.find(f".//svg:g[@id='actor-map-actor-{world.actor_c.pk}']/svg:rect", NS)
    assert rect.get("stroke-dasharray")
    assert root.find("svg:desc", NS).text.startswith("3 acteurs (2 retenus)")


def test_ids_carry_the_prefix_so_several_maps_fit_on_one_page(world):
    svg = str(actor_map_svg(world.project, id_prefix="dossier-acteurs"))
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("dossier-acteurs-") for i in ids)
    assert "url(#dossier-acteurs-positive)" in svg and "url(#actor-map-" not in svg


def test_the_same_data_gives_the_same_drawing(world):
    assert str(actor_map_svg(world.project)) == str(actor_map_svg(world.project))


def test_a_project_without_actor_has_no_map(empty_project):
    assert actor_map_svg(empty_project) == ""


def test_the_rows_given_by_a_page_are_used_without_queries(world, django_assert_num_queries):
    actors = list(world.project.actors.all())
    influences = list(world.project.influences.all())
    actions = list(world.project.actions.prefetch_related("carriers", "leads_to"))
    with django_assert_num_queries(0):
        actor_map_svg(world.project, actors=actors, influences=influences, actions=actions)


@pytest.mark.parametrize(("actors", "influences", "actions"), [(5, 6, 3), (40, 60, 6)])
def test_no_two_actor_boxes_overlap(empty_project, actors, influences, actions):
    _map_of(empty_project, actors, influences, actions_count=actions)
    root = _parse(actor_map_svg(empty_project))
    boxes = _actor_boxes(root)
    assert len(boxes) == actors
    assert _overlapping(boxes) == []
    arrows = [
        g
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("id", "").startswith("actor-map-influence-")
    ]
    assert len(arrows) == influences
    # Everything drawn lies inside the viewBox.
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    assert all(b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= height for b in boxes)


def test_a_long_name_is_wrapped_on_two_lines_at_most(world, agent):
    services.actor_update(
        actor=agent,
        target=world.actor,
        name="Conférence territoriale des maires et des présidents des communautés de communes du Tarn",
        family="elu",
        kind="collective",
        role="",
        is_selected=True,
    )
    root = _parse(actor_map_svg(world.project))
    group = root.find(f".//svg:g[@id='actor-map-actor-{world.actor.pk}']", NS)
    lines = [t.text for t in group.findall("svg:text", NS)]
    assert len(lines) == 2 and lines[1].endswith("…")
