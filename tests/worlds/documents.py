"""A ready PDF of the pilot project's cadrage note, for the access rules of the download views. Its file is a
placeholder: what a real rendering produces is tested in tests/documents/."""

from django.core.files.base import ContentFile

from documents.models import Document, DocumentKind, DocumentStatus


def build(world):
    document = Document(
        kind=DocumentKind.DRAFT,
        territory=world.project.territory,
        project=world.project,
        deliverable=world.cadrage,
        title="Note de cadrage",
        source_html="<p>Note</p>",
        content_hash=f"{world.project.pk:064d}",  # unique per world
        status=DocumentStatus.READY,
        size=5,
        page_count=1,
    )
    document.file.save("placeholder.pdf", ContentFile(b"%PDF-"), save=False)
    document.save()
    world.document = document
