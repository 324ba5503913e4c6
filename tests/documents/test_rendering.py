"""Real PDFs, opened and read back: every question and answer is in them, with the metadata and the structure
tree of a tagged, accessible document."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from documents import services
from documents.models import Document, DocumentKind, DocumentStatus, Variant
from projects import services as project_services
from projects.models import (
    DeliverableKind,
    DeliverableStatus,
    Means,
    MeansKind,
    MeansOrigin,
    Responsibility,
    Stakeholder,
    Step,
)
from tests.worlds.projects import answer_all

pytestmark = pytest.mark.django_db


def _text(document: Document) -> str:
    with default_storage.open(document.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Hyphenation may split words across lines: compare without soft breaks and with single spaces.
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"-\n|\s+", " ", text.replace("\u00ad", ""))


def _reader(document: Document) -> PdfReader:
    with default_storage.open(document.file.name, "rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w{5,}", text)]


def _rendered(document):
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    return document


def test_a_submitted_version_renders_every_question_and_answer(world, django_capture_on_commit_callbacks):
    version = world.cadrage.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_note(
            actor=world.users["agent"], deliverable=world.cadrage, version=version
        )
    document = _rendered(document)
    text = _text(document)
    for question in version.content["questions"]:
        # Every word of the question (long words only: hyphenation is checked separately).
        for word in _words(question["text"])[:6]:
            assert word in text.replace(" ", "") or word in text
        assert question["answer"] in text
    assert "Groupe des agents" in text
    assert "Coopérer" in text
    reader = _reader(document)
    assert document.page_count == len(reader.pages) >= 2
    assert reader.metadata.title == document.title
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert document.size == default_storage.size(document.file.name)
    assert document.render_ms > 0


def test_a_draft_is_watermarked_and_says_so(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_note(actor=world.users["agent"], deliverable=world.cadrage)
    document = _rendered(document)
    assert document.kind == DocumentKind.DRAFT
    assert "BROUILLON" in _text(document)


def test_identical_content_is_rendered_once(world, django_capture_on_commit_callbacks):
    version = world.cadrage.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_request_note(
            actor=world.users["agent"], deliverable=world.cadrage, version=version
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = services.document_request_note(
            actor=world.users["dgs"], deliverable=world.cadrage, version=version
        )
    assert second.pk == first.pk
    assert callbacks == []
    assert Document.objects.filter(version=version).count() == 1


def test_the_archive_variant_is_a_separate_pdf_a_document(world, django_capture_on_commit_callbacks):
    version = world.cadrage.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_note(
            actor=world.users["agent"], deliverable=world.cadrage, version=version, variant=Variant.ARCHIVE
        )
    document = _rendered(document)
    metadata = _reader(document).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid" in metadata


def test_validation_makes_the_version_pdf(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project_services.deliverable_validate(actor=world.users["facilitator"], deliverable=world.cadrage)
    document = Document.objects.get(version=world.cadrage.versions.get())
    assert _rendered(document).kind == DocumentKind.VERSION


def test_validation_renders_the_note_for_its_pdf_only_once_committed(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    rendered = []
    monkeypatch.setattr(
        "documents.rendering.note_html", lambda **kwargs: rendered.append(kwargs) or "<p>Note</p>"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        project_services.deliverable_validate(actor=world.users["facilitator"], deliverable=world.cadrage)
        # Nothing is rendered nor hashed while the deliverable's row is locked.
        assert rendered == [] and not Document.objects.filter(kind=DocumentKind.VERSION).exists()
    for callback in callbacks:
        callback()
    assert [call["version"] for call in rendered] == [world.cadrage.versions.get()]
    assert Document.objects.filter(version=world.cadrage.versions.get()).count() == 1


def test_a_pdf_that_cannot_be_requested_does_not_undo_the_validation(
    world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(**kwargs):
        raise ValueError("unreadable note")

    monkeypatch.setattr("documents.rendering.note_html", broken)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.deliverable_validate(actor=world.users["facilitator"], deliverable=world.cadrage)
    world.cadrage.refresh_from_db()
    assert world.cadrage.status == DeliverableStatus.VALIDATED
    assert "unreadable note" in caplog.text


def _long_project(world):
    """The benchmark's long project, small enough for a test: every structured part filled."""
    cadrage = world.cadrage
    project_services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=cadrage, message="Toutes les parties prenantes."
    )
    people = [
        Stakeholder.objects.create(deliverable=cadrage, name=f"Partie prenante {i}", family="agent")
        for i in range(3)
    ]
    project_services.deliverable_submit(actor=world.users["agent"], deliverable=cadrage)
    project_services.deliverable_validate(actor=world.users["facilitator"], deliverable=cadrage)
    faisabilite = world.project.deliverables.get(kind=DeliverableKind.FAISABILITE)
    answer_all(world.users["agent"], faisabilite, text="Les moyens et les étapes du projet.")
    steps = [
        Step.objects.create(
            deliverable=faisabilite, title=f"Étape {i}", start=f"2027-0{i + 1}-01", end=f"2027-0{i + 2}-15"
        )
        for i in range(3)
    ]
    for step in steps:
        Responsibility.objects.create(step=step, stakeholder=people[0], level="R")
    Means.objects.create(
        deliverable=faisabilite,
        origin=MeansOrigin.INTERNAL,
        kind=MeansKind.HUMAN,
        description="Chargée",
        fte="0.5",
    )
    Means.objects.create(
        deliverable=faisabilite,
        origin=MeansOrigin.EXTERNAL,
        kind=MeansKind.FINANCIAL,
        description="Subvention",
        amount="12000",
        funder="ADEME",
    )
    return faisabilite


def test_the_dossier_has_a_cover_a_table_of_contents_and_the_three_notes(
    world, django_capture_on_commit_callbacks
):
    _long_project(world)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_dossier(actor=world.users["agent"], project=world.project)
    text = _text(_rendered(document))
    assert "Sommaire" in text
    for kind in DeliverableKind:
        assert str(kind.label) in text
    assert "Partie prenante 2" in text
    assert "Étape 2" in text
    assert "ADEME" in text
    assert "12 000" in text or "12000" in text
    # The table of contents gives page numbers (target-counter), and pages are numbered "Page n sur N".
    assert re.search(r"Page 2 sur \d+", text)
    outline_or_struct = _reader(document).trailer["/Root"]
    assert "/StructTreeRoot" in outline_or_struct


def test_nothing_is_fetched_from_the_network_at_render_time(world, monkeypatch):
    from documents import rendering

    calls = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *a, **k: calls.append(a) or None)
    html = (
        '<html lang="fr"><head><title>T</title></head>'
        '<body><img src="https://example.org/x.png" alt="x"><p>Texte</p></body></html>'
    )
    rendered = rendering.render_pdf(html, variant=Variant.ACCESSIBLE, identifier="test")
    assert rendered.data.startswith(b"%PDF")
    assert calls == []


def test_a_failing_render_is_retried_then_recorded_as_failed(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from documents import rendering

    def broken(*args, **kwargs):
        raise RuntimeError("moteur en panne")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_note(actor=world.users["agent"], deliverable=world.cadrage)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "moteur en panne" in document.error
    assert document.attempts == 4
    # Asking again gives it a new chance rather than the failure.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.document_request_note(actor=world.users["agent"], deliverable=world.cadrage)
    assert again.pk == document.pk
    assert _rendered(again).status == DocumentStatus.READY


def test_the_dossier_draws_the_actor_map_and_the_actantial_schema(world, django_capture_on_commit_callbacks):
    from methods.models import Actant

    schema = world.schema
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request_dossier(actor=world.users["agent"], project=world.project)
    html = document.source_html
    # Both diagrams are inline SVG, with their title and description, in the dossier's own sections.
    assert 'id="actor-map"' in html and 'id="pdf-actor-map' in html
    assert f'id="actantial-{schema.pk}"' in html and f'id="pdf-actantial-{schema.pk}' in html
    assert html.count("<svg") >= 2
    text = _text(_rendered(document))
    assert "La carte des acteurs" in text
    assert "Le schéma actantiel" in text
    # The diagrams' own labels are drawn as text: the map's actors and the schema's actants.
    assert world.actor.name in text
    for actant in (Actant.DESTINATEUR, Actant.DESTINATAIRE, Actant.ADJUVANT, Actant.OPPOSANT):
        assert str(actant.label) in text


def test_the_roles_name_every_stakeholder_of_each_step_under_their_level_an_unknown_level_included():
    from documents.rendering import note_context

    steps = [
        {"id": 1, "title": "Lancement", "start": "2027-01-04", "end": "2027-01-25", "outputs": ""},
        {"id": 2, "title": "Bilan", "start": "2027-02-01", "end": "2027-02-15", "outputs": ""},
    ]
    responsibilities = [
        {"step": 1, "stakeholder": 10, "stakeholder_name": "Mairie", "level": "R"},
        {"step": 1, "stakeholder": 11, "stakeholder_name": "Syndicat", "level": "R"},
        {"step": 1, "stakeholder": 12, "stakeholder_name": "Habitants", "level": "I"},
        # Written around the forms: no choice of the model, still shown under its own heading.
        {"step": 2, "stakeholder": 12, "stakeholder_name": "Habitants", "level": "X"},
    ]
    content = {"parts": {"steps": steps, "responsibilities": responsibilities}, "questions": []}
    roles = note_context(DeliverableKind.FAISABILITE, content)["structured"]["roles"]
    assert [str(level) for level in roles["levels"]] == ["Responsable", "Contributeur", "Informé", "X"]
    assert [(row["step"]["title"], row["cells"]) for row in roles["rows"]] == [
        ("Lancement", [["Mairie", "Syndicat"], [], ["Habitants"], []]),
        ("Bilan", [[], [], [], ["Habitants"]]),
    ]
