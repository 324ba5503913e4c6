"""The actor map as server-rendered SVG: actors coloured by family, arrows for their influences, the numbered
chain of actions with dashed links from the actors who carry each action, and a legend.

Graphviz (through pygraphviz) computes the layout: node positions and edge splines. Only the geometry is read
back; the drawing is ours, with presentation attributes only (no class, no style sheet, no external font), so
that the same SVG shows on the page and in the PDF dossier (WeasyPrint). Every text goes through escape().
The same data always gives the same drawing: rows are fed to Graphviz in a stable order with a fixed seed.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import partial

import pygraphviz
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import ActorFamily
from core.svg import coord, svg_document, svg_text, text_width, wrap

from .models import InfluenceSign, InfluenceStrength

# Sizes in SVG user units; Graphviz works in points (72 per inch), taken here as one unit each.
FONT = 13
LINE_HEIGHT = 16
# The widest line of an actor's name: about 24 characters.
LINE_WIDTH = 180
PAD_X, PAD_Y = 12, 8
MIN_BOX_WIDTH = 84
ACTION_RADIUS = 15
MARGIN = 20
LEGEND_MIN_WIDTH = 760
LEGEND_FONT = 12
LEGEND_ROW = 26
INCH = 72

INK, MUTED, WHITE = "#1b2430", "#4a5563", "#ffffff"
# Okabe–Ito hues (distinguishable with the common colour-vision deficiencies), as light fills under dark text
# (contrast above 10:1) with the full hue as the border.
FAMILY_COLOURS = {
    ActorFamily.ELU: ("#cfe6f7", "#0072b2"),
    ActorFamily.AGENT: ("#fbe0b0", "#c27c00"),
    ActorFamily.ETAT: ("#ecd3e4", "#a8577f"),
    ActorFamily.SOCIO_ECO: ("#c9ecdf", "#009e73"),
    ActorFamily.AUTRE: ("#e4e4e4", "#6b6b6b"),
}
SIGN_STYLE = {
    # colour, dash pattern: the sign is never told by colour alone.
    InfluenceSign.POSITIVE: ("#00795a", ""),
    InfluenceSign.NEGATIVE: ("#c2410c", "7 4"),
}
STRENGTH_WIDTH = {
    InfluenceStrength.WEAK: 1.25,
    InfluenceStrength.MEDIUM: 2.25,
    InfluenceStrength.STRONG: 3.5,
}
CHAIN = "#2b3a67"
CARRIER = "#7a8494"

# neato (stress majorization) gives the most even spread for dense maps; overlaps are then removed by
# "vpsc" with an extra margin around every node, and edges are routed around the boxes.
GRAPH_ATTRS = {
    "layout": "neato",
    "mode": "major",
    "start": "7",
    "overlap": "vpsc",
    "sep": "+18",
    "esep": "+8",
    "splines": "true",
    "pack": "true",
    "outputorder": "edgesfirst",
}


@dataclass
class _Box:
    key: str
    lines: list
    width: float
    height: float
    x: float = 0.0
    y: float = 0.0


def _actor_box(actor) -> _Box:
    lines = wrap(actor.name, LINE_WIDTH, FONT, max_lines=2) if actor.name.strip() else ["?"]
    width = max(MIN_BOX_WIDTH, max(text_width(line, FONT) for line in lines) + 2 * PAD_X)
    return _Box(f"a{actor.pk}", lines, round(width), len(lines) * LINE_HEIGHT + 2 * PAD_Y)


def _spline(pos: str) -> list[tuple[float, float]]:
    """The points of an edge's "pos" (a cubic B-spline: start, then three points per segment)."""
    points = []
    for token in pos.split(";")[0].split():
        if token.startswith(("e,", "s,")):
            continue
        x, y = token.split(",")
        points.append((float(x), float(y)))
    return points


# Graphviz takes most of the drawing's time (about 0.2 s at 40 actors, 2 s at 100): its result depends only on
# the shapes and links given to it, so it is kept in the cache under a digest of them, and a map is laid out
# again only when its actors, influences or chain change.
LAYOUT_CACHE_SECONDS = 7 * 24 * 3600


def _layout(boxes, actions, influences, carriers, chain):
    inputs = json.dumps(
        [
            GRAPH_ATTRS,
            [(box.key, box.width, box.height) for box in boxes],
            [action.pk for action in actions],
            [(influence.pk, influence.source_id, influence.target_id) for influence in influences],
            sorted(carriers),
            sorted(chain),
        ],
        sort_keys=True,
        default=str,
    )
    key = "methods:actor-map-layout:" + hashlib.sha256(inputs.encode()).hexdigest()
    layout = cache.get(key)
    if layout is None:
        layout = _graphviz_layout(boxes, actions, influences, carriers, chain)
        cache.set(key, layout, LAYOUT_CACHE_SECONDS)
    return layout


def _graphviz_layout(boxes, actions, influences, carriers, chain):
    graph = pygraphviz.AGraph(directed=True, strict=False)
    graph.graph_attr.update(GRAPH_ATTRS)
    # Labels are drawn by us: Graphviz sees fixed-size, label-less shapes (no font needed, no warning).
    graph.node_attr.update(shape="box", fixedsize="true", label="")
    graph.edge_attr.update(arrowhead="none", arrowtail="none")
    for box in boxes:
        graph.add_node(box.key, width=box.width / INCH, height=box.height / INCH)
    for action in actions:
        graph.add_node(f"x{action.pk}", shape="circle", width=2 * ACTION_RADIUS / INCH)
    for influence in influences:
        graph.add_edge(f"a{influence.source_id}", f"a{influence.target_id}", key=f"i{influence.pk}", len=2.2)
    for action_pk, following_pk in chain:
        graph.add_edge(f"x{action_pk}", f"x{following_pk}", key=f"c{action_pk}-{following_pk}", len=1.4)
    for actor_pk, action_pk in carriers:
        graph.add_edge(f"a{actor_pk}", f"x{action_pk}", key=f"p{actor_pk}-{action_pk}", len=1.8, weight=0.5)
    graph.layout()
    left, bottom, right, top = (float(v) for v in graph.graph_attr["bb"].split(","))
    positions = {}
    for node in graph.nodes():
        x, y = node.attr["pos"].split(",")
        positions[str(node)] = (float(x), float(y))
    splines = {edge.key: _spline(edge.attr["pos"]) for edge in graph.edges() if edge.attr.get("pos")}
    return (left, bottom, right, top), positions, splines


def _path(points) -> str:
    head, rest = points[0], points[1:]
    d = [f"M{coord(head[0])},{coord(head[1])}"]
    for index in range(0, len(rest) - len(rest) % 3, 3):
        d.append("C" + " ".join(f"{coord(x)},{coord(y)}" for x, y in rest[index : index + 3]))
    return " ".join(d)


def _marker(id_, colour) -> str:
    return (
        f'<marker id="{id_}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="3.6" markerHeight="3.6" '
        f'orient="auto" markerUnits="strokeWidth"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    )


# Every text of the map is in its ink and body size unless said otherwise.
_text = partial(svg_text, size=FONT, fill=INK)


def _actor_shape(box: _Box, actor, x, y, prefix) -> str:
    fill, border = FAMILY_COLOURS.get(actor.family, FAMILY_COLOURS[ActorFamily.AUTRE])
    dash, text_fill = "", INK
    if not actor.is_selected:
        fill, dash, text_fill = WHITE, ' stroke-dasharray="5 3"', MUTED
    tooltip = " — ".join(
        part
        for part in (
            actor.name,
            actor.get_family_display(),
            actor.role,
            "" if actor.is_selected else _("non retenu"),
        )
        if part
    )
    left, top = x - box.width / 2, y - box.height / 2
    first_baseline = y - (len(box.lines) - 1) * LINE_HEIGHT / 2 + FONT * 0.35
    lines = "".join(
        _text(x, first_baseline + index * LINE_HEIGHT, line, fill=text_fill, anchor="middle")
        for index, line in enumerate(box.lines)
    )
    return (
        f'<g id="{prefix}-actor-{actor.pk}"><title>{escape(tooltip)}</title>'
        f'<rect x="{coord(left)}" y="{coord(top)}" width="{coord(box.width)}" height="{coord(box.height)}" '
        f'rx="8" fill="{fill}" stroke="{border}" stroke-width="1.5"{dash}/>{lines}</g>'
    )


def _action_shape(action, x, y, prefix) -> str:
    number = _text(x, y + FONT * 0.35, str(action.order), fill=WHITE, anchor="middle", weight="bold")
    return (
        f'<g id="{prefix}-action-{action.pk}"><title>{escape(str(action))}</title>'
        f'<circle cx="{coord(x)}" cy="{coord(y)}" r="{ACTION_RADIUS}" fill="{CHAIN}" stroke="{WHITE}" '
        f'stroke-width="2"/>{number}</g>'
    )


def _legend_items(prefix):
    """(width, drawing at the origin) of each legend entry; the drawing is translated into place."""
    items = []

    def add(symbol_width, symbol, text):
        width = symbol_width + 8 + text_width(text, LEGEND_FONT)
        label = _text(symbol_width + 8, 4, text, size=LEGEND_FONT)
        items.append((width, symbol + label))

    for family in ActorFamily:
        fill, border = FAMILY_COLOURS[family]
        add(
            22,
            f'<rect x="0" y="-8" width="22" height="16" rx="4" fill="{fill}" stroke="{border}" '
            f'stroke-width="1.5"/>',
            str(family.label),
        )
    add(
        22,
        f'<rect x="0" y="-8" width="22" height="16" rx="4" fill="{WHITE}" stroke="{MUTED}" '
        f'stroke-width="1.5" stroke-dasharray="5 3"/>',
        _("acteur non retenu"),
    )
    for sign in InfluenceSign:
        colour, dash = SIGN_STYLE[sign]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        add(
            40,
            f'<path d="M0,0 L36,0" stroke="{colour}" stroke-width="2.25" fill="none"{dash_attr} '
            f'marker-end="url(#{prefix}-{sign})"/>',
            _("influence %(sign)s") % {"sign": sign.label.lower()},
        )
    for strength in InfluenceStrength:
        add(
            30,
            f'<path d="M0,0 L30,0" stroke="{MUTED}" stroke-width="{STRENGTH_WIDTH[strength]}" fill="none"/>',
            _("intensité %(strength)s") % {"strength": strength.label.lower()},
        )
    add(
        62,
        f'<path d="M13,0 L47,0" stroke="{CHAIN}" stroke-width="2.5" fill="none" '
        f'marker-end="url(#{prefix}-chain)"/>'
        + "".join(
            f'<circle cx="{x}" cy="0" r="9" fill="{CHAIN}"/>'
            + _text(x, 4, number, size=11, fill=WHITE, anchor="middle")
            for x, number in ((9, "0"), (53, "1"))
        ),
        _("chaîne des actions, dans l'ordre 0, 1…"),
    )
    add(
        30,
        f'<path d="M0,0 L30,0" stroke="{CARRIER}" stroke-width="1.5" stroke-dasharray="2 3" fill="none"/>',
        _("porte l'action"),
    )
    return items


def _legend(prefix, width, top):
    """The legend under the map, its entries flowing into as many rows as the width needs."""
    title = _text(MARGIN, top + 16, _("Légende"), size=LEGEND_FONT + 1, weight="bold")
    parts, x, y = [title], MARGIN, top + 16 + LEGEND_ROW
    for item_width, drawing in _legend_items(prefix):
        if x > MARGIN and x + item_width > width - MARGIN:
            x, y = MARGIN, y + LEGEND_ROW
        parts.append(f'<g transform="translate({coord(x)},{coord(y - 4)})">{drawing}</g>')
        x += item_width + 22
    height = y - top + 14
    return "".join(parts), height


def _links(actors, influences, actions):
    """The influences between the map's actors, the actions in order, who carries each action and which
    action leads to which: the rows in a stable order, links to anything outside the map left out."""
    by_pk = {actor.pk: actor for actor in actors}
    influences = sorted(
        (i for i in influences if i.source_id in by_pk and i.target_id in by_pk), key=lambda i: i.pk
    )
    actions = sorted(actions, key=lambda a: (a.order, a.pk))
    action_pks = {action.pk for action in actions}
    carriers = [
        (carrier.pk, action.pk)
        for action in actions
        for carrier in sorted(action.carriers.all(), key=lambda c: c.pk)
        if carrier.pk in by_pk
    ]
    chain = [
        (action.pk, following.pk)
        for action in actions
        for following in sorted(action.leads_to.all(), key=lambda a: a.pk)
        if following.pk in action_pks
    ]
    return by_pk, influences, actions, carriers, chain


def _influence_edge(influence, by_pk, d, prefix) -> str:
    # A value the choices do not know (written around the forms) draws as the default one.
    sign = influence.sign if influence.sign in SIGN_STYLE else InfluenceSign.POSITIVE
    strength = influence.strength if influence.strength in STRENGTH_WIDTH else InfluenceStrength.MEDIUM
    colour, dash = SIGN_STYLE[sign]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    tooltip = _("%(source)s a une influence %(sign)s %(strength)s sur %(target)s") % {
        "source": by_pk[influence.source_id].name,
        "sign": influence.get_sign_display().lower(),
        "strength": influence.get_strength_display().lower(),
        "target": by_pk[influence.target_id].name,
    }
    if influence.comment:
        tooltip += f" : {influence.comment}"
    return (
        f'<g id="{prefix}-influence-{influence.pk}"><title>{escape(tooltip)}</title>'
        f'<path d="{d}" stroke="{colour}" stroke-width="{STRENGTH_WIDTH[strength]}" fill="none"{dash_attr} '
        f'marker-end="url(#{prefix}-{sign})"/></g>'
    )


def _edges(path, by_pk, influences, carriers, chain, prefix) -> list[str]:
    """Who carries which action, the influences, then the chain of actions: under the shapes. `path(key)`
    gives the `d` of the edge Graphviz routed under `key`, "" when it routed none."""
    body = []
    for actor_pk, action_pk in carriers:
        if d := path(f"p{actor_pk}-{action_pk}"):
            body.append(
                f'<path d="{d}" stroke="{CARRIER}" stroke-width="1.5" stroke-dasharray="2 3" fill="none"/>'
            )
    for influence in influences:
        if d := path(f"i{influence.pk}"):
            body.append(_influence_edge(influence, by_pk, d, prefix))
    for action_pk, following_pk in chain:
        if d := path(f"c{action_pk}-{following_pk}"):
            body.append(
                f'<path d="{d}" stroke="{CHAIN}" stroke-width="2.5" fill="none" '
                f'marker-end="url(#{prefix}-chain)"/>'
            )
    return body


def _description(actors, influences, actions) -> str:
    selected = sum(1 for actor in actors if actor.is_selected)
    return " ".join(
        (
            ngettext(
                "%(count)s acteur (%(selected)s retenu),",
                "%(count)s acteurs (%(selected)s retenus),",
                len(actors),
            )
            % {"count": len(actors), "selected": selected},
            ngettext("%(count)s influence,", "%(count)s influences,", len(influences))
            % {"count": len(influences)},
            ngettext(
                "%(count)s action dans la chaîne des actions.",
                "%(count)s actions dans la chaîne des actions.",
                len(actions),
            )
            % {"count": len(actions)},
        )
    )


def actor_map_svg(
    project, *, id_prefix="actor-map", actors=None, influences=None, actions=None
) -> SafeString:
    """The project's actor map; the rows are read from the project unless given (already loaded by a page,
    actions with their carriers and leads_to prefetched). Empty when the project has no actor."""
    if actors is None:
        actors = list(project.actors.all())
    actors = sorted(actors, key=lambda a: (a.position, a.pk))
    if not actors:
        return mark_safe("")
    if influences is None:
        influences = list(project.influences.all())
    if actions is None:
        actions = list(project.actions.prefetch_related("carriers", "leads_to"))
    by_pk, influences, actions, carriers, chain = _links(actors, influences, actions)
    boxes = {actor.pk: _actor_box(actor) for actor in actors}
    (left, bottom, right, top), positions, splines = _layout(
        list(boxes.values()), actions, influences, carriers, chain
    )

    prefix = escape(id_prefix)
    map_width, map_height = right - left, top - bottom
    width = max(map_width + 2 * MARGIN, LEGEND_MIN_WIDTH)
    offset_x = (width - map_width) / 2 - left

    def at(point):
        return point[0] + offset_x, MARGIN + (top - point[1])

    def path(key):
        """The `d` of the edge Graphviz routed under `key`, in the drawing's coordinates; "" if none."""
        points = splines.get(key)
        return _path([at(p) for p in points]) if points else ""

    body = _edges(path, by_pk, influences, carriers, chain, prefix)
    for actor in actors:
        body.append(_actor_shape(boxes[actor.pk], actor, *at(positions[f"a{actor.pk}"]), prefix))
    for action in actions:
        body.append(_action_shape(action, *at(positions[f"x{action.pk}"]), prefix))

    legend, legend_height = _legend(prefix, width, map_height + 2 * MARGIN)
    height = map_height + 2 * MARGIN + legend_height
    defs = "".join(_marker(f"{prefix}-{sign}", SIGN_STYLE[sign][0]) for sign in InfluenceSign) + _marker(
        f"{prefix}-chain", CHAIN
    )
    return svg_document(
        width=coord(width),
        height=coord(height),
        id_prefix=id_prefix,
        title=_("Carte des acteurs du projet « %(project)s »") % {"project": project.title},
        desc=_description(actors, influences, actions),
        body=[
            f"<defs>{defs}</defs>",
            f'<rect x="0" y="0" width="{coord(width)}" height="{coord(height)}" fill="{WHITE}"/>',
            *body,
            legend,
        ],
        css_class=None,
        align="xMidYMin",
        font_family="sans-serif",
    )
