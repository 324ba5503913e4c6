"""The notes and the dossier as OpenDocument (ODT) and Word (DOCX) files, opened back with the libraries that
wrote them: real headings (the questions among them), the answers' Markdown as lists, emphasis and links, the
structured parts as tables, the charts as pictures, and the document's properties. One test hands the files to
LibreOffice itself."""

import io
import os
import shutil
import subprocess
import zipfile

import docx
import odfdo
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from documents import office, raster, services
from documents.models import Document, DocumentStatus, Variant
from projects import services as project_services

pytestmark = pytest.mark.django_db

MARKDOWN = (
    "Nous associons **les élus** et *les agents*.\n\n"
    "- un groupe des agents\n- un groupe des DGS\n\n"
    "1. croiser\n2. interpeller\n\n"
    "Voir [la charte](https://example.org/charte)."
)


def _ready(document: Document) -> bytes:
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def _request_note(world, variant, *, deliverable=None, version=None, capture):
    with capture(execute=True):
        return services.document_request_note(
            actor=world.users["agent"],
            deliverable=deliverable or world.cadrage,
            version=version,
            variant=variant,
        )


def _draft_file(world, variant, capture) -> bytes:
    """The draft note de faisabilité (world.draft), rendered in this format."""
    return _ready(_request_note(world, variant, deliverable=world.draft, capture=capture))


def _odt(data: bytes) -> odfdo.Document:
    return odfdo.Document(io.BytesIO(data))


def _odt_headings(document: odfdo.Document) -> list[tuple[int, str]]:
    return [(int(h.get_attribute("text:outline-level")), h.text_recursive) for h in document.body.headers]


def _docx_headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def _answer_first_question_in_markdown(world):
    """The draft note de faisabilité, its first answer written in the Markdown editors use."""
    answer = world.draft.answers.get(question__number=1)
    project_services.answer_save(
        actor=world.users["agent"],
        deliverable=world.draft,
        question=answer.question,
        text=MARKDOWN,
        base_version=answer.version,
    )


def test_a_submitted_version_as_odt_has_its_questions_as_headings_and_its_parts_as_tables(
    world, django_capture_on_commit_callbacks
):
    version = world.cadrage.versions.get()
    document = _request_note(world, Variant.ODT, version=version, capture=django_capture_on_commit_callbacks)
    assert document.download_name().endswith(".odt")
    odt = _odt(_ready(document))

    headings = _odt_headings(odt)
    assert (1, "Livrable 2 — Note de cadrage") in headings
    for question in version.content["questions"]:
        assert (2, f"2.{question['number']} — {question['text']}") in headings
    text = odt.body.text_recursive
    assert "Réponse de l'équipe." in text
    # The stakeholders and the objectives are real tables, with their header row.
    tables = {table.name: table for table in odt.body.get_tables()}
    assert len(tables) >= 2
    stakeholders = next(t for t in tables.values() if "Groupe des agents" in t.get_values(flat=True))
    assert stakeholders.get_values()[0][:2] == ["Nom", "Organisation"]
    assert odt.body.get_elements("//table:table-header-rows")

    meta = odt.meta
    assert meta.get_title() == document.title
    assert meta.get_language() == "fr-FR"
    assert meta.get_initial_creator() == "La Fabrique des Transitions"


def test_a_submitted_version_as_docx_has_the_same_headings_tables_and_properties(
    world, django_capture_on_commit_callbacks
):
    version = world.cadrage.versions.get()
    document = _request_note(world, Variant.DOCX, version=version, capture=django_capture_on_commit_callbacks)
    word = docx.Document(io.BytesIO(_ready(document)))

    headings = _docx_headings(word)
    assert ("Heading 1", "Livrable 2 — Note de cadrage") in headings
    for question in version.content["questions"]:
        assert ("Heading 2", f"2.{question['number']} — {question['text']}") in headings
    assert any(p.style.name == "Title" and p.text == world.project.title for p in word.paragraphs)
    stakeholders = next(t for t in word.tables if "Groupe des agents" in [c.text for c in t.rows[1].cells])
    assert [c.text for c in stakeholders.rows[0].cells][:2] == ["Nom", "Organisation"]
    # The header row repeats on each page.
    assert stakeholders.rows[0]._tr.xpath("./w:trPr/w:tblHeader")

    properties = word.core_properties
    assert properties.title == document.title
    assert properties.language == "fr-FR"
    assert properties.author == "La Fabrique des Transitions"
    assert word.styles.element.xpath("//w:docDefaults//w:lang/@w:val") == ["fr-FR"]


def test_the_answers_markdown_becomes_lists_emphasis_and_links_in_both_formats(
    world, django_capture_on_commit_callbacks
):
    _answer_first_question_in_markdown(world)
    odt = _odt(_draft_file(world, Variant.ODT, django_capture_on_commit_callbacks))
    lists = odt.body.get_lists()
    items = [i.text_recursive.strip() for listing in lists for i in listing.get_elements("text:list-item")]
    assert "un groupe des agents" in items and "interpeller" in items
    assert {listing.style for listing in lists} >= {"List_20_1", "Numbering_20_1"}
    spans = {(span.style, span.text) for span in odt.body.get_spans()}
    assert ("Strong_20_Emphasis", "les élus") in spans
    assert ("Emphasis", "les agents") in spans
    links = odt.body.get_links()
    # (odfdo's text_recursive runs on into the text that follows the link)
    anchors = [(link.url, link.text_recursive.removesuffix(link.tail or "")) for link in links]
    assert anchors == [("https://example.org/charte", "la charte")]

    word = docx.Document(io.BytesIO(_draft_file(world, Variant.DOCX, django_capture_on_commit_callbacks)))
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("List Bullet", "un groupe des agents") in styles
    assert ("List Number", "interpeller") in styles
    runs = [(r.text, r.bold, r.italic) for p in word.paragraphs for r in p.runs]
    assert ("les élus", True, None) in runs
    assert ("les agents", None, True) in runs
    hyperlinks = [p for p in word.paragraphs if p._p.xpath("./w:hyperlink")]
    assert hyperlinks and "la charte" in hyperlinks[0].text
    assert "https://example.org/charte" in [r.target_ref for r in word.part.rels.values() if r.is_external]


def test_numbered_lists_of_a_docx_each_count_from_one(world, django_capture_on_commit_callbacks):
    answer = world.draft.answers.get(question__number=1)
    project_services.answer_save(
        actor=world.users["agent"],
        deliverable=world.draft,
        question=answer.question,
        text="1. premier\n2. second\n\nEntre les deux.\n\n1. encore un\n2. et un autre",
        base_version=answer.version,
    )
    word = docx.Document(io.BytesIO(_draft_file(world, Variant.DOCX, django_capture_on_commit_callbacks)))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    ids = [p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0] for p in numbered]
    # Two lists: two numbering instances, each restarting at one.
    assert len(set(ids)) == 2 and ids[0] == ids[1] and ids[2] == ids[3]
    restarts = word.part.numbering_part.element.xpath(f"//w:num[@w:numId='{ids[2]}']//w:startOverride/@w:val")
    assert restarts == ["1"]


def test_the_gantt_chart_is_an_svg_picture_in_odt_and_a_png_in_docx(
    world, django_capture_on_commit_callbacks
):
    data = _draft_file(world, Variant.ODT, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("Pictures/")]
        assert len(pictures) == 1 and pictures[0].endswith(".svg")
        assert archive.read(pictures[0]).startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
        manifest = archive.read("META-INF/manifest.xml").decode()
    assert 'manifest:media-type="image/svg+xml"' in manifest
    odt = _odt(data)
    frame = odt.body.get_frames()[0]
    (image,) = frame.get_elements("draw:image")
    mime_type = image.get_attribute("draw:mime-type") or image.get_attribute("loext:mime-type")
    assert mime_type == "image/svg+xml"
    assert frame.get_element("svg:title").text == "Calendrier des étapes"

    word = docx.Document(io.BytesIO(_draft_file(world, Variant.DOCX, django_capture_on_commit_callbacks)))
    (picture,) = word.inline_shapes
    assert picture._inline.docPr.get("title") == "Calendrier des étapes"
    assert picture._inline.docPr.get("descr").startswith("Calendrier des étapes")
    blob = picture._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert word.part.related_parts[blob].content_type == "image/png"


def test_a_draft_says_so_on_every_page_in_both_formats(world, django_capture_on_commit_callbacks):
    odt = _odt(_draft_file(world, Variant.ODT, django_capture_on_commit_callbacks))
    master = odt.get_style("master-page", "Standard")
    assert master.get_page_header().text_recursive.strip() == "BROUILLON"
    assert "page" in master.get_page_footer().text_recursive
    word = docx.Document(io.BytesIO(_draft_file(world, Variant.DOCX, django_capture_on_commit_callbacks)))
    assert word.sections[0].header.paragraphs[0].text == "BROUILLON"
    assert "PAGE" in word.sections[0].footer.paragraphs[0]._p.xml


def test_the_dossier_as_odt_has_a_filled_table_of_contents_and_the_method_tools(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_dossier(
            actor=world.users["agent"], project=world.project, variant=Variant.ODT
        )
    odt = _odt(_ready(document))
    (toc,) = odt.body.get_tocs()
    entries = toc.text_recursive
    assert "Livrable 1 — Note d'intention" in entries and "La carte des acteurs" in entries
    headings = [text for _level, text in _odt_headings(odt)]
    assert "La carte des acteurs" in headings
    # The actor map and the actantial schema, drawn.
    assert len(odt.body.get_frames()) >= 2

    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_dossier(
            actor=world.users["agent"], project=world.project, variant=Variant.DOCX
        )
    word = docx.Document(io.BytesIO(_ready(document)))
    assert "TOC" in word.element.body.xml
    assert any(p.style.name == "Heading 1" and p.text == "La carte des acteurs" for p in word.paragraphs)
    assert len(word.inline_shapes) >= 2


def test_the_same_content_in_the_same_format_is_written_once(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    first = _request_note(world, Variant.ODT, deliverable=world.draft, capture=capture)
    again = _request_note(world, Variant.ODT, deliverable=world.draft, capture=capture)
    word = _request_note(world, Variant.DOCX, deliverable=world.draft, capture=capture)
    assert again.pk == first.pk
    assert word.pk != first.pk


def test_the_office_files_download_with_their_type_under_the_rules_of_the_pdf(
    world, client_for, django_capture_on_commit_callbacks
):
    url = reverse("documents:request_note", args=[world.project.pk, "cadrage"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("elu").post(url, {"version": "1", "variant": "odt"})
    document = Document.objects.get(variant=Variant.ODT, kind="version")
    assert response["Location"] == reverse("documents:status", args=[document.pk])
    download = client_for("facilitator").get(reverse("documents:download", args=[document.pk]))
    assert download["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert download["Content-Disposition"].endswith('.odt"')
    assert client_for("outsider").get(reverse("documents:download", args=[document.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for("dgs").post(url, {"version": "1", "variant": "docx"})
    document = Document.objects.get(variant=Variant.DOCX, kind="version")
    download = client_for("agent").get(reverse("documents:download", args=[document.pk]))
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_the_version_page_offers_every_format(world, client_for):
    page = client_for("elu").get(reverse("projects:version", args=[world.project.pk, "cadrage", 1]))
    body = page.content.decode()
    for variant in ("odt", "docx", "pdf/a-3a"):
        assert f'value="{variant}"' in body


def test_a_chart_is_rasterised_at_twice_its_size_without_any_system_package():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><rect x="10" y="10" width="100" '
        'height="60" fill="#1f6b4a"/><text x="20" y="50" font-size="14">Étape</text></svg>'
    )
    png = raster.svg_to_png(svg)
    assert png.startswith(b"\x89PNG")
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.size == (240, 160)
    # The rectangle is drawn in its colour, the margin left white.
    assert image.convert("RGB").getpixel((120, 40)) == (0x1F, 0x6B, 0x4A)
    assert image.convert("RGB").getpixel((4, 4)) == (255, 255, 255)


def test_cells_spanning_rows_and_columns_keep_the_tables_grid_in_both_formats():
    html = (
        '<html lang="fr"><head><title>T</title></head><body><h2>Moyens</h2><table><caption>Total</caption>'
        "<thead><tr><th>Projet</th><th>Date</th><th>Mouvement</th></tr></thead>"
        '<tbody><tr><th rowspan="2">P1</th><td>1 mai</td><td>soumise</td></tr>'
        "<tr><td>2 mai</td><td>validée</td></tr>"
        '<tr><th rowspan="9">P2</th><td>3 mai</td><td>rouverte</td></tr></tbody>'
        '<tfoot><tr><td colspan="2">Total</td><td>3</td></tr></tfoot></table></body></html>'
    )
    odt = _odt(office.render_odt(html).data)
    (table,) = odt.body.get_tables()
    # Covered cells read as empty; a span stops at the end of its row group.
    assert table.get_values() == [
        ["Projet", "Date", "Mouvement"],
        ["P1", "1 mai", "soumise"],
        [None, "2 mai", "validée"],
        ["P2", "3 mai", "rouverte"],
        ["Total", None, "3"],
    ]
    assert table.get_elements("//table:table-cell[@table:number-rows-spanned='2']")
    word = docx.Document(io.BytesIO(office.render_docx(html).data))
    (table,) = word.tables
    # Merged cells repeat their text in python-docx's reading.
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Projet", "Date", "Mouvement"],
        ["P1", "1 mai", "soumise"],
        ["P1", "2 mai", "validée"],
        ["P2", "3 mai", "rouverte"],
        ["Total", "Total", "3"],
    ]


def _soffice():
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("FABRIQUE_REQUIRE_SERVICES"):
            pytest.fail("LibreOffice is required when FABRIQUE_REQUIRE_SERVICES is set: .ci/run installs it")
        pytest.skip("LibreOffice is not installed here (.ci/run installs libreoffice-writer-nogui)")
    return found


def test_libreoffice_opens_the_odt_and_the_docx_and_prints_their_headings(
    world, tmp_path, django_capture_on_commit_callbacks
):
    soffice = _soffice()
    _answer_first_question_in_markdown(world)
    for variant in (Variant.ODT, Variant.DOCX):
        data = _draft_file(world, variant, django_capture_on_commit_callbacks)
        source = tmp_path / f"note.{variant}"
        source.write_bytes(data)
        # A profile of its own, so that a LibreOffice already running for someone else is never reused.
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = PdfReader(tmp_path / "note.pdf")
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert "Livrable 3 — Note de faisabilité" in text, variant
        assert "un groupe des agents" in text, variant
        assert "BROUILLON" in text, variant
        (tmp_path / "note.pdf").unlink()
