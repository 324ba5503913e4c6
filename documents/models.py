"""The documents the platform prints: a project's notes (one per deliverable version, drafts on request) and
its dossier, and a territory's synthesis (built by the `reports` app), each as PDF, OpenDocument or Word.

A Document holds the exact HTML it renders, hashed: the same content in the same format is rendered once and
its file reused; rendering happens in a Celery worker and the record says where it stands.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    VERSION = "version", _("Version soumise d'un livrable")
    DRAFT = "draft", _("Brouillon d'un livrable")
    DOSSIER = "dossier", _("Dossier du projet")
    SYNTHESIS = "synthesis", _("Bilan du territoire")


# The kinds that belong to a project, readable by whoever reads the project.
PROJECT_KINDS = (DocumentKind.VERSION, DocumentKind.DRAFT, DocumentKind.DOSSIER)


class Variant(models.TextChoices):
    """The output format (the PDF's profile, or an office format)."""

    ACCESSIBLE = "pdf/ua-1", _("PDF accessible (PDF/UA)")
    ARCHIVE = "pdf/a-3a", _("PDF d'archivage (PDF/A)")
    ODT = "odt", _("OpenDocument (ODT)")
    DOCX = "docx", _("Word (DOCX)")

    @property
    def is_pdf(self) -> bool:
        return self in (Variant.ACCESSIBLE, Variant.ARCHIVE)

    @property
    def extension(self) -> str:
        return "pdf" if self.is_pdf else self.value

    @property
    def content_type(self) -> str:
        return FORMAT_CONTENT_TYPES[self.extension]

    @property
    def short_label(self) -> str:
        return self.extension.upper()


FORMAT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")


class Document(models.Model):
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    variant = models.CharField(
        _("format"), max_length=10, choices=Variant.choices, default=Variant.ACCESSIBLE
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="documents")
    # A note or a dossier belongs to its project; a synthesis to its territory only.
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    deliverable = models.ForeignKey(
        "projects.Deliverable", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    version = models.ForeignKey(
        "projects.DeliverableVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("titre"), max_length=300)
    source_html = models.TextField()
    # What a reader must be allowed to see to read a document that is not a project's: read by the access
    # rule the kind's app registers (documents.access.register_reader_rule); empty for a project's.
    audience = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("statut"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField(_("erreur"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Stored under a name derived from the content hash, outside the public media URL space; served by an
    # access-checked view only.
    file = models.FileField(upload_to="documents/", blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("durée du rendu (ms)"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # The last time the document was handed to the broker or a worker took it: the sweep compares with it.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash", "variant"], name="one_document_per_content"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(size__isnull=False)),
                name="ready_document_has_file",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["dossier", "synthesis"]) | Q(deliverable__isnull=False),
                name="note_document_has_deliverable",
            ),
            models.CheckConstraint(
                condition=Q(kind="synthesis") | Q(project__isnull=False),
                name="project_document_has_project",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                name="document_unfinished",
                condition=Q(status__in=["pending", "running"]),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.READY, DocumentStatus.FAILED)

    @property
    def format(self) -> Variant:
        return Variant(self.variant)

    def download_name(self) -> str:
        return f"{slugify(self.title)[:80] or 'document'}.{self.format.extension}"
