"""Resources of the library, made through its services so that their search vector is written."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Theme
from library import services
from library.models import Resource, ResourceKind

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name="fiche.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def theme(slug):
    return Theme.objects.get(slug=slug)


def make_resource(
    author,
    *,
    title="Le schéma actantiel",
    kind=ResourceKind.TOOL,
    summary="Un outil pour raconter la coopération.",
    body="",
    themes=(),
    territories=(),
    status="draft",
    publisher=None,
    **fields,
) -> Resource:
    """A resource written by `author`, then submitted ("review") and published by `publisher` if asked."""
    resource = services.resource_create(
        actor=author,
        fields={"title": title, "kind": kind, "summary": summary, "body": body, **fields},
        themes=[theme(slug) if isinstance(slug, str) else slug for slug in themes],
        territories=territories,
    )
    if status in ("review", "published"):
        resource = services.resource_submit(actor=author, resource=resource)
    if status == "published":
        resource = services.resource_publish(actor=publisher, resource=resource)
    return resource
