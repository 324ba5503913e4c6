"""The actantial schema as the classic Greimas diagram, server-rendered SVG for the page and the PDF dossier.

A fixed layout: destinateur → objet → destinataire across the top; the sujet under the objet, its arrow up to
the objet carrying the quest; adjuvants on its left and opposants on its right, their arrows towards it.
Boxes of one row share their height, which grows with the longest list; entries wrap on several lines.
Every text is escaped; only presentation attributes, so that WeasyPrint draws it as the browser does.
"""

from functools import partial

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import ActorFamily
from core.i18n import labelled, semicolon
from core.svg import svg_document, svg_text, text_width, wrap

from .actor_map import FAMILY_COLOURS as ACTOR_MAP_FAMILY_COLOURS
from .models import Actant
from .services.actantial import ACTANT_ORDER, ACTANT_TITLES

WIDTH = 960
MARGIN = 20
BOX_WIDTH = 270
PAD = 12
HEADER = 32
TITLE_FONT = 15
FONT = 13
LINE = 17
NOTE_FONT = 12
NOTE_LINE = 15
ENTRY_GAP = 7
BULLET = 16
QUEST_WIDTH = 250
ROW_GAP_MIN = 64
MIN_BODY = 3 * LINE
LEGEND_FONT = 12
INK, MUTED, ARROW = "#1d2a24", "#4d5b54", "#4d5b54"
FONT_FAMILY = "system-ui, 'DejaVu Sans', Arial, sans-serif"

# Light fills under dark ink (contrast above 12:1), a stronger tint for the header, a dark border.
COLOURS = {
    Actant.DESTINATEUR: ("#f4f0fb", "#e2d8f3", "#5e4694"),
    Actant.OBJET: ("#fff7e3", "#fbe4a8", "#8a5d00"),
    Actant.DESTINATAIRE: ("#eef8f7", "#c9e8e5", "#1d6a65"),
    Actant.SUJET: ("#eff7f2", "#cfe8d9", "#1f6b4a"),
    Actant.ADJUVANT: ("#f0f5fc", "#d3e3f6", "#2c5a8c"),
    Actant.OPPOSANT: ("#fdf1ef", "#f5d5cf", "#a3261b"),
}
# The dots take the actor map's family colours (its borders), so a family reads the same in both diagrams.
FAMILY_COLOURS = {family: border for family, (_fill, border) in ACTOR_MAP_FAMILY_COLOURS.items()}
COLUMNS = (MARGIN, (WIDTH - BOX_WIDTH) / 2, WIDTH - MARGIN - BOX_WIDTH)
TOP_ROW = (Actant.DESTINATEUR, Actant.OBJET, Actant.DESTINATAIRE)
BOTTOM_ROW = (Actant.ADJUVANT, Actant.SUJET, Actant.OPPOSANT)

# Every text of the diagram is in its ink and body size unless said otherwise.
_text = partial(svg_text, size=FONT, fill=INK)


class _Box:
    """One actant's box: its lines laid out, its height known before it is placed."""

    def __init__(self, actant, entries):
        self.actant = actant
        self.entries = entries
        room = BOX_WIDTH - 2 * PAD - BULLET - 6
        self.items = []
        for entry in entries:
            name_lines = wrap(entry.display_name, room, FONT)
            note_lines = wrap(entry.note, room, NOTE_FONT) if entry.note else []
            self.items.append((entry, name_lines, note_lines))
        body = sum(len(n) * LINE + len(o) * NOTE_LINE for _e, n, o in self.items)
        body += ENTRY_GAP * max(0, len(self.items) - 1)
        self.height = HEADER + PAD + max(body, MIN_BODY) + PAD

    def draw(self, prefix, x, y) -> str:
        fill, header, stroke = COLOURS[self.actant]
        height = self.height
        parts = [
            f'<g id="{prefix}-{self.actant}">',
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{height:.1f}" rx="8" fill="{fill}"/>',
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{HEADER}" rx="8" fill="{header}"/>',
            f'<rect x="{x:.1f}" y="{y + HEADER - 8:.1f}" width="{BOX_WIDTH}" height="8" fill="{header}"/>',
            f'<line x1="{x:.1f}" y1="{y + HEADER:.1f}" x2="{x + BOX_WIDTH:.1f}" y2="{y + HEADER:.1f}" '
            f'stroke="{stroke}" stroke-width="1"/>',
            _text(
                x + PAD,
                y + HEADER / 2 + TITLE_FONT / 2 - 2,
                str(ACTANT_TITLES[self.actant]),
                size=TITLE_FONT,
                weight="700",
            ),
        ]
        baseline = y + HEADER + PAD + FONT
        if not self.items:
            parts.append(_text(x + PAD, baseline, "—", fill=MUTED))
        for entry, name_lines, note_lines in self.items:
            marker_y = baseline - FONT / 2 + 2
            if entry.actor_id:
                colour = FAMILY_COLOURS.get(entry.actor.family, FAMILY_COLOURS[ActorFamily.AUTRE])
                parts.append(
                    f'<circle cx="{x + PAD + 5:.1f}" cy="{marker_y:.1f}" r="5" fill="{colour}" '
                    f'stroke="{INK}" stroke-width="1"/>'
                )
            else:
                parts.append(
                    f'<line x1="{x + PAD:.1f}" y1="{marker_y:.1f}" x2="{x + PAD + 10:.1f}" '
                    f'y2="{marker_y:.1f}" stroke="{MUTED}" stroke-width="2"/>'
                )
            for line in name_lines:
                parts.append(_text(x + PAD + BULLET, baseline, line))
                baseline += LINE
            for line in note_lines:
                parts.append(_text(x + PAD + BULLET, baseline - 2, line, size=NOTE_FONT, fill=MUTED))
                baseline += NOTE_LINE
            baseline += ENTRY_GAP
        parts.append(
            f'<rect class="actant-box" x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{height:.1f}" '
            f'rx="8" fill="none" stroke="{stroke}" stroke-width="1.5"/>'
        )
        parts.append("</g>")
        return "".join(parts)


def _arrow(prefix, x1, y1, x2, y2) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{ARROW}" stroke-width="2" '
        f'marker-end="url(#{prefix}-arrow)"/>'
    )


def _legend(families, has_labels, y) -> tuple[list[str], float]:
    """The marks in use: the colours of the families present, the free labels'; wrapped across the width."""
    items = [(family, _("acteur du projet : %(family)s") % {"family": family.label}) for family in families]
    if has_labels:
        items.append((None, _("intitulé libre (une chose, une idée, une force…)")))
    if not items:
        return [], y - 16
    parts, x, line_y = [], MARGIN, y + LEGEND_FONT
    for family, label in items:
        width = 16 + text_width(label, LEGEND_FONT) + 18
        if x + width > WIDTH - MARGIN and x > MARGIN:
            x, line_y = MARGIN, line_y + LEGEND_FONT + 8
        mark_y = line_y - LEGEND_FONT / 2 + 2
        if family is None:
            parts.append(
                f'<line x1="{x:.1f}" y1="{mark_y:.1f}" x2="{x + 10:.1f}" y2="{mark_y:.1f}" stroke="{MUTED}" '
                f'stroke-width="2"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x + 5:.1f}" cy="{mark_y:.1f}" r="5" fill="{FAMILY_COLOURS[family]}" '
                f'stroke="{INK}" stroke-width="1"/>'
            )
        parts.append(_text(x + 16, line_y, label, size=LEGEND_FONT, fill=MUTED))
        x += width
    return parts, line_y + 4


def _description(schema, by_actant) -> str:
    def names(actant):
        listed = [entry.display_name for entry in by_actant[actant]]
        return semicolon().join(listed) if listed else _("personne")

    sentences = [
        _(
            "Schéma actantiel : en haut, le destinateur, l'objet et le destinataire ; sous l'objet, le "
            "sujet, qui tend vers lui par la quête ; à gauche du sujet les adjuvants, à droite les opposants."
        )
    ]
    for actant in ACTANT_ORDER:
        sentences.append(labelled(ACTANT_TITLES[actant], names(actant)) + ".")
        if actant == Actant.OBJET:
            sentences.append(_("Quête : %(quest)s.") % {"quest": schema.quest or _("non précisée")})
    return " ".join(sentences)


def _title(schema) -> str:
    """Named after its project when the project was read with it (always so on the pages and in the PDF)."""
    if not type(schema).project.is_cached(schema):
        return _("Schéma actantiel : %(schema)s") % {"schema": schema}
    if not schema.quest:
        return _("Schéma actantiel du projet « %(project)s »") % {"project": schema.project.title}
    return _("Schéma actantiel du projet « %(project)s », quête « %(quest)s »") % {
        "project": schema.project.title,
        "quest": schema.quest,
    }


def actantial_svg(schema, *, id_prefix: str = "actantial", entries=None) -> SafeString:
    """The schema's diagram. `entries` are its entries with their actors when already read."""
    if entries is None:
        entries = list(schema.entries.select_related("actor"))
    by_actant = {actant: [] for actant in ACTANT_ORDER}
    for entry in sorted(entries, key=lambda e: (e.position, e.pk or 0)):
        # An actant the schema does not know (written around the forms) has no box: it is left out.
        if entry.actant in by_actant:
            by_actant[entry.actant].append(entry)
    boxes = {actant: _Box(actant, by_actant[actant]) for actant in ACTANT_ORDER}
    prefix = escape(id_prefix)

    quest_lines = wrap(schema.quest, QUEST_WIDTH - 2 * PAD, FONT) if schema.quest else ["—"]
    quest_height = PAD + LEGEND_FONT + 6 + len(quest_lines) * LINE + PAD - 4
    top_height = max(boxes[a].height for a in TOP_ROW)
    gap = max(ROW_GAP_MIN, quest_height + 36)
    top_y, bottom_y = MARGIN, MARGIN + top_height + gap
    bottom_height = max(boxes[a].height for a in BOTTOM_ROW)
    objet_bottom = top_y + boxes[Actant.OBJET].height
    centre = WIDTH / 2

    body = []
    # The arrows first, under the boxes and the quest; the horizontal ones at the middle of the row's
    # shortest box, so that they always meet both boxes.
    top_mid = top_y + min(boxes[a].height for a in TOP_ROW) / 2
    bottom_mid = bottom_y + min(boxes[a].height for a in BOTTOM_ROW) / 2
    body.append(_arrow(prefix, COLUMNS[0] + BOX_WIDTH, top_mid, COLUMNS[1] - 2, top_mid))
    body.append(_arrow(prefix, COLUMNS[1] + BOX_WIDTH, top_mid, COLUMNS[2] - 2, top_mid))
    body.append(_arrow(prefix, centre, bottom_y, centre, objet_bottom + 2))
    body.append(_arrow(prefix, COLUMNS[0] + BOX_WIDTH, bottom_mid, COLUMNS[1] - 2, bottom_mid))
    body.append(_arrow(prefix, COLUMNS[2], bottom_mid, COLUMNS[1] + BOX_WIDTH + 2, bottom_mid))
    for row, y in ((TOP_ROW, top_y), (BOTTOM_ROW, bottom_y)):
        for column, actant in enumerate(row):
            body.append(boxes[actant].draw(prefix, COLUMNS[column], y))

    # The quest, on the sujet's arrow towards the objet.
    quest_x = centre - QUEST_WIDTH / 2
    quest_y = (objet_bottom + bottom_y - quest_height) / 2
    fill, header, stroke = COLOURS[Actant.OBJET]
    body.append(
        f'<g id="{prefix}-quete"><rect x="{quest_x:.1f}" y="{quest_y:.1f}" width="{QUEST_WIDTH}" '
        f'height="{quest_height:.1f}" rx="14" fill="#ffffff" stroke="{stroke}" stroke-width="1.5" '
        f'stroke-dasharray="5 3"/>'
    )
    line_y = quest_y + PAD + LEGEND_FONT - 2
    body.append(
        _text(centre, line_y, _("Quête"), size=LEGEND_FONT, fill=MUTED, weight="700", anchor="middle")
    )
    line_y += 6
    for line in quest_lines:
        line_y += LINE
        body.append(_text(centre, line_y - 3, line, fill=INK if schema.quest else MUTED, anchor="middle"))
    body.append("</g>")

    families = []
    for entry in entries:
        if entry.actor_id and entry.actor.family not in families:
            families.append(entry.actor.family)
    ordered = [family for family in ActorFamily if family in families]
    has_labels = any(not entry.actor_id for entry in entries)
    legend, legend_bottom = _legend(ordered, has_labels, bottom_y + bottom_height + 22)
    body.extend(legend)
    height = legend_bottom + MARGIN - 6

    title = _title(schema)
    arrow = (
        f'<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto" markerUnits="strokeWidth">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker></defs>'
    )
    return svg_document(
        width=WIDTH,
        height=f"{height:.0f}",
        id_prefix=id_prefix,
        title=title,
        desc=_description(schema, by_actant),
        body=[arrow, *body],
        css_class="chart-actantial",
        align="xMidYMin",
        font_family=FONT_FAMILY,
    )
