"""The documents in the formats office suites open: OpenDocument text (ODT, with `odfdo`) and Word (DOCX, with
`python-docx`), built from the very HTML the PDF is rendered from.

That HTML comes from the platform's own templates (the notes, the dossier, the territory's synthesis), so its
structure is known: it is read once into a few plain blocks (headings, paragraphs with their emphasis and
links, lists, tables with their header rows, figures holding an SVG chart, the table of contents, the
"draft" mark), and each writer turns the blocks into its format's real structures: heading styles the
navigator and the table of contents follow, list styles, tables with repeated header rows, pictures with
their text alternative. One reading, two writers, and the content hash of the PDF pipeline holds for them.

Both files carry their title, the language (fr-FR) and the platform as author, and number their pages.
"""

import hashlib
import io
import re
import time
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from core.i18n import colon

from .raster import svg_size, svg_to_png

AUTHOR = "La Fabrique des Transitions"
LANGUAGE = "fr-FR"
HTML_NS = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# The width a chart takes at most on an A4 page with the usual margins, and the CSS pixel in centimetres.
TEXT_WIDTH_CM = 16.0
CM_PER_PX = 2.54 / 96


# --- The blocks read from the HTML ------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class Break:
    """A line break inside a paragraph."""


@dataclass
class Para:
    runs: list
    style: str = "body"  # body, title, subtitle, caption, quote, muted, mark


@dataclass
class Heading:
    level: int  # 1 for the HTML's h2: the h1 is the document's title
    runs: list


@dataclass
class ListBlock:
    ordered: bool
    # Each item is a list of blocks: its paragraph and any list nested in it.
    items: list


@dataclass
class Cell:
    blocks: list
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    # The place of a cell spanning from a row above (its blocks are empty).
    covered: bool = False


@dataclass
class TableBlock:
    caption: list
    rows: list  # list of (is_header_row, [Cell])

    @property
    def columns(self) -> int:
        return max((sum(cell.colspan for cell in cells) for _header, cells in self.rows), default=0)


@dataclass
class Figure:
    svg: str
    width_px: float
    height_px: float
    title: str
    description: str
    caption: list = field(default_factory=list)


@dataclass
class Toc:
    title: str


@dataclass
class PageBreak:
    pass


@dataclass
class Parsed:
    title: str
    blocks: list
    # "BROUILLON" on every page's header when the document is a draft.
    mark: str = ""


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1] if tag.startswith(HTML_NS) or tag.startswith("{") else tag


def _classes(element) -> set:
    return set((element.get("class") or "").split())


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _text_of(element) -> str:
    return _squash("".join(element.itertext())).strip()


class _Reader:
    """Reads the platform's document HTML (parsed as WeasyPrint parses it, by tinyhtml5) into blocks."""

    BLOCK_TAGS = {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "table",
        "figure",
        "section",
        "div",
        "nav",
        "dl",
        "blockquote",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "svg",
    }
    # Read elsewhere (captions by their table or figure) or never shown.
    INLINE_SKIPPED = {"script", "style", "head", "title", "meta", "link", "caption", "figcaption"}

    def __init__(self):
        self.blocks: list = []
        self.mark = ""
        self.seen_note = False

    # Inline content -------------------------------------------------------------------------------------

    def runs(self, element, *, bold=False, italic=False, href="", include_text=True) -> list:
        runs = []
        if include_text and element.text:
            runs.append(Run(_squash(element.text), bold, italic, href))
        for child in element:
            name = _local(child.tag)
            if not isinstance(child.tag, str) or name in self.INLINE_SKIPPED:
                pass
            elif name in ("strong", "b", "th"):
                runs += self.runs(child, bold=True, italic=italic, href=href)
            elif name in ("em", "i", "cite"):
                runs += self.runs(child, bold=bold, italic=True, href=href)
            elif name == "a":
                target = child.get("href") or ""
                # Links inside the document (the PDF's table of contents) have no target in a flow document.
                runs += self.runs(
                    child, bold=bold, italic=italic, href=target if not target.startswith("#") else href
                )
            elif name == "br":
                runs.append(Break())
            elif name == "svg":
                pass
            else:
                runs += self.runs(child, bold=bold, italic=italic, href=href)
            if child.tail:
                runs.append(Run(_squash(child.tail), bold, italic, href))
        return runs

    @staticmethod
    def trimmed(runs: list) -> list:
        """Without the blanks the HTML's indentation leaves at the start and the end of a paragraph."""
        runs = [r for r in runs if not (isinstance(r, Run) and r.text == "")]
        while runs and isinstance(runs[0], Run) and not runs[0].text.strip():
            runs.pop(0)
        while runs and isinstance(runs[-1], Run) and not runs[-1].text.strip():
            runs.pop()
        if runs and isinstance(runs[0], Run):
            runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, runs[0].href)
        if runs and isinstance(runs[-1], Run):
            runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic, runs[-1].href)
        return runs

    # Blocks ---------------------------------------------------------------------------------------------

    def read(self, element) -> list:
        """The blocks of a container; loose inline content between blocks becomes a paragraph."""
        blocks, pending = [], []

        def flush():
            runs = self.trimmed(pending[:])
            pending.clear()
            if runs:
                blocks.append(Para(runs))

        if element.text and element.text.strip():
            pending.append(Run(_squash(element.text)))
        for child in element:
            name = _local(child.tag)
            if name in self.BLOCK_TAGS:
                flush()
                blocks += self.block(child)
            elif name in self.INLINE_SKIPPED or not isinstance(child.tag, str):
                pass
            else:
                # The inline element with its tail, as the only child of a wrapper.
                pending += self.runs(_Wrapper(child))
                continue
            if child.tail and child.tail.strip():
                pending.append(Run(_squash(child.tail)))
        flush()
        return blocks

    def block(self, element) -> list:
        name = _local(element.tag)
        classes = _classes(element)
        if "watermark" in classes:
            self.mark = _text_of(element)
            return []
        if name == "nav" and "toc" in classes:
            heading = next((c for c in element if _local(c.tag) in ("h2", "h3")), None)
            return [Toc(_text_of(heading) if heading is not None else "")]
        if name == "h1":
            return [Para(self.trimmed(self.runs(element)), "title")]
        if name in ("h2", "h3", "h4", "h5", "h6"):
            return [Heading(int(name[1]) - 1, self.trimmed(self.runs(element)))]
        if name == "p":
            runs = self.trimmed(self.runs(element))
            if not runs:
                return []
            style = "body"
            if classes & {"kicker"}:
                style = "subtitle"
            elif classes & {"purpose", "unanswered", "muted", "meta"}:
                style = "muted"
            return [Para(runs, style)]
        if name in ("ul", "ol"):
            return [self.list_block(element, ordered=name == "ol")]
        if name == "dl":
            return self.definitions(element)
        if name == "table":
            return [self.table(element)]
        if name == "figure":
            return self.figure(element)
        if name == "svg":
            return [self.chart(element, [])]
        if name == "blockquote":
            return [Para(b.runs, "quote") if isinstance(b, Para) else b for b in self.read(element)]
        blocks = self.read(element)
        # Each note and each tool of the dossier starts a page, as in the PDF.
        if name == "section" and classes & {"note", "tool"}:
            if self.seen_note:
                blocks.insert(0, PageBreak())
            self.seen_note = True
        if name == "section" and "cover" in classes:
            blocks.append(PageBreak())
        return blocks

    def list_block(self, element, *, ordered: bool) -> ListBlock:
        items = []
        for child in element:
            if _local(child.tag) != "li":
                continue
            items.append(self.read(child) or [Para([])])
        return ListBlock(ordered, items)

    def definitions(self, element) -> list:
        """A definition list as "term: definition" paragraphs (the cover's facts, the actantial roles), the
        colon spaced as the document's language does."""
        blocks, term = [], None
        for child in element:
            name = _local(child.tag)
            if name == "dt":
                term = self.trimmed(self.runs(child, bold=True))
            elif name == "dd":
                runs = self.trimmed(self.runs(child))
                head = (term or []) + ([Run(colon(), bold=True)] if term else [])
                blocks.append(Para(head + runs))
                term = None
        return blocks

    def table(self, element) -> TableBlock:
        caption = []
        rows = []
        loose = []  # rows directly in the table, without a row group
        for child in element:
            name = _local(child.tag)
            if name == "caption":
                caption = self.trimmed(self.runs(child))
            elif name in ("thead", "tbody", "tfoot"):
                # A cell spans down within its row group only, as in HTML.
                group = [self.row(row, header=name == "thead") for row in child if _local(row.tag) == "tr"]
                rows += _with_covered_cells(group)
            elif name == "tr":
                loose.append(self.row(child, header=False))
        return TableBlock(caption, rows + _with_covered_cells(loose))

    def row(self, element, *, header: bool):
        cells = []
        for cell in element:
            name = _local(cell.tag)
            if name not in ("td", "th"):
                continue
            cells.append(
                Cell(
                    self.read(cell),
                    header=name == "th",
                    colspan=_span(cell.get("colspan")),
                    rowspan=_span(cell.get("rowspan")),
                )
            )
        return header, cells

    def figure(self, element) -> list:
        caption = []
        for child in element:
            if _local(child.tag) == "figcaption":
                caption = self.trimmed(self.runs(child))
        svg = next((c for c in element.iter() if _local(c.tag) == "svg"), None)
        blocks = [] if svg is None else [self.chart(svg, caption)]
        if svg is None:
            blocks = self.read(element)
        return blocks

    def chart(self, svg, caption) -> Figure:
        markup = serialize_svg(svg)
        title = next((_text_of(c) for c in svg if _local(c.tag) == "title"), "")
        desc = next((_text_of(c) for c in svg if _local(c.tag) == "desc"), "")
        width, height = svg_size(markup)
        return Figure(markup, width, height, title, desc, caption)


def _span(value) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _with_covered_cells(rows: list) -> list:
    """The rows of a row group with a covered cell wherever a cell of a row above spans down (HTML leaves
    those places out; both office formats hold them), each spanning cell cut at the group's last row."""
    result, pending = [], {}  # pending: column -> (rows still covered, colspan)
    for index, (header, cells) in enumerate(rows):
        out, column, queue = [], 0, list(cells)
        while queue or any(c >= column for c in pending):
            if column in pending:
                remaining, width = pending.pop(column)
                if remaining > 1:
                    pending[column] = (remaining - 1, width)
                out.append(Cell([], colspan=width, covered=True))
                column += width
                continue
            if not queue:
                # A span further right with nothing between: empty cells up to it.
                out.append(Cell([]))
                column += 1
                continue
            cell = queue.pop(0)
            cell.rowspan = min(cell.rowspan, len(rows) - index)
            if cell.rowspan > 1:
                pending[column] = (cell.rowspan - 1, cell.colspan)
            out.append(cell)
            column += cell.colspan
        result.append((header, out))
    return result


class _Wrapper:
    """Presents one inline element as the only child of a container, so its text and tail read alike."""

    def __init__(self, element):
        self.text = None
        self._children = [element]

    def __iter__(self):
        return iter(self._children)


def serialize_svg(element) -> str:
    """The SVG as a standalone file: the HTML parser put it in the SVG namespace; written back with that
    namespace as the default one, and xlink's for the few attributes that use it."""
    parts = []

    def name_of(qualified: str) -> str:
        if qualified.startswith("{"):
            namespace, local = qualified[1:].split("}", 1)
            if namespace == XLINK_NS:
                return f"xlink:{local}"
            if namespace == "http://www.w3.org/2000/xmlns/":
                return ""
            if namespace == "http://www.w3.org/XML/1998/namespace":
                return f"xml:{local}"
            return local
        return qualified

    def write(node, root=False):
        tag = name_of(node.tag)
        attributes = "".join(
            f" {name}={quoteattr(value)}"
            for name, value in ((name_of(k), v) for k, v in node.attrib.items())
            if name
        )
        if root:
            attributes = f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"' + attributes
        parts.append(f"<{tag}{attributes}>")
        if node.text:
            parts.append(escape(node.text))
        for child in node:
            write(child)
            if child.tail:
                parts.append(escape(child.tail))
        parts.append(f"</{tag}>")

    write(element, root=True)
    return "".join(parts)


def parse(html: str) -> Parsed:
    import tinyhtml5

    root = tinyhtml5.parse(html)
    title_element = root.find(f"{HTML_NS}head/{HTML_NS}title")
    body = root.find(f"{HTML_NS}body")
    reader = _Reader()
    blocks = reader.read(body) if body is not None else []
    # A page break that would leave an empty page at the very end.
    while blocks and isinstance(blocks[-1], PageBreak):
        blocks.pop()
    return Parsed(
        title=_text_of(title_element) if title_element is not None else "", blocks=blocks, mark=reader.mark
    )


def _linked_groups(runs):
    """Consecutive runs grouped by the link they belong to (an empty href outside links)."""
    groups: list[tuple[str, list]] = []
    for run in runs:
        href = run.href if isinstance(run, Run) else (groups[-1][0] if groups else "")
        if groups and groups[-1][0] == href:
            groups[-1][1].append(run)
        else:
            groups.append((href, [run]))
    return groups


def _figure_width_cm(figure: Figure) -> float:
    return min(TEXT_WIDTH_CM, figure.width_px * CM_PER_PX)


def _figure_alt(figure: Figure) -> str:
    return " — ".join(part for part in (figure.title, figure.description) if part)


@dataclass(frozen=True)
class Office:
    data: bytes
    render_ms: int


# --- OpenDocument -----------------------------------------------------------------------------------------


class _OdtWriter:
    def __init__(self, parsed: Parsed):
        import odfdo

        self.odfdo = odfdo
        self.parsed = parsed
        self.document = odfdo.Document("text")
        self.body = self.document.body
        self.body.clear()
        self.tables = 0
        self.frames = 0
        self.tocs = []
        self._styles()

    def _styles(self):
        odfdo = self.odfdo
        document = self.document
        for style in (
            odfdo.Style(
                "paragraph",
                "Title",
                display_name="Title",
                parent_style="Heading",
                area="text",
                bold=True,
                size="24pt",
                align="start",
            ),
            odfdo.Style(
                "paragraph",
                "Subtitle",
                display_name="Subtitle",
                parent_style="Heading",
                area="text",
                size="13pt",
                color="#12463b",
            ),
            odfdo.Style(
                "paragraph", "Table_20_Contents", display_name="Table Contents", parent_style="Standard"
            ),
            odfdo.Style(
                "paragraph",
                "Table_20_Heading",
                display_name="Table Heading",
                parent_style="Table_20_Contents",
                area="text",
                bold=True,
            ),
            odfdo.Style(
                "paragraph",
                "Quotations",
                display_name="Quotations",
                parent_style="Standard",
                area="text",
                italic=True,
            ),
            odfdo.Style(
                "paragraph",
                "Muted",
                display_name="Muted",
                parent_style="Text_20_body",
                area="text",
                italic=True,
                color="#444444",
            ),
            odfdo.Style("text", "Emphasis", display_name="Emphasis", area="text", italic=True),
            odfdo.Style("text", "Strong_20_Emphasis", display_name="Strong Emphasis", area="text", bold=True),
            odfdo.Style(
                "text", "Strong_20_Italic", display_name="Strong Italic", area="text", bold=True, italic=True
            ),
        ):
            document.insert_style(style)
        cell = odfdo.create_table_cell_style(border="0.5pt solid #808080", padding="0.1cm")
        cell.name = "FabriqueCell"
        document.insert_style(cell, automatic=True)
        document.add_page_break_style()
        # The HTML's headings carry their own numbers ("2.1 — …"): the outline adds none.
        for level in document.styles.get_elements("//text:outline-level-style"):
            level.set_attribute("style:num-format", "")
            for attribute in ("style:num-suffix", "loext:num-list-format"):
                level.del_attribute(attribute)
        # Lists indented by level, the label in a column of its own.
        for name in ("List_20_1", "Numbering_20_1"):
            style = document.get_style("list", name)
            for level in style.get_elements("text:list-level-style-bullet|text:list-level-style-number"):
                depth = int(level.get_attribute("text:level"))
                properties = level.get_element("style:list-level-properties")
                properties.set_attribute("text:space-before", f"{0.6 * depth - 0.2:.1f}cm")
                properties.set_attribute("text:min-label-width", "0.6cm")
        # The language of every paragraph, for the spell checker and hyphenation.
        for default in document.styles.get_elements("//style:default-style"):
            properties = default.get_element("style:text-properties")
            if properties is not None:
                properties.set_attribute("fo:language", "fr")
                properties.set_attribute("fo:country", "FR")

    def _page(self):
        """Page numbers in the footer; the draft's mark in the header."""
        odfdo = self.odfdo
        master = self.document.get_style("master-page", "Standard")
        footer = odfdo.Paragraph(f"{AUTHOR} — page ")
        footer.append(odfdo.VarPageNumber(select_page="current"))
        footer.append(" / ")
        footer.append(odfdo.VarPageCount())
        master.set_page_footer(footer)
        if self.parsed.mark:
            master.set_page_header(odfdo.Paragraph(self.parsed.mark, style="Subtitle"))

    def _meta(self):
        meta = self.document.meta
        meta.set_title(self.parsed.title)
        meta.set_initial_creator(AUTHOR)
        meta.set_creator(AUTHOR)
        meta.set_language(LANGUAGE)
        meta.set_generator("Fabrique")

    def _styled(self, container, run):
        odfdo = self.odfdo
        if isinstance(run, Break):
            container.append(odfdo.LineBreak())
            return
        if not run.text:
            return
        style = (
            "Strong_20_Italic"
            if run.bold and run.italic
            else "Strong_20_Emphasis"
            if run.bold
            else "Emphasis"
            if run.italic
            else None
        )
        container.append(odfdo.Span(run.text, style=style) if style else run.text)

    def _inline(self, container, runs):
        for href, group in _linked_groups(runs):
            if href:
                link = self.odfdo.Link(href)
                for run in group:
                    self._styled(link, run)
                container.append(link)
            else:
                for run in group:
                    self._styled(container, run)

    def paragraph(self, block: Para):
        style = {
            "title": "Title",
            "subtitle": "Subtitle",
            "caption": "Caption",
            "quote": "Quotations",
            "muted": "Muted",
        }.get(block.style, "Text_20_body")
        paragraph = self.odfdo.Paragraph("", style=style)
        self._inline(paragraph, block.runs)
        return paragraph

    def blocks(self, container, blocks, *, in_cell=False):
        odfdo = self.odfdo
        for block in blocks:
            if isinstance(block, Para):
                paragraph = self.paragraph(block)
                if in_cell:
                    paragraph.style = "Table_20_Contents"
                container.append(paragraph)
            elif isinstance(block, Heading):
                level = max(1, min(block.level, 6))
                heading = odfdo.Header(level, "", style=f"Heading_20_{level}")
                self._inline(heading, block.runs)
                container.append(heading)
            elif isinstance(block, ListBlock):
                container.append(self.list_block(block))
            elif isinstance(block, TableBlock):
                if block.caption:
                    caption = odfdo.Paragraph("", style="Caption")
                    self._inline(caption, block.caption)
                    container.append(caption)
                container.append(self.table(block))
            elif isinstance(block, Figure):
                container.append(self.figure(block))
                if block.caption:
                    caption = odfdo.Paragraph("", style="Caption")
                    self._inline(caption, block.caption)
                    container.append(caption)
            elif isinstance(block, Toc):
                toc = odfdo.TOC(block.title or "Sommaire", outline_level=3)
                self.tocs.append(toc)
                container.append(toc)
            elif isinstance(block, PageBreak):
                container.append(odfdo.PageBreak())

    def list_block(self, block: ListBlock):
        odfdo = self.odfdo
        listing = odfdo.List(style="Numbering_20_1" if block.ordered else "List_20_1")
        for item in block.items:
            entry = odfdo.ListItem()
            for inner in item:
                if isinstance(inner, ListBlock):
                    entry.append(self.list_block(inner))
                elif isinstance(inner, Para):
                    paragraph = self.paragraph(inner)
                    paragraph.style = "List"
                    entry.append(paragraph)
                else:
                    self.blocks(entry, [inner])
            listing.append(entry)
        return listing

    def table(self, block: TableBlock):
        odfdo = self.odfdo
        self.tables += 1
        columns = max(block.columns, 1)
        table = odfdo.Table(f"Tableau{self.tables}")
        table.append(odfdo.Column(repeated=columns if columns > 1 else None))
        header_rows = odfdo.HeaderRows()
        has_header = False
        for is_header, cells in block.rows:
            row = odfdo.Row()
            for cell in cells:
                if cell.covered:
                    for _covered in range(cell.colspan):
                        row.append(odfdo.Element.from_tag("<table:covered-table-cell/>"))
                    continue
                element = odfdo.Cell(style="FabriqueCell")
                element.set_attribute("office:value-type", "string")
                if cell.colspan > 1:
                    element.set_attribute("table:number-columns-spanned", str(cell.colspan))
                if cell.rowspan > 1:
                    element.set_attribute("table:number-rows-spanned", str(cell.rowspan))
                for inner in cell.blocks or [Para([])]:
                    if isinstance(inner, Para):
                        paragraph = self.paragraph(inner)
                        paragraph.style = "Table_20_Heading" if cell.header else "Table_20_Contents"
                        element.append(paragraph)
                    else:
                        self.blocks(element, [inner], in_cell=True)
                row.append(element)
                for _covered in range(cell.colspan - 1):
                    row.append(odfdo.Element.from_tag("<table:covered-table-cell/>"))
            width = sum(cell.colspan for cell in cells)
            for _missing in range(columns - width):
                empty = odfdo.Cell(style="FabriqueCell")
                empty.append(odfdo.Paragraph("", style="Table_20_Contents"))
                row.append(empty)
            if is_header:
                header_rows.append(row)
                has_header = True
            else:
                table.append(row)
        if has_header:
            table.insert(header_rows, position=1)
        return table

    def figure(self, figure: Figure):
        odfdo = self.odfdo
        self.frames += 1
        width = _figure_width_cm(figure)
        height = width * figure.height_px / figure.width_px
        svg_bytes = figure.svg.encode("utf-8")
        digest = hashlib.sha256(svg_bytes).hexdigest()[:32]
        svg_path = self._add_picture(f"{digest}.svg", svg_bytes, "image/svg+xml")
        frame = odfdo.Frame(
            name=f"Graphique{self.frames}",
            size=(f"{width:.2f}cm", f"{height:.2f}cm"),
            anchor_type="as-char",
        )
        # The SVG itself: OpenDocument suites draw it (LibreOffice since 3.4), so no raster copy is needed;
        # Word, which may not, gets a PNG in the DOCX.
        frame.append(odfdo.DrawImage(svg_path, mime_type="image/svg+xml"))
        if figure.title:
            frame.append(odfdo.SvgTitle(figure.title))
        if figure.description:
            frame.append(odfdo.SvgDescription(figure.description))
        paragraph = odfdo.Paragraph("", style="Text_20_body")
        paragraph.append(frame)
        return paragraph

    def _add_picture(self, name: str, data: bytes, mime_type: str) -> str:
        path = f"Pictures/{name}"
        manifest = self.document.manifest
        if manifest.get_media_type("Pictures/") is None:
            manifest.add_full_path("Pictures/")
        self.document.container.set_part(path, data)
        manifest.add_full_path(path, mime_type)
        return path

    def write(self) -> bytes:
        self._meta()
        self._page()
        self.blocks(self.body, self.parsed.blocks)
        for toc in self.tocs:
            toc.fill(self.document)
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()


def render_odt(html: str) -> Office:
    started = time.monotonic()
    data = _OdtWriter(parse(html)).write()
    return Office(data=data, render_ms=int((time.monotonic() - started) * 1000))


# --- Word -------------------------------------------------------------------------------------------------


class _DocxWriter:
    def __init__(self, parsed: Parsed):
        import docx

        self.docx = docx
        self.parsed = parsed
        self.document = docx.Document()
        self.numbering_restarts = 0

    def _xml(self, tag: str, **attributes):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(f"w:{name}"), str(value))
        return element

    def _meta(self):
        from docx.oxml.ns import qn

        properties = self.document.core_properties
        properties.title = self.parsed.title
        properties.author = AUTHOR
        properties.last_modified_by = AUTHOR
        properties.language = LANGUAGE
        properties.comments = ""
        # The language of every run, for the spell checker and hyphenation.
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = self._xml("w:lang")
            run_properties.append(language)
        for attribute in ("val", "eastAsia", "bidi"):
            language.set(qn(f"w:{attribute}"), LANGUAGE)

    def _field_start(self, paragraph, instruction: str):
        """Opens a field Word computes (page number, table of contents): begin, instruction, separate; the
        runs that follow are its result until `_field_end`."""
        from docx.oxml.ns import qn

        paragraph.add_run()._r.append(self._xml("w:fldChar", fldCharType="begin"))
        text = self._xml("w:instrText")
        text.text = f" {instruction} "
        text.set(qn("xml:space"), "preserve")
        paragraph.add_run()._r.append(text)
        paragraph.add_run()._r.append(self._xml("w:fldChar", fldCharType="separate"))

    def _field_end(self, paragraph):
        paragraph.add_run()._r.append(self._xml("w:fldChar", fldCharType="end"))

    def _field(self, paragraph, instruction: str, placeholder: str):
        self._field_start(paragraph, instruction)
        paragraph.add_run(placeholder)
        self._field_end(paragraph)

    def _page(self):
        section = self.document.sections[0]
        footer = section.footer.paragraphs[0]
        footer.add_run(f"{AUTHOR} — page ")
        self._field(footer, "PAGE", "1")
        footer.add_run(" / ")
        self._field(footer, "NUMPAGES", "1")
        if self.parsed.mark:
            header = section.header.paragraphs[0]
            run = header.add_run(self.parsed.mark)
            run.bold = True

    def _inline(self, paragraph, runs):
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml.ns import qn
        from docx.shared import RGBColor

        for href, group in _linked_groups(runs):
            added_runs = []
            for run in group:
                if isinstance(run, Break):
                    added = paragraph.add_run()
                    added.add_break()
                elif run.text:
                    added = paragraph.add_run(run.text)
                    added.bold, added.italic = run.bold or None, run.italic or None
                else:
                    continue
                added_runs.append(added)
            if href and added_runs:
                relation = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
                hyperlink = self._xml("w:hyperlink")
                hyperlink.set(qn("r:id"), relation)
                for added in added_runs:
                    added.font.underline = True
                    added.font.color.rgb = RGBColor(0x0B, 0x4F, 0x8A)
                    # Moved from the paragraph into the hyperlink element.
                    hyperlink.append(added._r)
                paragraph._p.append(hyperlink)

    def paragraph(self, container, block: Para, *, style=None):
        styles = {
            "title": "Title",
            "subtitle": "Subtitle",
            "caption": "Caption",
            "quote": "Quote",
        }
        paragraph = container.add_paragraph(style=style or styles.get(block.style))
        self._inline(paragraph, block.runs)
        if block.style == "muted" and style is None:
            for run in paragraph.runs:
                run.italic = True
        return paragraph

    def blocks(self, container, blocks):
        from docx.shared import Cm

        for block in blocks:
            if isinstance(block, Para):
                self.paragraph(container, block)
            elif isinstance(block, Heading):
                level = max(1, min(block.level, 6))
                heading = container.add_paragraph(style=f"Heading {level}")
                self._inline(heading, block.runs)
            elif isinstance(block, ListBlock):
                self.list_block(container, block, depth=1)
            elif isinstance(block, TableBlock):
                if block.caption:
                    self.paragraph(container, Para(block.caption, "caption"))
                self.table(container, block)
            elif isinstance(block, Figure):
                paragraph = container.add_paragraph()
                picture = paragraph.add_run().add_picture(
                    io.BytesIO(svg_to_png(block.svg)), width=Cm(_figure_width_cm(block))
                )
                properties = picture._inline.docPr
                properties.set("descr", _figure_alt(block))
                properties.set("title", block.title)
                if block.caption:
                    self.paragraph(container, Para(block.caption, "caption"))
            elif isinstance(block, Toc):
                self.toc(container, block)
            elif isinstance(block, PageBreak):
                container.add_page_break()

    def toc(self, container, block: Toc):
        """A real table of contents field, filled in advance with the headings (one paragraph each) so that
        it reads before Word or LibreOffice updates it with the page numbers."""
        from docx.shared import Cm

        container.add_paragraph(block.title or "Sommaire", style="TOC Heading")
        entries = [
            ("".join(r.text for r in b.runs if isinstance(r, Run)), b.level)
            for b in self.parsed.blocks
            if isinstance(b, Heading) and b.level <= 2
        ] or [("", 1)]
        for index, (text, level) in enumerate(entries):
            paragraph = container.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            if index == 0:
                self._field_start(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
            paragraph.add_run(text)
            if index == len(entries) - 1:
                self._field_end(paragraph)
        # Word fills the table of contents (with its page numbers) when the file opens.
        self.document.settings.element.append(self._xml("w:updateFields", val="true"))

    def list_block(self, container, block: ListBlock, *, depth: int):
        style = ("List Number" if block.ordered else "List Bullet") + (f" {depth}" if depth > 1 else "")
        number = self._restart(style) if block.ordered else None
        for item in block.items:
            first = True
            for inner in item:
                if isinstance(inner, ListBlock):
                    self.list_block(container, inner, depth=min(depth + 1, 3))
                elif isinstance(inner, Para) and first:
                    paragraph = self.paragraph(container, inner, style=style)
                    if number is not None:
                        self._number(paragraph, number)
                    first = False
                else:
                    self.blocks(container, [inner])

    def _restart(self, style_name: str) -> int:
        """A new numbering instance of the style's list, starting at 1, so that each numbered list of the
        document counts from one instead of continuing the previous one."""
        from docx.oxml.ns import qn

        style = self.document.styles[style_name]
        style_numbering = style.element.pPr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
        numbering = self.document.part.numbering_part.element
        wanted = style_numbering.get(qn("w:val"))
        base = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == wanted)
        abstract = base.find(qn("w:abstractNumId")).get(qn("w:val"))
        used = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        number = max(used) + 1
        num = self._xml("w:num", numId=number)
        num.append(self._xml("w:abstractNumId", val=abstract))
        override = self._xml("w:lvlOverride", ilvl=0)
        override.append(self._xml("w:startOverride", val=1))
        num.append(override)
        numbering.append(num)
        return number

    def _number(self, paragraph, number: int):
        properties = paragraph._p.get_or_add_pPr()
        numbering = self._xml("w:numPr")
        numbering.append(self._xml("w:ilvl", val=0))
        numbering.append(self._xml("w:numId", val=number))
        properties.append(numbering)

    def table(self, container, block: TableBlock):
        columns = max(block.columns, 1)
        table = container.add_table(rows=0, cols=columns)
        table.style = self.document.styles["Table Grid"]
        spans = []
        for number, (is_header, cells) in enumerate(block.rows):
            row = table.add_row()
            if is_header:
                properties = row._tr.get_or_add_trPr()
                properties.append(self._xml("w:tblHeader", val="true"))
            index = 0
            for cell in cells:
                if index >= columns:
                    break
                if not cell.covered:
                    target = row.cells[index]
                    self._cell(target, cell)
                    if cell.colspan > 1 or cell.rowspan > 1:
                        spans.append((number, index, cell.rowspan, cell.colspan))
                index += cell.colspan
        # Merged once every row exists: across columns, and down the rows a cell spans.
        for number, index, rowspan, colspan in spans:
            last = (min(number + rowspan, len(table.rows)) - 1, min(index + colspan, columns) - 1)
            if last != (number, index):
                table.cell(number, index).merge(table.cell(*last))

    def _cell(self, target, cell: Cell):
        first = target.paragraphs[0]
        for number, inner in enumerate(cell.blocks or [Para([])]):
            if isinstance(inner, Para):
                paragraph = first if number == 0 else target.add_paragraph()
                self._inline(paragraph, inner.runs)
                if cell.header:
                    for run in paragraph.runs:
                        run.bold = True
            else:
                self.blocks(target, [inner])

    def write(self) -> bytes:
        self._meta()
        self._page()
        self.blocks(self.document, self.parsed.blocks)
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()


def render_docx(html: str) -> Office:
    started = time.monotonic()
    data = _DocxWriter(parse(html)).write()
    return Office(data=data, render_ms=int((time.monotonic() - started) * 1000))
