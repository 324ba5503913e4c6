"""The actantial diagram: valid XML, described, every text escaped, the six actants always drawn, boxes
that never overlap and hold their lines, however many entries there are."""

import itertools
import xml.etree.ElementTree as ET

from methods.actantial_diagram import BOX_WIDTH, COLUMNS, actantial_svg
from methods.actor_map import FAMILY_COLOURS as MAP_COLOURS
from methods.models import Actant, ActantEntry, ActantialSchema, Actor

SVG = "{http://www.w3.org/2000/svg}"
ACTANTS = ("destinateur", "sujet", "objet", "adjuvant", "opposant", "destinataire")


def entry(pk, actant, *, label="", actor=None, note=""):
    made = ActantEntry(pk=pk, actant=actant, label=label, note=note, position=pk)
    if actor is not None:
        made.actor = actor
    return made


def parse(svg):
    return ET.fromstring(str(svg))


def boxes(root, prefix):
    """Each actant's box: (x, y, width, height) of its outline, and its group."""
    found = {}
    for actant in ACTANTS:
        group = root.find(f".//{SVG}g[@id='{prefix}-{actant}']")
        outline = group.find(f"{SVG}rect[@class='actant-box']")
        found[actant] = (
            tuple(float(outline.get(k)) for k in ("x", "y", "width", "height")),
            group,
        )
    return found


def overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def test_the_diagram_is_valid_xml_described_with_a_title_and_a_description():
    schema = ActantialSchema(quest="Expérimenter un protocole entre pairs")
    elus = Actor(pk=1, name="Les élus du syndicat", family="elu")
    svg = actantial_svg(
        schema,
        id_prefix="actantial-7",
        entries=[
            entry(1, Actant.DESTINATEUR, actor=elus),
            entry(2, Actant.OPPOSANT, label="Le temps"),
        ],
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "actantial-7-title actantial-7-desc"
    assert root.find(f"{SVG}title").get("id") == "actantial-7-title"
    assert root.find(f"{SVG}title").text == "Schéma actantiel : Expérimenter un protocole entre pairs"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == "actantial-7-desc"
    assert "Destinateur(s) : Les élus du syndicat." in desc.text
    assert "Opposant(s) : Le temps." in desc.text
    assert "Quête : Expérimenter un protocole entre pairs." in desc.text
    # The arrow's marker is prefixed, so that two diagrams on one page keep their own.
    assert root.find(f".//{SVG}marker").get("id") == "actantial-7-arrow"
    assert all(
        line.get("marker-end") == "url(#actantial-7-arrow)"
        for line in root.iter(f"{SVG}line")
        if line.get("marker-end")
    )


def test_the_six_actants_and_the_quest_are_drawn_even_when_empty():
    root = parse(actantial_svg(ActantialSchema(quest=""), entries=[]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for title in (
        "Destinateur(s)",
        "Sujet",
        "Objet(s)",
        "Adjuvant(s)",
        "Opposant(s)",
        "Destinataire(s)",
        "Quête",
    ):
        assert title in texts
    for _box, group in boxes(root, "actantial").values():
        assert [t.text for t in group.iter(f"{SVG}text")][1:] == ["—"]
    assert root.find(f"{SVG}title").text == "Schéma actantiel : Schéma du projet"
    # Five arrows: destinateur → objet → destinataire, sujet → objet, adjuvant → sujet ← opposant.
    assert len([line for line in root.iter(f"{SVG}line") if line.get("marker-end")]) == 5


def test_every_text_is_escaped():
    nasty = "<script>alert('x')</script> & « co »"
    svg = actantial_svg(
        ActantialSchema(quest="Quête <b>&</b>"),
        id_prefix='a"b',
        entries=[entry(1, Actant.OBJET, label=nasty, note="<i>note</i>")],
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    texts = " ".join(t.text for t in root.iter(f"{SVG}text"))
    assert "<script>alert('x')</script>" in texts and "<i>note</i>" in texts
    assert "Quête <b>&</b>" in root.find(f"{SVG}title").text


def test_actors_are_marked_by_a_family_coloured_dot_and_labels_by_a_dash():
    actors = [
        Actor(pk=1, name="CNFPT", family="etat"),
        Actor(pk=2, name="Le groupe des agents", family="agent"),
    ]
    entries = [
        entry(1, Actant.ADJUVANT, actor=actors[0]),
        entry(2, Actant.ADJUVANT, actor=actors[1]),
        entry(3, Actant.ADJUVANT, label="La Fabrique des Transitions"),
    ]
    root = parse(actantial_svg(ActantialSchema(quest=""), entries=entries))
    group = boxes(root, "actantial")["adjuvant"][1]
    dots = group.findall(f"{SVG}circle")
    # The same colour as the family's on the actor map.
    assert [dot.get("fill") for dot in dots] == [MAP_COLOURS["etat"][1], MAP_COLOURS["agent"][1]]
    dashes = [line for line in group.findall(f"{SVG}line") if line.get("stroke-width") == "2"]
    assert len(dashes) == 1
    legend = [t.text for t in root.findall(f"{SVG}text")]
    assert "acteur du projet : Agent de collectivité" in legend
    assert "acteur du projet : État territorial" in legend
    assert "intitulé libre (une chose, une idée, une force…)" in legend


def test_boxes_never_overlap_and_hold_their_lines_with_many_long_entries():
    long_name = "Un adjuvant au nom vraiment très long, avec des précisions qui n'en finissent pas"
    entries = [
        entry(i, Actant.ADJUVANT, label=f"{long_name} n°{i}", note="une précision " * (i % 3))
        for i in range(1, 9)
    ]
    entries += [entry(20 + i, Actant.DESTINATEUR, label=f"Destinateur {i} " + "x" * 60) for i in range(5)]
    entries += [entry(40, Actant.SUJET, label="Anticonstitutionnellementextraordinairementlong" * 3)]
    svg = actantial_svg(ActantialSchema(quest="Une quête " * 20), entries=entries)
    root = parse(svg)
    found = boxes(root, "actantial")
    for (a, _ga), (b, _gb) in itertools.combinations(found.values(), 2):
        assert not overlap(a, b)
    quest = root.find(f".//{SVG}g[@id='actantial-quete']/{SVG}rect")
    quest_box = tuple(float(quest.get(k)) for k in ("x", "y", "width", "height"))
    assert not any(overlap(quest_box, box) for box, _g in found.values())
    for (x, y, width, height), group in found.values():
        for text in group.iter(f"{SVG}text"):
            assert x < float(text.get("x")) < x + width
            assert y < float(text.get("y")) <= y + height
    # The boxes grew with their lines, and sit in their three columns.
    assert found["adjuvant"][0][3] > 500
    assert {box[0] for box, _g in found.values()} == set(COLUMNS)
    assert all(box[2] == BOX_WIDTH for box, _g in found.values())
    view_height = float(root.get("viewBox").split()[3])
    assert max(box[1] + box[3] for box, _g in found.values()) < view_height


def test_two_diagrams_on_one_page_keep_their_ids_apart():
    first = parse(actantial_svg(ActantialSchema(quest=""), id_prefix="actantial-1", entries=[]))
    second = parse(actantial_svg(ActantialSchema(quest=""), id_prefix="actantial-2", entries=[]))
    ids = [{e.get("id") for e in root.iter() if e.get("id")} for root in (first, second)]
    assert ids[0] and not ids[0] & ids[1]
