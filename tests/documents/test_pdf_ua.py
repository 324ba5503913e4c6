"""The PDF documents against PDF/UA-1, offline. veraPDF itself is in none of the package lists searched here
(PyPI holds only wrappers that need its Java build, npm and Debian nothing), so its key checks (from the
Matterhorn protocol) are made over the structure tree that pypdf reads back from a real dossier, the richest
document, with headings, tables and the diagrams:

- the document: tagged (MarkInfo), its language, its title shown by the reader, the PDF/UA identifier;
- headings: tagged H1…H6, starting at H1, no level skipped, in the order of the source (reading order);
- tables: rows of TH/TD cells, header cells in every table, each data cell tied to its headers;
- figures: an alternative text on every Figure;
- pages: each tagged (StructParents) and tabbing in structure order; every font embedded.
"""

import io
import re

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from documents import services
from documents.models import DocumentStatus

pytestmark = pytest.mark.django_db


def _dossier(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_dossier(actor=world.users["agent"], project=world.project)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        return document, PdfReader(io.BytesIO(handle.read()))


def _elements(node):
    """The structure elements under a node, in document (reading) order."""
    node = node.get_object() if isinstance(node, IndirectObject) else node
    if isinstance(node, ArrayObject):
        for child in node:
            yield from _elements(child)
        return
    if not isinstance(node, DictionaryObject):
        return  # a marked-content id
    if "/S" in node:
        yield node
    kids = node.get("/K")
    if kids is not None:
        yield from _elements(kids)


def _children(element, *types):
    kids = element.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    found = [kid.get_object() for kid in kids if isinstance(kid.get_object(), DictionaryObject)]
    return [kid for kid in found if not types or kid.get("/S") in types]


def _the_dossier_is_a_tagged_pdf_ua_document_in_french_with_its_title_shown(dossier):
    document, reader = dossier
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == document.title
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp), "no PDF/UA identifier in the XMP metadata"


def _its_headings_are_tagged_start_at_h1_skip_no_level_and_follow_the_source(dossier):
    document, reader = dossier
    elements = list(_elements(reader.trailer["/Root"]["/StructTreeRoot"]))
    levels = [int(element["/S"][2]) for element in elements if re.fullmatch(r"/H[1-6]", element["/S"])]
    assert levels and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # Reading order: the structure gives the headings in the order of the HTML the PDF was made from.
    source = [int(level) for level in re.findall(r"<h([1-6])[\s>]", document.source_html)]
    assert levels == source


def _its_tables_have_header_cells_tied_to_every_data_cell(dossier):
    _document, reader = dossier
    tables = [e for e in _elements(reader.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/Table"]
    assert len(tables) >= 3
    for table in tables:
        rows = [row for part in _elements(table) if part["/S"] == "/TR" for row in [part]]
        assert rows, "a table without rows"
        cells = [cell for row in rows for cell in _children(row, "/TH", "/TD")]
        assert all(cell["/S"] in ("/TH", "/TD") for cell in cells)
        assert any(cell["/S"] == "/TH" for cell in cells), "a table without header cells"
        for cell in cells:
            if cell["/S"] == "/TD":
                attributes = cell.get("/A", {})
                assert attributes.get("/Headers"), "a data cell tied to no header"


def _its_figures_all_have_an_alternative_text(dossier):
    _document, reader = dossier
    figures = [e for e in _elements(reader.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/Figure"]
    assert len(figures) >= 2  # the actor map and the actantial schema at least
    for figure in figures:
        assert str(figure.get("/Alt") or figure.get("/ActualText") or "").strip(), figure


def _every_page_is_tagged_tabs_in_structure_order_and_embeds_its_fonts(dossier):
    _document, reader = dossier
    for number, page in enumerate(reader.pages, start=1):
        assert "/StructParents" in page, f"page {number} is not tied to the structure tree"
        assert page.get("/Tabs") == "/S", f"page {number} does not tab in structure order"
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                descendant.get_object().get("/FontDescriptor")
                for descendant in font.get("/DescendantFonts", [])
            ]
            descriptors = [d.get_object() for d in descriptors if d is not None]
            assert descriptors and all(
                any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors
            ), f"page {number}: font {name} is not embedded"


def test_the_dossier_passes_the_key_pdf_ua_checks(world, django_capture_on_commit_callbacks):
    # One rendering (about ten seconds) for all the checks.
    dossier = _dossier(world, django_capture_on_commit_callbacks)
    _the_dossier_is_a_tagged_pdf_ua_document_in_french_with_its_title_shown(dossier)
    _its_headings_are_tagged_start_at_h1_skip_no_level_and_follow_the_source(dossier)
    _its_tables_have_header_cells_tied_to_every_data_cell(dossier)
    _its_figures_all_have_an_alternative_text(dossier)
    _every_page_is_tagged_tabs_in_structure_order_and_embeds_its_fonts(dossier)
